"""Writing, approving and publishing the summary report (maca.reports.services)."""

import pytest
from django.core import mail

from maca.audits.models import AuditStatus
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from maca.reports import services
from maca.reports.document import report_document
from maca.reports.models import (
    NameToCatch,
    Rendition,
    RenditionStatus,
    Report,
    ReportChart,
    ReportEdition,
    ReportSection,
    SectionKey,
)
from maca.reports.selectors import report_state
from tests import factories as f

NHS_NUMBER = "943 476 5919"  # a valid check digit


def digest_of(audit) -> str:
    return report_state(audit, report_document(audit)).digest


def words_of(audit, key) -> str:
    return next(s for s in report_document(audit)["sections"] if s["key"] == key)["words"]


def approved(audit, author, approver):
    services.report_send(audit=audit, by=author)
    services.report_approve(audit=audit, digest=digest_of(audit), by=approver)
    return audit


def test_a_section_starts_with_generated_words_and_keeps_edited_ones(reporting, coordinator):
    assert "Transitions" in words_of(reporting, SectionKey.INTRODUCTION)

    services.section_save(
        audit=reporting, key="introduction", text="Our own words.\r\n", version=0, by=coordinator
    )

    assert words_of(reporting, SectionKey.INTRODUCTION) == "Our own words."
    section = ReportSection.objects.get(audit=reporting, key="introduction")
    assert (section.version, section.updated_by) == (1, coordinator)
    change = ChangeRecord.objects.filter(object_type="reports.reportsection").latest("pk")
    assert change.user == coordinator
    assert change.after["text"] == "Our own words."


def test_a_save_from_an_older_version_is_refused(reporting, coordinator, second_coordinator):
    services.section_save(
        audit=reporting, key="scoring", text="First words.", version=0, by=coordinator
    )

    with pytest.raises(services.SectionConflict) as refused:
        services.section_save(
            audit=reporting, key="scoring", text="Other words.", version=0, by=second_coordinator
        )

    assert refused.value.field == "text"
    assert refused.value.current.text == "First words."
    assert words_of(reporting, SectionKey.SCORING) == "First words."


def test_empty_words_are_refused_naming_the_field(reporting, coordinator):
    with pytest.raises(DomainError) as refused:
        services.section_save(
            audit=reporting, key="scoring", text="  \n ", version=0, by=coordinator
        )
    assert refused.value.field == "text"
    assert not ReportSection.objects.filter(audit=reporting, custom=True).exists()


def test_going_back_to_the_generated_words(reporting, coordinator):
    services.section_save(audit=reporting, key="method", text="Ours.", version=0, by=coordinator)
    services.section_reset(audit=reporting, key="method", version=1, by=coordinator)

    assert words_of(reporting, SectionKey.METHOD).startswith("Each agency involved")
    assert ReportSection.objects.get(audit=reporting, key="method").version == 2


def test_words_are_written_only_once_the_audit_reaches_reporting(audit, coordinator):
    with pytest.raises(DomainError, match="reaches reporting"):
        services.section_save(audit=audit, key="method", text="Ours.", version=0, by=coordinator)


def test_edited_words_say_when_the_data_they_came_from_has_changed(reporting, coordinator):
    services.section_save(
        audit=reporting, key="introduction", text="Ours.", version=0, by=coordinator
    )
    assert not introduction_of(report_document(reporting))["stale"]

    reporting.theme = "Moving to adult services"
    reporting.save()

    assert introduction_of(report_document(reporting))["stale"]


def introduction_of(document: dict) -> dict:
    return next(s for s in document["sections"] if s["key"] == "introduction")


def test_sending_for_approval_mails_the_other_coordinators(
    reporting, coordinator, second_coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_send(audit=reporting, by=coordinator)

    assert [m.to for m in mail.outbox] == [[second_coordinator.email]]
    assert "waiting for your approval" in mail.outbox[0].subject


def test_the_author_cannot_approve(reporting, coordinator):
    services.report_send(audit=reporting, by=coordinator)
    with pytest.raises(DomainError, match="second coordinator"):
        services.report_approve(audit=reporting, digest=digest_of(reporting), by=coordinator)


def test_whoever_wrote_words_cannot_approve(reporting, coordinator, second_coordinator):
    services.section_save(
        audit=reporting, key="method", text="Ours.", version=0, by=second_coordinator
    )
    services.report_send(audit=reporting, by=coordinator)
    with pytest.raises(DomainError, match="second coordinator"):
        services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)


def test_whoever_chose_the_charts_cannot_approve(reporting, coordinator, second_coordinator):
    every = list(ReportChart.values)
    services.report_charts_choose(
        audit=reporting, charts=every[1:], was=every, by=second_coordinator
    )
    services.report_send(audit=reporting, by=coordinator)
    with pytest.raises(DomainError, match="second coordinator"):
        services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)


def test_a_report_not_sent_cannot_be_approved(reporting, second_coordinator):
    with pytest.raises(DomainError, match="not been sent"):
        services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)


def test_an_approval_is_for_what_the_approver_read(reporting, coordinator, second_coordinator):
    services.report_send(audit=reporting, by=coordinator)
    read = digest_of(reporting)
    services.section_save(audit=reporting, key="method", text="New.", version=0, by=coordinator)

    with pytest.raises(DomainError, match="changed while you were reading"):
        services.report_approve(audit=reporting, digest=read, by=second_coordinator)


def test_a_change_after_approval_makes_it_a_draft_again(reporting, coordinator, second_coordinator):
    approved(reporting, coordinator, second_coordinator)
    assert report_state(reporting, report_document(reporting)).label == (
        "Approved, not yet published"
    )

    f.AuditThemeFactory(audit=reporting, title="Engagement")  # the figures change

    state = report_state(reporting, report_document(reporting))
    assert not state.approved and state.changed_since_approval
    with pytest.raises(DomainError, match="needs approving"):
        services.report_publish(audit=reporting, digest=state.digest, by=coordinator)


def test_publishing_keeps_the_edition_whole_and_makes_its_files(
    reporting, coordinator, second_coordinator, django_capture_on_commit_callbacks
):
    f.RecommendationFactory(audit=reporting)
    approved(reporting, coordinator, second_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        edition = services.report_publish(
            audit=reporting, digest=digest_of(reporting), by=coordinator
        )

    assert (edition.number, edition.published_by, edition.approved_by) == (
        1,
        coordinator,
        second_coordinator,
    )
    assert report_state(reporting, report_document(reporting)).label == "Published: edition 1"
    files = Rendition.objects.filter(edition=edition)
    assert sorted(files.values_list("kind", "agency__name", "status")) == [
        # Each involved agency's feedback pack too (Health is not involved).
        ("feedback_docx", "Children's Social Care", RenditionStatus.READY),
        ("feedback_docx", "Police", RenditionStatus.READY),
        ("feedback_pdf", "Children's Social Care", RenditionStatus.READY),
        ("feedback_pdf", "Police", RenditionStatus.READY),
        ("report_docx", None, RenditionStatus.READY),
        ("report_pdf", None, RenditionStatus.READY),
    ]
    # Later changes to the data leave the edition as it was published.
    before = edition.document
    f.AuditThemeFactory(audit=reporting, title="Engagement")
    assert ReportEdition.objects.get(pk=edition.pk).document == before


def test_the_next_edition_needs_sending_and_approving_again(
    reporting, coordinator, second_coordinator
):
    f.RecommendationFactory(audit=reporting)
    approved(reporting, coordinator, second_coordinator)
    services.report_publish(audit=reporting, digest=digest_of(reporting), by=coordinator)
    services.section_save(audit=reporting, key="method", text="New.", version=0, by=coordinator)

    with pytest.raises(DomainError, match="needs approving"):
        services.report_publish(audit=reporting, digest=digest_of(reporting), by=coordinator)
    with pytest.raises(DomainError, match="not been sent"):
        services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)


@pytest.mark.parametrize("reason", ["", "  \n "])
def test_a_report_without_recommendations_is_not_published_without_a_reason(
    reason, reporting, coordinator, second_coordinator
):
    approved(reporting, coordinator, second_coordinator)

    with pytest.raises(services.NoRecommendations) as refused:
        services.report_publish(
            audit=reporting,
            digest=digest_of(reporting),
            by=coordinator,
            no_recommendations_reason=reason,
        )

    assert refused.value.field == "no_recommendations_reason"
    assert not ReportEdition.objects.filter(audit=reporting).exists()


def test_a_report_without_recommendations_is_published_with_its_reason_in_the_history(
    reporting, coordinator, second_coordinator
):
    approved(reporting, coordinator, second_coordinator)

    edition = services.report_publish(
        audit=reporting,
        digest=digest_of(reporting),
        by=coordinator,
        no_recommendations_reason="Every case was well handled.",
    )

    recommendations = next(
        s for s in edition.document["sections"] if s["key"] == SectionKey.RECOMMENDATIONS
    )
    assert "No recommendations have been recorded yet." in str(recommendations["blocks"])
    published = ChangeRecord.objects.get(
        object_type="reports.reportedition", object_id=str(edition.pk), action="create"
    )
    assert (published.user, published.reason) == (
        coordinator,
        "Published without recommendations: Every case was well handled.",
    )


def test_a_report_with_recommendations_needs_no_reason(reporting, coordinator, second_coordinator):
    f.RecommendationFactory(audit=reporting)
    approved(reporting, coordinator, second_coordinator)

    edition = services.report_publish(
        audit=reporting,
        digest=digest_of(reporting),
        by=coordinator,
        no_recommendations_reason="Left over from a form: not the reason for anything.",
    )

    published = ChangeRecord.objects.get(
        object_type="reports.reportedition", object_id=str(edition.pk), action="create"
    )
    assert published.reason == ""


def test_a_planted_nhs_number_stops_approval_and_is_shown(
    reporting, coordinator, second_coordinator
):
    services.section_save(
        audit=reporting,
        key="good_practice",
        text=f"The GP shared the record of NHS number {NHS_NUMBER} with the school.",
        version=0,
        by=coordinator,
    )
    services.report_send(audit=reporting, by=coordinator)

    with pytest.raises(services.IdentifiersFound, match="cannot be approved") as refused:
        services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)

    [placed] = refused.value.findings
    assert placed.where == "Good practice"
    assert placed.finding.kind == "nhs_number"
    assert NHS_NUMBER in placed.finding.passage
    assert not Report.objects.get(audit=reporting).approved_digest


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("case T-E-01 showed", "case_reference"),
        ("the record REC-55731-A showed", "case_reference"),
        ("Jayden's school", "name"),
        ("who lives at BB1 1AA", "postcode"),
        ("born 3 May 2012", "date_of_birth"),
        ("on 07700 900123", "phone_number"),
        ("at parent@example.com", "email"),
        # Nobody listed her: the name is detected.
        ("that Oliwia Kowalczyk's school", "person"),
    ],
)
def test_every_kind_of_identifier_stops_approval(
    planted, kind, reporting, coordinator, second_coordinator
):
    request = reporting.requests.filter(agency__name="Police").first()
    request.agency_record_number = "REC-55731-A"
    request.save()
    services.names_to_catch_set(partnership=reporting.partnership, names=["Jayden"], by=coordinator)
    services.section_save(
        audit=reporting, key="next_steps", text=f"Noted: {planted}.", version=0, by=coordinator
    )
    services.report_send(audit=reporting, by=coordinator)

    with pytest.raises(services.IdentifiersFound) as refused:
        services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)

    assert [p.finding.kind for p in refused.value.findings] == [kind]


def test_a_name_to_catch_added_after_approval_stops_publication(
    reporting, coordinator, second_coordinator
):
    services.section_save(
        audit=reporting,
        key="good_practice",
        text="The family moved to a flat on Brook Street.",  # no name a detector would see
        version=0,
        by=coordinator,
    )
    approved(reporting, coordinator, second_coordinator)
    # The street is the family's: a coordinator adds it to the names to catch.
    services.names_to_catch_set(
        partnership=reporting.partnership, names=["Brook Street"], by=coordinator
    )

    with pytest.raises(services.IdentifiersFound, match="cannot be published") as refused:
        services.report_publish(audit=reporting, digest=digest_of(reporting), by=coordinator)

    assert [(p.where, p.finding.kind, p.finding.text) for p in refused.value.findings] == [
        ("Good practice", "name", "Brook Street")
    ]
    assert not ReportEdition.objects.filter(audit=reporting).exists()


def test_names_to_catch_are_replaced_as_a_list(partnership, coordinator):
    services.names_to_catch_set(
        partnership=partnership, names=["Jayden", " jayden ", "", "Amira  Khan"], by=coordinator
    )
    assert sorted(NameToCatch.objects.values_list("name", flat=True)) == ["Amira Khan", "Jayden"]

    services.names_to_catch_set(partnership=partnership, names=["Amira Khan"], by=coordinator)
    assert list(NameToCatch.objects.values_list("name", flat=True)) == ["Amira Khan"]


def test_a_name_too_long_is_refused_and_nothing_changes(partnership, coordinator):
    services.names_to_catch_set(partnership=partnership, names=["Jayden"], by=coordinator)
    with pytest.raises(DomainError) as refused:
        services.names_to_catch_set(
            partnership=partnership, names=["Amira", "x" * 151], by=coordinator
        )
    assert refused.value.field == "names"
    assert list(NameToCatch.objects.values_list("name", flat=True)) == ["Jayden"]


def test_approval_moves_a_reporting_audit_to_monitoring(reporting, coordinator, second_coordinator):
    approved(reporting, coordinator, second_coordinator)
    reporting.refresh_from_db()
    assert reporting.status == AuditStatus.MONITORING
