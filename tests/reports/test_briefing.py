"""The learning briefing (decision 71): drafted from the published report's themes, good
practice and recommendations; edited with optimistic locking; refused publication while its
words hold what could identify a child; published as editions never changed; one PDF page and a
Word file that say what the web page says."""

import io

import docx
import pytest
from django.db import connection, transaction
from django.urls import reverse
from pypdf import PdfReader

from maca.bundles.services import bundle_import
from maca.demo.story import demo_bundle
from maca.errors import DomainError, Kept
from maca.reports.briefing import briefing_text
from maca.reports.briefing_files import briefing_docx, briefing_pdf
from maca.reports.briefing_services import (
    BriefingConflict,
    BriefingIdentifiersFound,
    briefing_draft,
    briefing_publish,
    briefing_save,
)
from maca.reports.models import BriefingEdition, NameToCatch
from tests import factories as f
from tests.reports.test_formats_agree import docx_text, flat, pdf_text


@pytest.fixture
def published(audit, agencies):
    """The conftest audit with a theme, good practice, a recommendation and a return's area for
    development (which the report does not print), its report published."""
    first = audit.cases.get(reference="T-E-01")
    meeting = f.MeetingFactory(audit=audit)
    f.CasePointFactory(
        case=first, meeting=meeting, kind="good_practice", text="The school nurse visited jointly."
    )
    theme = f.AuditThemeFactory(
        audit=audit,
        title="Hearing the child at home",
        description="Children were seen late. Other words follow.",
    )
    recommendation = f.RecommendationFactory(
        audit=audit, text="Tell the GP within one working day."
    )
    recommendation.themes.add(theme)
    police_return = first.requests.get(agency=agencies["Police"]).agency_return
    police_return.areas_for_development = "Officer forgot to record the bedroom."
    police_return.save()
    return f.published_report(audit, with_pdf=False)


def test_the_briefing_is_drafted_from_the_published_reports_themes_and_recommendations(
    audit, published, coordinator
):
    briefing = briefing_draft(audit=audit, by=coordinator)

    assert "- Hearing the child at home: Children were seen late." in briefing.what_we_found
    assert "Other words follow" not in briefing.what_we_found  # the first sentence only
    assert "- Tell the GP within one working day." in briefing.what_to_do
    assert "The school nurse visited jointly." in briefing.what_good_looks_like
    assert "Hearing the child at home" in briefing.questions
    assert f"edition {published.number}" in briefing.further_reading
    everything = " ".join(briefing.parts().values())
    assert "bedroom" not in everything  # case-level text the report left out
    assert briefing.drafted_from == published


def test_no_briefing_before_the_report_is_published(audit, coordinator):
    with pytest.raises(DomainError, match="publish the audit's report first"):
        briefing_draft(audit=audit, by=coordinator)


def test_an_edit_from_an_older_version_is_refused(audit, published, coordinator):
    briefing = briefing_draft(audit=audit, by=coordinator)
    parts = briefing.parts()
    briefing_save(audit=audit, parts={**parts, "background": "Mine."}, version=1, by=coordinator)
    with pytest.raises(BriefingConflict, match="after you opened it"):
        briefing_save(
            audit=audit, parts={**parts, "background": "Theirs."}, version=1, by=coordinator
        )
    briefing.refresh_from_db()
    assert (briefing.background, briefing.version) == ("Mine.", 2)


def test_a_name_to_catch_blocks_publication_naming_the_part(
    audit, published, coordinator, partnership
):
    NameToCatch.objects.create(partnership=partnership, name="Zephyrine")
    briefing = briefing_draft(audit=audit, by=coordinator)
    parts = {**briefing.parts(), "what_to_do": "- Ask Zephyrine's school what it knew."}
    briefing = briefing_save(audit=audit, parts=parts, version=briefing.version, by=coordinator)

    with pytest.raises(BriefingIdentifiersFound) as refused:
        briefing_publish(audit=audit, version=briefing.version, by=coordinator)
    assert [placed.where for placed in refused.value.findings] == ["What to do"]
    assert not BriefingEdition.objects.exists()


def test_the_publish_page_lists_the_passages_found(
    audit, published, coordinator, partnership, client_for
):
    NameToCatch.objects.create(partnership=partnership, name="Zephyrine")
    briefing = briefing_draft(audit=audit, by=coordinator)
    parts = {**briefing.parts(), "background": "Zephyrine lives here."}
    briefing = briefing_save(audit=audit, parts=parts, version=briefing.version, by=coordinator)
    response = client_for(coordinator).post(
        reverse("audits:briefing_publish", args=[audit.pk]), {"version": briefing.version}
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "The briefing cannot be published: 1 passage holds" in text
    assert 'href="#finding-1">Background: a name</a>' in text


def test_a_published_briefing_is_never_changed_and_a_change_is_a_new_edition(
    audit, published, coordinator
):
    briefing = briefing_draft(audit=audit, by=coordinator)
    first = briefing_publish(audit=audit, version=briefing.version, by=coordinator)
    words = first.document["parts"][0]["words"]

    with pytest.raises(Kept):
        first.save()
    with pytest.raises(Kept):
        first.delete()
    with pytest.raises(Kept):
        BriefingEdition.objects.filter(pk=first.pk).update(number=9)
    if connection.vendor == "postgresql":  # the table refuses too, whatever asks
        with (
            pytest.raises(Exception, match="never"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE reports_briefingedition SET number = 9 WHERE id = %s", [first.pk]
            )

    parts = {**briefing.parts(), "background": "Said better."}
    briefing = briefing_save(audit=audit, parts=parts, version=briefing.version, by=coordinator)
    second = briefing_publish(audit=audit, version=briefing.version, by=coordinator)
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.document["parts"][0]["words"] == words
    assert second.document["parts"][0]["words"] == "Said better."


def test_the_board_reads_the_published_briefing_and_downloads_it(
    audit, published, board_member, client_for
):
    edition = f.published_briefing(published)
    client = client_for(board_member)
    page = client.get(reverse("audits:briefing", args=[audit.pk]))
    assert page.status_code == 302
    assert page["Location"] == reverse("audits:briefing_edition", args=[audit.pk, 1])
    assert "What we found" in client.get(page["Location"]).content.decode()
    word = client.get(reverse("audits:briefing_docx", args=[audit.pk, edition.number]))
    assert word.status_code == 200
    assert "Hearing the child at home" in docx_text(word.content)


def test_the_demos_briefing_is_one_page_and_its_pdf_and_word_file_say_the_same(
    tmp_path, coordinator
):
    """The demo's audit with a briefing (demo/bundles/05), its report published and its
    briefing drafted and published as the demo loader does."""
    audit = bundle_import(data=demo_bundle("05-domestic-abuse.json"))
    f.published_report(audit, with_pdf=False)
    briefing = briefing_draft(audit=audit, by=coordinator)
    edition = briefing_publish(audit=audit, version=briefing.version, by=coordinator)
    document = edition.document

    pdf = briefing_pdf(document)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    word = docx.Document(io.BytesIO(briefing_docx(document, edition.published_at.date())))
    assert (
        word.sections[-1]
        ._sectPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cols")
        .get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
        == "2"
    )

    pdf_words = flat(pdf_text(pdf, tmp_path))
    word_words = flat("\n".join(paragraph.text for paragraph in word.paragraphs))
    pieces = [flat(piece) for piece in briefing_text(document)]
    assert len(pieces) > 20
    assert [p for p in pieces if p not in pdf_words] == []
    assert [p for p in pieces if p not in word_words] == []
    # In the same order in both.
    assert sorted(pieces, key=pdf_words.index) == sorted(pieces, key=word_words.index)


def test_the_edit_page_refuses_an_older_version_showing_both_words(
    audit, published, coordinator, client_for
):
    briefing = briefing_draft(audit=audit, by=coordinator)
    parts = briefing.parts()
    briefing_save(audit=audit, parts={**parts, "background": "Theirs."}, version=1, by=coordinator)
    response = client_for(coordinator).post(
        reverse("audits:briefing_edit", args=[audit.pk]),
        {**parts, "background": "Mine.", "version": 1},
    )
    text = response.content.decode()
    assert response.status_code == 409
    assert "after you opened it. Your words were not saved" in text
    assert "Theirs." in text and "Mine." in text
    briefing.refresh_from_db()
    assert briefing.background == "Theirs."


def test_words_too_long_for_one_page_are_warned_of(audit, published, coordinator, client_for):
    briefing = briefing_draft(audit=audit, by=coordinator)
    parts = {**briefing.parts(), "what_to_do": "Say it at length. " * 100}
    parts["what_we_found"] = "Found at length. " * 100
    parts["background"] = "Background at length. " * 80
    briefing_save(audit=audit, parts=parts, version=briefing.version, by=coordinator)
    page = client_for(coordinator).get(reverse("audits:briefing", args=[audit.pk]))
    assert "The words are long for one page" in page.content.decode()
