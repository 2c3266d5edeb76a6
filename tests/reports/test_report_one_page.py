"""The report on one page: every section's form, the executive summary, the charts the board
gets (honoured by the web report, the print HTML, the Word file and the JSON summary), the
audit's dates and attendance, and the reasons cases were not scored, grouped."""

import datetime
import io
from collections import Counter

import docx
import pytest
from django.urls import reverse

from maca.errors import DomainError
from maca.reports import services
from maca.reports.document import (
    document_digest,
    draft_edition,
    reasons_grouped,
    report_document,
)
from maca.reports.models import ReportChart, SectionKey
from maca.reports.printing import report_html
from maca.reports.word import report_docx
from tests import factories as f
from tests.pages import text_of

ALL = list(ReportChart.values)
DAY = datetime.date(2026, 6, 1)  # the draft's date: it changes nothing counted here


def url(name, audit, **kwargs):
    return reverse(f"audits:{name}", kwargs={"audit_id": audit.pk, **kwargs})


def section(document: dict, key: str) -> dict:
    return next(s for s in document["sections"] if s["key"] == key)


def words_of(document: dict, key: str) -> str:
    return " ".join(
        block.get("text", "") for block in section(document, key)["blocks"] if "text" in block
    )


def test_every_section_has_its_own_form_on_the_report(reporting, coordinator, client_for):
    page = client_for(coordinator).get(url("report", reporting)).content.decode()
    for key in SectionKey.values:
        assert f'id="{key}-text" name="text"' in page
        assert f'action="{url("report_section", reporting, key=key)}"' in page
        assert f'hx-post="{url("report_autosave", reporting, key=key)}"' in page
    assert 'id="charts"' in page


def test_a_sections_button_saves_and_comes_back_to_the_report(reporting, coordinator, client_for):
    response = client_for(coordinator).post(
        url("report_section", reporting, key="summary"),
        {"text": "The board is asked to agree the recommendations.", "version": 0},
    )
    assert response.status_code == 302
    assert response["Location"] == url("report", reporting) + "#summary"
    document = report_document(reporting)
    assert "The board is asked to agree" in words_of(document, "summary")


def test_a_stale_save_is_refused_with_their_words_shown(reporting, coordinator, client_for):
    client = client_for(coordinator)
    saving = url("report_section", reporting, key="scoring")
    client.post(saving, {"text": "First words.", "version": 0})
    refused = client.post(saving, {"text": "Mine, typed over theirs.", "version": 0})
    assert refused.status_code == 409
    assert "after you opened them" in text_of(refused)
    assert "First words." in text_of(refused)


def test_the_executive_summary_comes_first_and_says_what_was_found(reporting):
    document = report_document(reporting)
    first = document["sections"][0]
    assert first["key"] == "summary"
    found, asked = first["blocks"][0], first["blocks"][-1]
    assert found["source"] == "data" and found["text"].startswith("What was found: 2 cases")
    assert asked["source"] == "words" and "is asked to decide" in asked["text"]


def test_charts_left_out_are_printed_nowhere(reporting, coordinator):
    services.report_charts_choose(
        audit=reporting, charts=["overall_grades", "return_rate"], was=ALL, by=coordinator
    )
    document = report_document(reporting)

    assert document["summary"]["charts"] == ["overall_grades", "return_rate"]
    drawn = [b["key"] for b in section(document, "scoring")["blocks"] if b["kind"] == "chart"]
    assert drawn == ["overall_grades", "return_rate"]
    html = report_html(document, draft_edition(DAY))
    assert 'id="figure-overall_grades"' in html and 'id="figure-return_rate"' in html
    assert "figure-grades_by_area" not in html and "figure-agency_vs_ratified" not in html
    word = docx.Document(io.BytesIO(report_docx(document, draft_edition(DAY))))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert ReportChart.OVERALL_GRADES.label in headings
    assert ReportChart.RETURN_RATE.label in headings
    assert ReportChart.GRADES_BY_AREA.label not in headings
    assert ReportChart.AGENCY_VS_RATIFIED.label not in headings


def test_the_json_summary_lists_the_charts_as_an_optional_field(reporting, coordinator, client_for):
    summary = client_for(coordinator).get(url("report_json", reporting)).json()
    assert summary["charts"] == ALL  # every chart until one is left out


def test_the_charts_page_refuses_a_choice_changed_since_it_was_opened(
    reporting, coordinator, client_for
):
    services.report_charts_choose(audit=reporting, charts=ALL[1:], was=ALL, by=coordinator)
    response = client_for(coordinator).post(
        url("report_charts", reporting), {"charts": ALL, "was": ",".join(ALL)}
    )
    assert response.status_code == 400
    assert "Someone changed which charts go to the board" in text_of(response)
    assert report_document(reporting)["summary"]["charts"] == ALL[1:]


def test_an_unknown_chart_is_refused(reporting, coordinator):
    with pytest.raises(DomainError, match="Choose from the report's charts"):
        services.report_charts_choose(audit=reporting, charts=["pie"], was=ALL, by=coordinator)


def test_leaving_a_chart_out_needs_the_approval_again(reporting, coordinator):
    before = report_document(reporting)
    services.report_charts_choose(audit=reporting, charts=ALL[:1], was=ALL, by=coordinator)
    assert document_digest(report_document(reporting)) != document_digest(before)


def test_the_dates_and_who_attended_the_meeting(reporting, agencies):
    meeting = f.MeetingFactory(audit=reporting, held_on=datetime.date(2026, 3, 2))
    f.AttendeeFactory(meeting=meeting, name="Sam Jones", agency=agencies["Police"])
    f.AttendeeFactory(meeting=meeting, name="Ali Khan", agency=agencies["Police"])
    f.AttendeeFactory(meeting=meeting, name="Jo Bell", agency=agencies["Health Provider"])
    sent = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    reporting.requests.update(sent_at=sent)

    said = words_of(report_document(reporting), "method")

    assert "Requests for single-agency audits were sent on 5 January 2026" in said
    assert "The multi-agency audit meeting was held on 2 March 2026, attended by 3 people: " in said
    assert "Police (2)" in said and "Health Provider" in said
    assert "Sam Jones" not in said  # people's names never go in the report


def test_the_reasons_cases_were_not_scored_are_grouped():
    grouped = reasons_grouped(
        ["No returns received.", "no returns  received", "Insufficient information"]
    )
    assert grouped == Counter({"No returns received": 2, "Insufficient information": 1})


def test_the_scoring_sentence_lists_each_reason_with_its_cases(reporting):
    first, second = reporting.cases.order_by("reference")
    f.RatificationFactory(case=first, grade="not_scored", reason="No returns received.")
    f.RatificationFactory(case=second, grade="not_scored", reason="Insufficient information")
    third = f.CaseFactory(audit=reporting, reference="T-C-01", area=first.area)
    f.RatificationFactory(case=third, grade="not_scored", reason="no returns received")

    said = words_of(report_document(reporting), "scoring")

    assert (
        "3 of the 3 cases were not given a score: no returns received: 2 cases; "
        "insufficient information: 1 case." in said
    )
