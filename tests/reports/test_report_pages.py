"""The report's pages: read, edit the words (as people type), approve, publish, download."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from maca.history.models import ChangeRecord
from maca.reports import services
from maca.reports.document import report_document
from maca.reports.models import NameToCatch, Rendition, ReportEdition, SectionKey
from maca.reports.selectors import report_state
from tests import factories as f
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_id": audit.pk, **kwargs})


def digest_of(audit) -> str:
    return report_state(audit, report_document(audit)).digest


def test_the_coordinator_reads_the_draft_with_its_figures(reporting, coordinator, client_for):
    response = client_for(coordinator).get(url("report", reporting))

    page = text_of(response)
    assert response.status_code == 200
    assert "Draft" in page
    assert "Of the 2 cases audited, 0 were graded outstanding" in page
    assert "Information sharing with GPs" in page
    assert page.count('role="img"') == 0  # text_of reads text, the charts are pictures
    assert response.content.count(b'role="img"') == 4
    # Every section's words are edited on this one page, each with its own form.
    assert response.content.count(b'name="text"') == len(SectionKey)
    assert b"Save the words<span" in response.content


def test_the_charts_on_the_page_need_no_inline_style(reporting, coordinator, client_for):
    # The Content Security Policy forbids style attributes: an SVG styled by them draws black.
    response = client_for(coordinator).get(url("report", reporting))
    svg = response.content.split(b"<svg", 1)[1].split(b"</svg>", 1)[0]
    assert b"style=" not in svg


def test_a_board_member_is_told_when_nothing_is_published(reporting, board_member, client_for):
    response = client_for(board_member).get(url("report", reporting))
    assert response.status_code == 200
    assert "has not been published yet" in text_of(response)


def test_a_board_member_reads_the_latest_published_edition(reporting, board_member, client_for):
    f.published_report(reporting)
    edition = f.published_report(reporting)

    client = client_for(board_member)
    response = client.get(url("report", reporting))
    assert response["Location"] == url("report_edition", reporting, number=edition.number)

    page = text_of(client.get(response["Location"]))
    assert "Edition 2" in page and "OFFICIAL" in page
    assert "Edit the words" not in page


def test_saving_words_from_the_page(reporting, coordinator, client_for):
    response = client_for(coordinator).post(
        url("report_section", reporting, key="next_steps"),
        {"text": "Shared with the board on 1 March.", "version": 0, "action": "save"},
    )
    assert response.status_code == 302
    assert report_document(reporting)["sections"][-1]["words"] == (
        "Shared with the board on 1 March."
    )


def test_a_conflicting_save_shows_both_words_and_keeps_mine(
    reporting, coordinator, second_coordinator, client_for
):
    services.section_save(
        audit=reporting, key="method", text="Their words.", version=0, by=second_coordinator
    )

    response = client_for(coordinator).post(
        url("report_section", reporting, key="method"),
        {"text": "My words.", "version": 0, "action": "save"},
    )

    assert response.status_code == 409
    page = text_of(response)
    assert "Their words." in page and "My words." in page
    assert "Your words were not saved" in page
    assert b'name="version" value="1"' in response.content  # saving again is deliberate


def test_autosave_answers_the_new_version_or_the_conflict(
    reporting, coordinator, second_coordinator, client_for
):
    client = client_for(coordinator)
    autosave = url("report_autosave", reporting, key="themes")

    saved = client.post(autosave, {"text": "Themes, typed.", "version": 0}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert b'value="1"' in saved.content

    stale = client_for(second_coordinator).post(
        autosave, {"text": "Other.", "version": 0}, HTTP_HX_REQUEST="true"
    )
    assert stale.status_code == 409
    assert "Not saved" in text_of(stale)

    empty = client.post(autosave, {"text": "", "version": 1}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 400
    assert "Enter the words" in text_of(empty)


def test_an_unknown_section_is_not_found(reporting, coordinator, client_for):
    response = client_for(coordinator).get(url("report_section", reporting, key="appendix"))
    assert response.status_code == 404


def test_the_whole_way_to_publication_on_the_pages(
    reporting, coordinator, second_coordinator, client_for, django_capture_on_commit_callbacks
):
    f.RecommendationFactory(audit=reporting)
    author, approver = client_for(coordinator), client_for(second_coordinator)
    assert author.post(url("report_send", reporting)).status_code == 302

    page = text_of(author.get(url("report", reporting)))
    assert "Waiting for approval" in page
    assert "a second coordinator must approve it" in page

    response = approver.post(url("report_approve", reporting), {"digest": digest_of(reporting)})
    assert response.status_code == 302
    assert "Approved, not yet published" in text_of(approver.get(url("report", reporting)))

    with django_capture_on_commit_callbacks(execute=True):
        response = author.post(url("report_publish", reporting), {"digest": digest_of(reporting)})
    assert response["Location"] == url("report_edition", reporting, number=1)
    edition = ReportEdition.objects.get(audit=reporting)

    pdf = author.get(url("edition_pdf", reporting, number=1))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="report-audit-{reporting.pk}-edition-1.pdf"'
    )
    docx = author.get(url("edition_docx", reporting, number=1))
    assert docx.content[:2] == b"PK"
    figures = json.loads(author.get(url("edition_json", reporting, number=1)).content)
    assert figures == edition.document["summary"]


def test_a_report_without_recommendations_warns_and_asks_why_before_publishing(
    reporting, coordinator, second_coordinator, client_for
):
    services.report_send(audit=reporting, by=coordinator)
    services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)
    author = client_for(coordinator)

    page = author.get(url("report", reporting)).content.decode()
    assert 'class="govuk-warning-text"' in page
    assert "This report makes no recommendations" in text_of(author.get(url("report", reporting)))
    assert 'for="id_no_recommendations_reason"' in page
    assert "Publish edition 1 without recommendations</button>" in page

    refused = author.post(url("report_publish", reporting), {"digest": digest_of(reporting)})

    assert refused.status_code == 400
    html = refused.content.decode()
    assert '<a href="#id_no_recommendations_reason">This report makes no recommendations.' in html
    assert 'id="id_no_recommendations_reason-error"' in html
    assert text_of(refused).startswith("Error: ")
    assert not ReportEdition.objects.exists()

    published = author.post(
        url("report_publish", reporting),
        {"digest": digest_of(reporting), "no_recommendations_reason": "The board asked for none."},
    )

    edition = ReportEdition.objects.get(audit=reporting)
    assert published["Location"] == url("report_edition", reporting, number=1)
    change = ChangeRecord.objects.get(
        object_type="reports.reportedition", object_id=str(edition.pk)
    )
    assert change.reason == "Published without recommendations: The board asked for none."


def test_a_reason_too_long_is_refused_on_its_field(
    reporting, coordinator, second_coordinator, client_for
):
    services.report_send(audit=reporting, by=coordinator)
    services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)

    refused = client_for(coordinator).post(
        url("report_publish", reporting),
        {"digest": digest_of(reporting), "no_recommendations_reason": "x" * 2001},
    )

    assert refused.status_code == 400
    assert "Say why in 2,000 characters or fewer (it has 2001)." in text_of(refused)
    assert not ReportEdition.objects.exists()


def test_a_report_with_recommendations_is_published_without_a_warning(
    reporting, coordinator, second_coordinator, client_for
):
    f.RecommendationFactory(audit=reporting)
    services.report_send(audit=reporting, by=coordinator)
    services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)

    page = client_for(coordinator).get(url("report", reporting)).content.decode()

    assert "govuk-warning-text" not in page
    assert "no_recommendations_reason" not in page
    assert "Publish edition 1</button>" in page


def test_approving_shows_each_passage_that_could_identify_a_child(
    reporting, coordinator, second_coordinator, client_for
):
    services.section_save(
        audit=reporting,
        key="good_practice",
        text="Jayden's teacher noticed at once.",
        version=0,
        by=coordinator,
    )
    services.report_send(audit=reporting, by=coordinator)

    response = client_for(second_coordinator).post(
        url("report_approve", reporting), {"digest": digest_of(reporting)}
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "cannot be approved" in page
    assert "Good practice: what may be a person's name" in page
    assert "Jayden's teacher noticed at once. Found: Jayden" in page
    assert "Not a person’s name (Jayden)" in page
    assert not report_state(reporting, report_document(reporting)).approved


def test_publishing_shows_each_passage_that_could_identify_a_child(
    reporting, coordinator, second_coordinator, client_for
):
    # Approved once its one detected name was marked as not one; then the name is listed.
    services.section_save(
        audit=reporting,
        key="good_practice",
        text="Jayden's teacher noticed at once.",
        version=0,
        by=coordinator,
    )
    services.not_a_name_mark(
        audit=reporting,
        words="Jayden",
        passage="Jayden's teacher noticed at once.",
        by=second_coordinator,
    )
    services.report_send(audit=reporting, by=coordinator)
    services.report_approve(audit=reporting, digest=digest_of(reporting), by=second_coordinator)
    NameToCatch.objects.create(partnership=reporting.partnership, name="Jayden")

    response = client_for(coordinator).post(
        url("report_publish", reporting), {"digest": digest_of(reporting)}
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "cannot be published" in page
    assert "Good practice" in page and "Jayden's teacher noticed at once." in page
    assert "Not a person’s name" not in page  # a name to catch cannot be waved through
    assert not ReportEdition.objects.exists()


def test_a_draft_file_is_made_and_then_downloaded(
    reporting, coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    assert client.get(url("report_pdf", reporting)).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_files", reporting), {"format": "pdf"})
    assert response.status_code == 302

    pdf = client.get(url("report_pdf", reporting))
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].endswith(f'filename="report-audit-{reporting.pk}-draft.pdf"')
    assert Rendition.objects.get(kind="report_pdf").digest == digest_of(reporting)

    # A change makes the file out of date, and the page says so.
    services.section_save(audit=reporting, key="method", text="New.", version=0, by=coordinator)
    page = text_of(client.get(url("report", reporting)))
    assert "Out of date" in page


def test_a_file_format_that_does_not_exist_is_refused(reporting, coordinator, client_for):
    response = client_for(coordinator).post(url("report_files", reporting), {"format": "odt"})
    assert response.status_code == 400
    assert not Rendition.objects.exists()


def test_the_names_to_catch_page_saves_the_list(coordinator, client_for):
    client = client_for(coordinator)
    response = client.post(reverse("names_to_catch"), {"names": "Jayden\r\nAmira Khan\r\n"})
    assert response.status_code == 302
    assert "2 names on the list" in text_of(client.get(reverse("names_to_catch")))


# The command line --------------------------------------------------------------------------------


def test_the_command_writes_the_summary_as_json(reporting, capsys):
    call_command("report", str(reporting.pk))
    assert json.loads(capsys.readouterr().out)["cases"] == 2


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!DOC")])
def test_the_command_writes_each_format(fmt, magic, reporting, tmp_path):
    out = tmp_path / f"report.{fmt}"
    call_command("report", str(reporting.pk), format=fmt, output=str(out))
    assert out.read_bytes()[:5].upper().startswith(magic.upper())


def test_the_command_needs_a_file_for_a_pdf_and_an_edition_that_exists(reporting):
    with pytest.raises(CommandError, match="needs --output"):
        call_command("report", str(reporting.pk), format="pdf")
    with pytest.raises(CommandError, match="no published edition 3"):
        call_command("report", str(reporting.pk), format="json", edition=3)
