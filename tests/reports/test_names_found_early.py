"""Issue 19: identifiers are caught as the words are written, people's names included.

A child's name that nobody typed into the names to catch is detected; the check runs as the
words are saved (a warning beside the section, on autosave too) and at approval (refused), not
only at publication. A detected name the check got wrong is marked "not a person's name" by a
coordinator, in the change history, and then no longer stops approval or publication.
"""

import pytest
from django.urls import reverse

from maca.errors import DomainError
from maca.history.models import ChangeRecord
from maca.partnerships.models import Agency
from maca.reports import services
from maca.reports.checking import identifiers_in
from maca.reports.document import report_document
from maca.reports.models import NotAName
from maca.reports.selectors import report_state
from tests.pages import text_of

pytestmark = pytest.mark.django_db

NAMED = "Jayden Smith was seen by the social worker the next day."
PLACE = "The family moved to Wigan in the summer."


def section_url(audit, key="next_steps"):
    return reverse("audits:report_section", args=[audit.pk, key])


def digest_of(audit) -> str:
    return report_state(audit, report_document(audit)).digest


def test_saving_words_with_a_childs_name_warns_beside_the_section(
    reporting, coordinator, client_for
):
    client = client_for(coordinator)
    saved = client.post(section_url(reporting), {"text": NAMED, "version": 0, "action": "save"})
    assert saved.status_code == 302  # nothing typed is lost: the words are kept

    page = text_of(client.get(saved["Location"]))
    assert "1 passage in this section could identify a child" in page
    assert f"Next steps What may be a person's name {NAMED} Found: Jayden Smith" in page
    assert "Not a person’s name (Jayden Smith)" in page


def test_the_section_page_shows_the_warning_beside_the_words(reporting, coordinator, client_for):
    services.section_save(audit=reporting, key="next_steps", text=NAMED, version=0, by=coordinator)

    page = text_of(client_for(coordinator).get(section_url(reporting)))

    assert "1 passage could identify a child" in page
    assert f"What may be a person's name {NAMED} Found: Jayden Smith" in page


def test_autosave_warns_as_people_type(reporting, coordinator, client_for):
    client = client_for(coordinator)
    autosave = reverse("audits:report_autosave", args=[reporting.pk, "next_steps"])

    named = client.post(autosave, {"text": NAMED, "version": 0}, HTTP_HX_REQUEST="true")
    assert named.status_code == 200
    assert "1 passage could identify a child: see below." in text_of(named)
    assert b'id="next_steps-identifiers" hx-swap-oob="true"' in named.content
    assert "Found: Jayden Smith" in text_of(named)

    # Reworded: the warning goes.
    reworded = client.post(
        autosave,
        {"text": "Child A was seen three days later.", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert "could identify a child" not in text_of(reworded)
    assert b'id="next_steps-identifiers" hx-swap-oob="true"></div>' in reworded.content.replace(
        b"\n", b""
    )


def test_the_second_coordinator_cannot_approve_a_section_naming_a_child(
    reporting, coordinator, second_coordinator
):
    services.section_save(audit=reporting, key="next_steps", text=NAMED, version=0, by=coordinator)
    services.report_send(audit=reporting, by=coordinator)

    with pytest.raises(services.IdentifiersFound, match="cannot be approved") as refused:
        services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)

    [placed] = refused.value.findings
    assert (placed.where, placed.finding.kind, placed.finding.text) == (
        "Next steps",
        "person",
        "Jayden Smith",
    )


def test_a_place_marked_not_a_name_no_longer_stops_approval_or_publication(
    reporting, coordinator, second_coordinator, client_for
):
    services.section_save(audit=reporting, key="next_steps", text=PLACE, version=0, by=coordinator)

    response = client_for(second_coordinator).post(
        reverse("audits:report_not_a_name", args=[reporting.pk]),
        {"words": "Wigan", "passage": PLACE, "back": "next_steps"},
    )

    assert response.status_code == 302
    assert response["Location"] == section_url(reporting)
    mark = NotAName.objects.get(audit=reporting)
    assert (mark.words, mark.passage, mark.marked_by) == ("Wigan", PLACE, second_coordinator)
    record = ChangeRecord.objects.filter(object_type="reports.notaname").get()
    assert (record.action, record.user, record.reason, record.via) == (
        "create",
        second_coordinator,
        "Marked not a person's name",
        "web",
    )
    assert record.after["words"] == "Wigan" and record.audit_id == reporting.pk
    page = text_of(client_for(coordinator).get(section_url(reporting)))
    assert "could identify a child" not in page

    services.report_send(audit=reporting, by=coordinator)
    services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)
    edition = services.report_publish(
        audit=reporting,
        digest=digest_of(reporting),
        by=coordinator,
        no_recommendations_reason="Recommendations follow in the next edition.",
    )
    assert PLACE in str(edition.document)


def test_a_reworded_passage_is_checked_afresh(reporting, coordinator):
    services.section_save(audit=reporting, key="next_steps", text=PLACE, version=0, by=coordinator)
    services.not_a_name_mark(audit=reporting, words="Wigan", passage=PLACE, by=coordinator)
    services.section_save(
        audit=reporting,
        key="next_steps",
        text="The family moved to Wigan with Kerry-Ann in the summer.",
        version=1,
        by=coordinator,
    )

    found = [p.finding.text for p in identifiers_in(reporting, report_document(reporting))]
    assert found == ["Wigan", "Kerry-Ann"]


def test_a_name_to_catch_cannot_be_marked_not_a_name(reporting, coordinator, client_for):
    services.names_to_catch_set(partnership=reporting.partnership, names=["Wigan"], by=coordinator)
    services.section_save(audit=reporting, key="next_steps", text=PLACE, version=0, by=coordinator)

    response = client_for(coordinator).post(
        reverse("audits:report_not_a_name", args=[reporting.pk]),
        {"words": "Wigan", "passage": PLACE, "back": "report"},
    )

    assert response.status_code == 400
    assert "no longer holds those words as a possible name" in text_of(response)
    assert not NotAName.objects.exists()
    assert not ChangeRecord.objects.filter(object_type="reports.notaname").exists()


def test_words_not_found_in_the_report_cannot_be_marked(reporting, coordinator):
    with pytest.raises(DomainError, match="no longer holds"):
        services.not_a_name_mark(
            audit=reporting, words="Jayden Smith", passage=NAMED, by=coordinator
        )
    assert not NotAName.objects.exists()


def test_the_partnerships_own_agencies_and_areas_are_not_taken_for_names(reporting, coordinator):
    Agency.objects.create(partnership=reporting.partnership, name="Barnardo's")
    services.section_save(
        audit=reporting,
        key="next_steps",
        text="Barnardo's worked with East and North on the plan, as Ofsted asked.",
        version=0,
        by=coordinator,
    )

    assert identifiers_in(reporting, report_document(reporting)) == []
