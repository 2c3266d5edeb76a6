"""The case summary: every agency's return on a case side by side, and who may read it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from maca import access
from maca.audits.models import AuditStatus, RequestStatus
from maca.grades import Grade
from maca.meetings.summary import case_summaries, case_summary
from tests import factories as f
from tests.pages import text_of

QUESTION = "Was the child's voice heard?"


@pytest.fixture
def first_case(audit):
    return audit.cases.get(reference="T-E-01")


@pytest.fixture
def police_return(first_case):
    return_ = first_case.requests.get(agency__name="Police").agency_return
    return_.answers = {"q1": "Officers spoke to her alone after each missing episode."}
    return_.save()
    return return_


def _submit(case, agency_name, **fields):
    request = case.requests.get(agency__name=agency_name)
    request.status = fields.pop("status", RequestStatus.SUBMITTED)
    request.save()
    return f.ReturnFactory(request=request, **fields)


def _summary_url(audit, case):
    return reverse("audits:case_summary", args=[audit.pk, case.pk])


def _moderate(audit):
    audit.status = AuditStatus.MODERATION
    audit.save()


def test_answers_are_side_by_side_in_agency_order(
    audit, first_case, police_return, coordinator, client_for
):
    _submit(
        first_case,
        "Children's Social Care",
        grade="requires_improvement",
        answers={"q1": "The social worker did not see her alone."},
    )

    summary = case_summary(access.viewer_as(coordinator), audit, first_case)
    page = client_for(coordinator).get(_summary_url(audit, first_case))

    assert [part.agency.name for part in summary.agencies] == ["Children's Social Care", "Police"]
    [row] = summary.rows
    assert row.question.text == QUESTION
    assert row.answers == [
        "The social worker did not see her alone.",
        "Officers spoke to her alone after each missing episode.",
    ]
    html = page.content.decode()
    assert 'aria-labelledby="question-1"' in html
    columns = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html)
    # The grades table, then the question's table: one column per agency, in agency order.
    assert columns == ["Children&#x27;s Social Care", "Police"] * 2
    text = text_of(page)
    assert f"1. {QUESTION}" in text
    assert text.index("The social worker did not see her alone.") < text.index(
        "Officers spoke to her alone"
    )


def test_the_agencies_that_have_not_returned_are_named(
    audit, first_case, police_return, coordinator, client_for
):
    page = client_for(coordinator).get(_summary_url(audit, first_case))

    text = text_of(page)
    assert "1 of 2 involved agencies returned." in text
    assert "Not submitted by: Children's Social Care (not returned)" in text
    summary = case_summary(access.viewer_as(coordinator), audit, first_case)
    assert summary.rows[0].answers == ["Not submitted", police_return.answers["q1"]]


def test_a_draft_is_not_shown(audit, first_case, police_return, coordinator, client_for):
    _submit(
        first_case,
        "Children's Social Care",
        status=RequestStatus.DRAFT,
        answers={"q1": "Half-written thoughts"},
        good_practice="Not finished yet",
    )

    text = text_of(client_for(coordinator).get(_summary_url(audit, first_case)))

    assert "Half-written thoughts" not in text
    assert "Not finished yet" not in text
    assert "Not submitted by: Children's Social Care (draft)" in text


def test_the_grades_and_learning_are_shown_per_agency(
    audit, first_case, police_return, coordinator, client_for
):
    police_return.areas_for_development = "Record the child's words."
    police_return.learning = "Briefing for response officers."
    police_return.save()

    page = client_for(coordinator).get(_summary_url(audit, first_case))

    html = page.content.decode()
    assert '<strong class="govuk-tag govuk-tag--teal">Good</strong>' in html
    text = text_of(page)
    assert "Police shared the missing episode at once." in text
    assert "Record the child's words." in text
    assert "Briefing for response officers." in text


def test_immediate_action_is_flagged_at_the_top(
    audit, first_case, police_return, coordinator, client_for
):
    police_return.immediate_action = True
    police_return.immediate_action_description = "She is staying with an adult known to police."
    police_return.save()

    text = text_of(client_for(coordinator).get(_summary_url(audit, first_case)))

    assert text.index("Immediate action required, flagged by Police") < text.index("Case T-E-01")
    assert "She is staying with an adult known to police." in text
    assert "Not yet handled." in text


def test_a_handled_flag_says_what_was_done(
    audit, first_case, police_return, coordinator, client_for
):
    police_return.immediate_action = True
    police_return.immediate_action_description = "Unsafe placement."
    police_return.immediate_action_handled_at = timezone.now()
    police_return.immediate_action_handling = "Strategy meeting held the same day."
    police_return.save()

    summary = case_summary(access.viewer_as(coordinator), audit, first_case)
    text = text_of(client_for(coordinator).get(_summary_url(audit, first_case)))

    [flag] = summary.flags
    assert flag.handled and flag.agency.name == "Police"
    assert summary.unhandled_flags == []
    assert "Handled: Strategy meeting held the same day." in text
    assert "Not yet handled." not in text


def test_the_grade_is_proposed_from_the_submitted_returns(
    audit, first_case, police_return, coordinator, client_for
):
    _submit(first_case, "Children's Social Care", grade="inadequate")

    summary = case_summary(access.viewer_as(coordinator), audit, first_case)
    text = text_of(client_for(coordinator).get(_summary_url(audit, first_case)))

    # Good and inadequate: the median of two falls between them, so the worse one.
    assert summary.proposed_grade == Grade.INADEQUATE
    assert "Proposed from the agencies' grades: Inadequate (the median; the worse on a tie)" in text
    assert "Not yet ratified" in text


def test_nothing_is_proposed_without_a_scored_grade(audit, coordinator):
    second = audit.cases.get(reference="T-N-01")

    summary = case_summary(access.viewer_as(coordinator), audit, second)

    assert summary.proposed_grade is None
    assert summary.returned == []


def test_the_ratification_is_shown(audit, first_case, coordinator, client_for):
    f.RatificationFactory(
        case=first_case, grade="not_scored", reason="Insufficient information to grade."
    )

    text = text_of(client_for(coordinator).get(_summary_url(audit, first_case)))

    assert "Ratified grade Not scored Insufficient information to grade." in text


def test_no_agency_record_number_is_shown(
    audit, first_case, police_return, coordinator, police_auditor, client_for
):
    for request in first_case.requests.all():
        request.agency_record_number = f"REC-{request.agency.name[:3].upper()}-99881"
        request.save()
    _moderate(audit)

    for user in (coordinator, police_auditor):
        for url in (
            _summary_url(audit, first_case),
            reverse("audits:case_summaries", args=[audit.pk]),
        ):
            page = client_for(user).get(url)
            assert page.status_code == 200
            assert "99881" not in page.content.decode()
    summary = case_summary(access.viewer_as(coordinator), audit, first_case)
    assert "99881" not in repr(summary)


def test_agency_users_read_it_only_once_the_audit_is_in_moderation(
    audit, first_case, police_return, police_auditor, client_for
):
    client = client_for(police_auditor)
    assert client.get(_summary_url(audit, first_case)).status_code == 404
    assert client.get(reverse("audits:case_summaries", args=[audit.pk])).status_code == 404
    _submit(first_case, "Children's Social Care", answers={"q1": "Seen at home."})

    _moderate(audit)

    page = client.get(_summary_url(audit, first_case))
    assert page.status_code == 200
    # Every agency's return, not only their own.
    assert "Seen at home." in text_of(page)
    assert client.get(reverse("audits:case_summaries", args=[audit.pk])).status_code == 200


def test_an_agency_user_never_reads_a_case_their_agency_is_not_involved_in(
    audit, agencies, first_case, health_auditor, client_for
):
    second = audit.cases.get(reference="T-N-01")
    f.RequestFactory(case=second, agency=agencies["Health Provider"])
    _moderate(audit)
    client = client_for(health_auditor)

    assert client.get(_summary_url(audit, first_case)).status_code == 404
    assert client.get(_summary_url(audit, second)).status_code == 200
    listing = text_of(client.get(reverse("audits:case_summaries", args=[audit.pk])))
    assert "T-N-01" in listing
    assert "T-E-01" not in listing
    viewer = access.viewer_as(health_auditor)
    assert [s.case.reference for s in case_summaries(viewer, audit)] == ["T-N-01"]


def test_board_members_never_read_case_summaries(audit, first_case, board_member, client_for):
    _moderate(audit)
    client = client_for(board_member)

    assert client.get(_summary_url(audit, first_case)).status_code == 403
    assert client.get(reverse("audits:case_summaries", args=[audit.pk])).status_code == 403
    assert case_summaries(access.viewer_as(board_member), audit) == []


def test_the_list_links_every_case_with_its_returns_and_grades(
    audit, first_case, police_return, coordinator, client_for
):
    f.RatificationFactory(case=first_case, grade="good")

    page = client_for(coordinator).get(reverse("audits:case_summaries", args=[audit.pk]))

    html = page.content.decode()
    assert _summary_url(audit, first_case) in html
    assert _summary_url(audit, audit.cases.get(reference="T-N-01")) in html
    text = text_of(page)
    assert "Summary of case T-E-01 East 1 of 2 None Good Good" in text
    assert "Summary of case T-N-01 North 0 of 1 None None yet Not yet ratified" in text


def test_the_audit_page_links_to_the_summaries(
    audit, coordinator, police_auditor, board_member, client_for
):
    link = reverse("audits:case_summaries", args=[audit.pk])
    detail = reverse("audits:detail", args=[audit.pk])

    assert link in client_for(coordinator).get(detail).content.decode()
    assert link not in client_for(police_auditor).get(detail).content.decode()
    _moderate(audit)
    assert link in client_for(police_auditor).get(detail).content.decode()
    assert link not in client_for(board_member).get(detail).content.decode()


def _audit_with(partnership, areas, agencies, *, cases):
    audit = f.AuditFactory(partnership=partnership, title=f"Audit of {cases} cases")
    for key in ("q1", "q2", "q3"):
        f.QuestionFactory(audit=audit, key=key, kind="text")
    for i in range(cases):
        case = f.CaseFactory(audit=audit, reference=f"C-{i:02d}", area=areas[i % len(areas)])
        f.RatificationFactory(case=case, grade="good")
        for j, agency in enumerate(agencies):
            submitted = (i + j) % 3 != 0
            request = f.RequestFactory(
                case=case,
                agency=agency,
                status=RequestStatus.SUBMITTED if submitted else RequestStatus.DRAFT,
                agency_record_number=f"R{i}{j}",
            )
            f.ReturnFactory(
                request=request,
                answers={"q1": "Yes", "q2": "Partly", "q3": "No"},
                immediate_action=(i + j) % 5 == 0,
                immediate_action_description="Flagged.",
            )
    return audit


def test_the_summaries_cost_the_same_queries_whatever_the_number_of_cases(
    partnership, areas, agencies, coordinator, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    areas = list(areas.values())
    four = [*agencies.values(), f.AgencyFactory(partnership=partnership, name="Education")]
    small = _audit_with(partnership, areas, four[:2], cases=2)
    large = _audit_with(partnership, areas, four, cases=15)
    viewer = access.viewer_as(coordinator)
    client = client_for(coordinator)
    url = "audits:case_summaries"
    client.get(reverse(url, args=[small.pk]))  # warm the session

    with CaptureQueriesContext(connection) as reads:
        assert len(case_summaries(viewer, small)) == 2
    with CaptureQueriesContext(connection) as page_queries:
        client.get(reverse(url, args=[small.pk]))

    assert len(reads) == 4  # cases, requests, returns, questions
    with django_assert_max_num_queries(len(reads)):
        summaries = case_summaries(viewer, large)
    with django_assert_max_num_queries(len(page_queries)):
        page = client.get(reverse(url, args=[large.pk]))
    assert len(summaries) == 15
    assert all(len(s.agencies) == 4 and len(s.rows) == 3 for s in summaries)
    assert page.content.decode().count('scope="row"') == 15
