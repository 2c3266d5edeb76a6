"""The return form for each kind of question: one choice from a list, a 1–5 scale, a date,
"not applicable" where allowed, guidance as the hint; what the check page, the case summary and
the meeting's case page show for each (the label, not the stored value)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maca import access
from maca.audits.models import AuditStatus, RequestStatus
from maca.meetings.services import moderation_start
from maca.meetings.summary import case_summary
from maca.returns.models import Return
from tests import factories as f
from tests.pages import text_of

HTMX = {"HTTP_HX_REQUEST": "true"}
PLANNED = timezone.localdate() - datetime.timedelta(days=40)
PLANNED_SHOWN = f"{PLANNED.day} {PLANNED:%B %Y}"


def url(request_, name="audits:return"):
    return reverse(name, args=[request_.audit_id, request_.case_id, request_.agency_id])


@pytest.fixture
def tool(audit):
    """The conftest's audit's free-text q1, and four questions of the richer kinds."""
    f.QuestionFactory(
        audit=audit,
        key="q2",
        text="Who led the plan?",
        kind="choice",
        options=["Children's social care", "Health", "Education"],
        guidance="The agency that chaired the planning meetings",
        position=1,
    )
    f.QuestionFactory(
        audit=audit,
        key="q3",
        text="How well was the plan followed?",
        kind="scale",
        scale_labels={"1": "Not at all", "5": "Fully"},
        allows_not_applicable=True,
        position=2,
    )
    f.QuestionFactory(
        audit=audit, key="q4", text="When was the plan made?", kind="date", position=3
    )
    f.QuestionFactory(
        audit=audit,
        key="q5",
        text="Was the GP told?",
        kind="text",
        allows_not_applicable=True,
        position=4,
    )
    return audit


def _date(value: datetime.date, key="q4") -> dict:
    return {
        f"answer_{key}-day": str(value.day),
        f"answer_{key}-month": str(value.month),
        f"answer_{key}-year": str(value.year),
    }


def _answers(**extra):
    return {
        "answer_q1": "Yes, at every review.",
        "answer_q2": "Health",
        "answer_q3": "4",
        **_date(PLANNED),
        "answer_q5_not_applicable": "on",
        **extra,
    }


def test_the_form_offers_each_kind_and_not_applicable_only_where_allowed(
    tool, csc_request, csc_auditor, client_for
):
    response = client_for(csc_auditor).get(url(csc_request))
    page = response.content.decode()

    assert 'name="answer_q2" type="radio" value="Health"' in page
    assert 'name="answer_q3" type="radio" value="5"' in page
    assert "5 (Fully)" in page
    assert 'name="answer_q4-day"' in page and 'name="answer_q4-year"' in page
    assert 'name="answer_q5_not_applicable"' in page
    # Not applicable: among the scale's choices (allowed), not the choice question's.
    assert 'name="answer_q3" type="radio" value="not_applicable"' in page
    assert 'name="answer_q2" type="radio" value="not_applicable"' not in page
    assert 'name="answer_q4_not_applicable"' not in page
    # The guidance is the question's hint, tied to its fieldset.
    assert 'id="id_answer_q2-hint" class="govuk-hint">The agency that chaired' in page
    assert 'aria-describedby="id_answer_q2-hint"' in page


def test_valid_answers_of_each_kind_are_saved(tool, csc_request, csc_auditor, client_for):
    client = client_for(csc_auditor)

    response = client.post(url(csc_request), _answers(action="save"))

    assert response.status_code == 302
    answers = Return.objects.get(request=csc_request).answers
    assert answers == {
        "q1": "Yes, at every review.",
        "q2": "Health",
        "q3": "4",
        "q4": PLANNED.isoformat(),
        "q5": "not_applicable",
    }
    page = client.get(url(csc_request)).content.decode()
    assert f'name="answer_q4-year" type="text" inputmode="numeric" value="{PLANNED.year}"' in page
    assert 'name="answer_q2" type="radio" value="Health" checked' in page
    assert 'name="answer_q5_not_applicable" type="checkbox" value="on" checked' in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({"answer_q2": "Police"}, "Choose one of the answers to “Who led the plan?”"),
        ({"answer_q3": "7"}, "The answer to “How well was the plan followed?” must be a number"),
        (
            {"answer_q4-day": "30", "answer_q4-month": "2", "answer_q4-year": "2027"},
            "When was the plan made? must be a real date",
        ),
        (
            {"answer_q4-day": "3", "answer_q4-month": "", "answer_q4-year": "2027"},
            "When was the plan made? must include a month",
        ),
    ],
)
def test_an_answer_that_does_not_fit_is_named_and_nothing_is_saved(
    tool, csc_request, csc_auditor, client_for, typed, message
):
    response = client_for(csc_auditor).post(url(csc_request), {**typed, "action": "save"})

    assert response.status_code == 400
    assert message in text_of(response)
    assert not Return.objects.filter(request=csc_request).exists()


def test_not_applicable_is_refused_where_not_allowed(tool, csc_request, csc_auditor, client_for):
    client = client_for(csc_auditor)

    response = client.post(url(csc_request), {"answer_q2": "not_applicable", "action": "save"})

    assert response.status_code == 400
    assert "Choose one of the answers to “Who led the plan?”" in text_of(response)


def test_autosave_keeps_a_date_and_a_choice(tool, csc_request, csc_auditor, client_for):
    response = client_for(csc_auditor).post(
        url(csc_request, "audits:return_autosave"),
        {"answer_q2": "Education", **_date(PLANNED)},
        **HTMX,
    )

    assert response.status_code == 200
    answers = Return.objects.get(request=csc_request).answers
    assert answers == {"q2": "Education", "q4": PLANNED.isoformat()}


def test_the_check_page_shows_labels_not_stored_values(tool, csc_request, csc_auditor, client_for):
    response = client_for(csc_auditor).post(
        url(csc_request),
        _answers(
            grade="good",
            good_practice="Plans were shared.",
            areas_for_development="None",
            learning="None",
            action="submit",
        ),
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "Check your answers before submitting your return" in page
    assert f"When was the plan made? {PLANNED_SHOWN}" in page
    assert "How well was the plan followed? 4 Change" in page
    assert "Was the GP told? Not applicable" in page
    assert PLANNED.isoformat() not in page and "not_applicable" not in page


def test_the_grade_descriptors_are_beside_the_grade(
    audit, partnership, csc_request, csc_auditor, client_for
):
    partnership.grade_descriptors = {"good": "Our own words for good."}
    partnership.save()

    page = text_of(client_for(csc_auditor).get(url(csc_request)))

    assert "What the grades mean" in page
    assert "Good Our own words for good." in page
    assert "Inadequate Serious failures left the child at risk" in page  # the default


# --- The case summary and the meeting -------------------------------------------------------


def _submitted(case, agency_name, answers, grade="good"):
    request = case.requests.get(agency__name=agency_name)
    request.status = RequestStatus.SUBMITTED
    request.save()
    Return.objects.filter(request=request).delete()
    return f.ReturnFactory(request=request, answers=answers, grade=grade)


def test_the_summary_and_meeting_show_labels(tool, partnership, coordinator, client_for):
    f.QuestionFactory(audit=tool, key="q6", text="How good was the plan?", kind="grade", position=5)
    case = tool.cases.get(reference="T-E-01")
    answers = {
        "q2": "Education",
        "q3": "not_applicable",
        "q4": PLANNED.isoformat(),
        "q6": "requires_improvement",
    }
    _submitted(case, "Police", answers)
    _submitted(case, "Children's Social Care", {"q3": "5", "q6": "outstanding"})

    summary = case_summary(access.viewer_as(coordinator), tool, case)
    rows = {row.question.key: row.answers for row in summary.rows}
    # Agencies in partnership order: Children's Social Care, then Police.
    assert rows["q3"] == ["5 (Fully)", "Not applicable"]
    assert rows["q4"] == ["Not answered", PLANNED_SHOWN]
    assert rows["q6"] == ["Outstanding", "Requires improvement"]

    moderation_start(audit=tool, by=coordinator)
    tool.refresh_from_db()
    assert tool.status == AuditStatus.MODERATION
    client = client_for(coordinator)
    page = text_of(client.get(reverse("audits:meeting_case", args=[tool.pk, case.pk])))
    assert PLANNED_SHOWN in page and "Requires improvement" in page and "5 (Fully)" in page
    assert "requires_improvement" not in page and PLANNED.isoformat() not in page
    assert "What the grades mean" in page and "Children's needs are identified and met" in page
    summary_page = text_of(client.get(reverse("audits:case_summary", args=[tool.pk, case.pk])))
    assert PLANNED_SHOWN in summary_page and "Not applicable" in summary_page
