"""Planning an audit: its details, sample plan and audit tool, by service and on the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.audits import planning
from maca.audits.models import Audit, AuditStatus, Question
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from tests import factories as f
from tests.pages import text_of

TODAY = timezone.localdate()
IN_A_MONTH = TODAY + datetime.timedelta(days=30)
IN_TWO_MONTHS = TODAY + datetime.timedelta(days=60)


def _create(partnership, by, **changes):
    fields = {
        "title": "Children missing education",
        "theme": "Education",
        "rationale": "A priority in the Ofsted improvement plan",
        "rationale_link": "https://example.org/plan",
        "sample_plan": {},
        "returns_due": IN_A_MONTH,
        "meeting_date": IN_TWO_MONTHS,
    }
    return planning.audit_create(partnership=partnership, by=by, **{**fields, **changes})


def _details(audit, **changes):
    fields = {
        "title": audit.title,
        "theme": audit.theme,
        "rationale": audit.rationale,
        "rationale_link": audit.rationale_link,
        "returns_due": audit.returns_due,
        "meeting_date": audit.meeting_date,
    }
    return {**fields, **changes}


def _keys(audit):
    return list(audit.questions.order_by("position", "id").values_list("key", flat=True))


def _texts(audit):
    return list(audit.questions.order_by("position", "id").values_list("text", flat=True))


def _form(areas, **changes):
    data = {
        "title": "Children missing education",
        "theme": "Education",
        "rationale": "A priority in the Ofsted improvement plan",
        "rationale_link": "https://example.org/plan",
        "returns_due": IN_A_MONTH.isoformat(),
        "meeting_date": IN_TWO_MONTHS.isoformat(),
        **{f"area_{area.pk}": 5 for area in areas.values()},
    }
    return {**data, **changes}


# --- The audit's details and sample plan: services ------------------------------------------


def test_coordinator_creates_an_audit_with_a_sample_plan(partnership, areas, coordinator):
    audit = _create(partnership, coordinator, sample_plan={areas["East"]: 5, areas["North"]: 4})
    audit.refresh_from_db()
    assert audit.status == AuditStatus.PLANNING
    assert audit.returns_due == IN_A_MONTH and audit.meeting_date == IN_TWO_MONTHS
    plan = {e.area.name: e.cases for e in audit.sample_plan.select_related("area")}
    assert plan == {"East": 5, "North": 4}


def test_an_area_with_no_cases_is_left_out_of_the_plan(partnership, areas, coordinator):
    audit = _create(partnership, coordinator, sample_plan={areas["East"]: 5, areas["North"]: 0})
    assert [e.area.name for e in audit.sample_plan.all()] == ["East"]


def test_title_must_be_unique_in_the_partnership(partnership, planning_audit, coordinator):
    with pytest.raises(DomainError) as refused:
        _create(partnership, coordinator, title=planning_audit.title)
    assert refused.value.field == "title"
    assert Audit.objects.filter(title=planning_audit.title).count() == 1


def test_another_partnership_may_use_the_same_title(
    planning_audit, other_partnership, other_partnership_coordinator
):
    audit = _create(other_partnership, other_partnership_coordinator, title=planning_audit.title)
    assert audit.partnership == other_partnership


def test_returns_cannot_be_due_in_the_past(partnership, coordinator):
    with pytest.raises(DomainError) as refused:
        _create(partnership, coordinator, returns_due=TODAY - datetime.timedelta(days=1))
    assert refused.value.field == "returns_due"


def test_the_meeting_cannot_come_before_returns_are_due(partnership, coordinator):
    with pytest.raises(DomainError) as refused:
        _create(partnership, coordinator, returns_due=IN_TWO_MONTHS, meeting_date=IN_A_MONTH)
    assert refused.value.field == "meeting_date"


def test_an_area_of_another_partnership_is_refused(partnership, areas, other_audit, coordinator):
    elsewhere = other_audit.cases.get().area
    with pytest.raises(DomainError) as refused:
        _create(partnership, coordinator, sample_plan={elsewhere: 5})
    assert refused.value.field == "sample_plan"


def test_coordinator_changes_the_details_and_plan_while_planning(
    planning_audit, areas, coordinator
):
    planning.audit_update(
        audit=planning_audit,
        by=coordinator,
        sample_plan={areas["East"]: 6, areas["North"]: 5, areas["Central"]: 0},
        **_details(planning_audit, title="Neglect under fives", returns_due=IN_A_MONTH),
    )
    planning_audit.refresh_from_db()
    assert planning_audit.title == "Neglect under fives"
    plan = {e.area.name: e.cases for e in planning_audit.sample_plan.all()}
    assert plan == {"East": 6, "North": 5}


def test_details_change_while_collecting_but_the_sample_plan_does_not(
    planning_audit, areas, coordinator
):
    planning_audit.status = AuditStatus.COLLECTING
    planning_audit.save()
    planning.audit_update(
        audit=planning_audit, by=coordinator, **_details(planning_audit, theme="Early years")
    )
    assert Audit.objects.get(pk=planning_audit.pk).theme == "Early years"

    with pytest.raises(DomainError, match="sample plan cannot change") as refused:
        planning.audit_update(
            audit=planning_audit,
            by=coordinator,
            sample_plan={area: 1 for area in areas.values()},
            **_details(planning_audit),
        )
    assert refused.value.field == "sample_plan"
    assert sorted(e.cases for e in planning_audit.sample_plan.all()) == [5, 5, 5]


def test_details_cannot_change_after_returns_are_collected(planning_audit, coordinator):
    planning_audit.status = AuditStatus.MODERATION
    planning_audit.save()
    with pytest.raises(DomainError):
        planning.audit_update(
            audit=planning_audit, by=coordinator, **_details(planning_audit, theme="Changed")
        )
    assert Audit.objects.get(pk=planning_audit.pk).theme == "Neglect"


def test_a_returns_due_date_already_past_may_stay(planning_audit, coordinator):
    past = TODAY - datetime.timedelta(days=3)
    Audit.objects.filter(pk=planning_audit.pk).update(returns_due=past, meeting_date=None)
    planning_audit.refresh_from_db()
    planning.audit_update(
        audit=planning_audit, by=coordinator, **_details(planning_audit, theme="Neglect at home")
    )
    assert Audit.objects.get(pk=planning_audit.pk).returns_due == past


# --- The audit tool: services ---------------------------------------------------------------


def test_questions_are_added_at_the_end_with_the_next_key(planning_audit, coordinator):
    question = planning.question_add(
        audit=planning_audit, by=coordinator, text="Was the GP told?", kind="yes_no_partly"
    )
    assert question.key == "q4"
    assert _texts(planning_audit)[-1] == "Was the GP told?"


def test_question_keys_continue_after_a_delete(planning_audit, coordinator):
    planning.question_delete(question=planning_audit.questions.get(key="q2"), by=coordinator)
    planning.question_add(
        audit=planning_audit, by=coordinator, text="Was the GP told?", kind="text"
    )
    assert _keys(planning_audit) == ["q1", "q3", "q4"]


def test_the_first_question_of_a_new_audit_is_q1(partnership, coordinator):
    audit = _create(partnership, coordinator)
    question = planning.question_add(audit=audit, by=coordinator, text="Seen?", kind="text")
    assert question.key == "q1"


def test_a_question_with_no_text_or_an_unknown_kind_is_refused(planning_audit, coordinator):
    with pytest.raises(DomainError) as no_text:
        planning.question_add(audit=planning_audit, by=coordinator, text="  ", kind="text")
    with pytest.raises(DomainError) as bad_kind:
        planning.question_add(audit=planning_audit, by=coordinator, text="Seen?", kind="score")
    assert (no_text.value.field, bad_kind.value.field) == ("text", "kind")
    assert planning_audit.questions.count() == 3


def test_questions_move_up_and_down(planning_audit, coordinator):
    planning.question_move(
        question=planning_audit.questions.get(key="q3"), by=coordinator, direction="up"
    )
    assert _keys(planning_audit) == ["q1", "q3", "q2"]
    planning.question_move(
        question=planning_audit.questions.get(key="q1"), by=coordinator, direction="down"
    )
    assert _keys(planning_audit) == ["q3", "q1", "q2"]


def test_the_first_question_stays_first_when_moved_up(planning_audit, coordinator):
    planning.question_move(
        question=planning_audit.questions.get(key="q1"), by=coordinator, direction="up"
    )
    assert _keys(planning_audit) == ["q1", "q2", "q3"]


def test_questions_sharing_a_position_still_move(partnership, coordinator):
    audit = f.AuditFactory(partnership=partnership, status=AuditStatus.PLANNING)
    for key in ("q1", "q2", "q3"):
        f.QuestionFactory(audit=audit, key=key, position=0)
    planning.question_move(question=audit.questions.get(key="q2"), by=coordinator, direction="up")
    assert _keys(audit) == ["q2", "q1", "q3"]


def test_questions_cannot_change_once_collecting(audit, planning_audit, coordinator):
    question = audit.questions.get()
    refusals = [
        lambda: planning.question_add(audit=audit, by=coordinator, text="New?", kind="text"),
        lambda: planning.question_update(
            question=question, by=coordinator, text="Changed?", kind="text"
        ),
        lambda: planning.question_delete(question=question, by=coordinator),
        lambda: planning.question_move(question=question, by=coordinator, direction="down"),
        lambda: planning.questions_copy(audit=audit, source=planning_audit, by=coordinator),
    ]
    for refused in refusals:
        with pytest.raises(DomainError, match="cannot change once requests have been sent"):
            refused()
    assert _texts(audit) == ["Was the child's voice heard?"]


def test_copy_brings_questions_in_order(partnership, planning_audit, coordinator):
    planning.question_move(
        question=planning_audit.questions.get(key="q3"), by=coordinator, direction="up"
    )
    audit = _create(partnership, coordinator)
    planning.question_add(audit=audit, by=coordinator, text="Is there a lead?", kind="text")

    copies = planning.questions_copy(audit=audit, source=planning_audit, by=coordinator)

    assert len(copies) == 3
    assert _texts(audit) == ["Is there a lead?", *_texts(planning_audit)]
    assert _keys(audit) == ["q1", "q2", "q3", "q4"]
    kinds = list(audit.questions.order_by("position").values_list("kind", flat=True))
    assert kinds == ["text", "text", "grade", "yes_no_partly"]
    assert planning_audit.questions.count() == 3  # the source keeps its own


def test_copy_from_another_partnership_is_refused(partnership, other_audit, coordinator):
    audit = _create(partnership, coordinator)
    with pytest.raises(DomainError) as refused:
        planning.questions_copy(audit=audit, source=other_audit, by=coordinator)
    assert refused.value.field == "source"
    assert audit.questions.count() == 0


def test_history_records_question_changes(planning_audit, coordinator):
    question = planning.question_add(
        audit=planning_audit, by=coordinator, text="Was the GP told?", kind="text"
    )
    planning.question_update(
        question=question, by=coordinator, text="Was the GP told in time?", kind="yes_no_partly"
    )
    pk = question.pk
    planning.question_delete(question=question, by=coordinator)

    records = ChangeRecord.objects.filter(
        object_type="audits.question", object_id=str(pk)
    ).order_by("id")
    assert [r.action for r in records] == ["create", "update", "delete"]
    assert all(r.user == coordinator and r.via == "web" for r in records)
    assert all(r.audit_id == planning_audit.pk for r in records)
    assert records[1].before["text"] == "Was the GP told?"
    assert records[1].after["kind"] == "yes_no_partly"


def test_history_records_who_planned_the_audit(partnership, areas, coordinator):
    audit = _create(partnership, coordinator, sample_plan={areas["East"]: 5})
    records = ChangeRecord.objects.filter(audit_id=audit.pk)
    assert {r.object_type for r in records} == {"audits.audit", "audits.sampleplanentry"}
    assert {r.user for r in records} == {coordinator}


# --- The pages ------------------------------------------------------------------------------


def test_coordinator_plans_an_audit_on_the_page(partnership, areas, coordinator, client_for):
    client = client_for(coordinator)
    assert "Cases from East" in client.get(reverse("audits:create")).content.decode()

    response = client.post(reverse("audits:create"), _form(areas), follow=True)

    audit = Audit.objects.get(partnership=partnership, title="Children missing education")
    assert response.redirect_chain[-1][0] == reverse("audits:questions", args=[audit.pk])
    assert "Audit created" in response.content.decode()
    assert sorted(e.cases for e in audit.sample_plan.all()) == [5, 5, 5]
    assert audit.status == AuditStatus.PLANNING


def test_police_auditor_cannot_create_an_audit(areas, police_auditor, client_for):
    client = client_for(police_auditor)
    assert client.get(reverse("audits:create")).status_code == 403
    assert client.post(reverse("audits:create"), _form(areas)).status_code == 403
    assert not Audit.objects.filter(title="Children missing education").exists()


def test_only_coordinators_see_the_plan_button(coordinator, board_member, client_for):
    button = "Plan a new audit"
    assert button in client_for(coordinator).get(reverse("home")).content.decode()
    assert button not in client_for(board_member).get(reverse("home")).content.decode()


def test_a_title_in_use_is_shown_on_the_field(areas, planning_audit, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("audits:create"), _form(areas, title=planning_audit.title)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert '<a href="#id_title">The partnership already has an audit with this title' in page
    assert 'id="id_title-error"' in page
    assert Audit.objects.filter(title=planning_audit.title).count() == 1


def test_bad_date_is_named(areas, coordinator, client_for):
    client = client_for(coordinator)
    not_a_date = client.post(reverse("audits:create"), _form(areas, returns_due="2026-02-31"))
    assert "Returns due must be a real date" in not_a_date.content.decode()

    too_early = client.post(
        reverse("audits:create"),
        _form(areas, returns_due=IN_TWO_MONTHS.isoformat(), meeting_date=IN_A_MONTH.isoformat()),
    )
    page = too_early.content.decode()
    assert 'id="id_meeting_date-error"' in page
    assert "The meeting date must be on or after the date returns are due" in page
    assert not Audit.objects.filter(title="Children missing education").exists()


def test_a_sample_plan_over_the_limit_is_named(areas, coordinator, client_for):
    east = areas["East"]
    response = client_for(coordinator).post(
        reverse("audits:create"), _form(areas, **{f"area_{east.pk}": 101})
    )
    assert "Cases from East must be 100 or fewer" in response.content.decode()
    assert f'href="#id_area_{east.pk}"' in response.content.decode()


def test_coordinator_edits_the_audit_details(planning_audit, areas, coordinator, client_for):
    client = client_for(coordinator)
    page = client.get(reverse("audits:edit", args=[planning_audit.pk])).content.decode()
    assert 'value="Neglect in the early years"' in page

    data = _form(areas, title="Neglect in the early years", theme="Neglect at home")
    response = client.post(reverse("audits:edit", args=[planning_audit.pk]), data, follow=True)

    assert "Audit details saved" in response.content.decode()
    assert Audit.objects.get(pk=planning_audit.pk).theme == "Neglect at home"


def test_the_edit_page_of_a_collecting_audit_shows_the_plan_read_only(
    audit, areas, coordinator, client_for
):
    f.SamplePlanEntryFactory(audit=audit, area=areas["East"], cases=2)
    page = client_for(coordinator).get(reverse("audits:edit", args=[audit.pk])).content.decode()
    assert "The sample plan cannot change once requests have been sent." in page
    assert "East: 2 cases" in page
    assert "Cases from East" not in page


def test_the_audit_page_shows_the_plan_and_the_planning_links(
    planning_audit, coordinator, client_for
):
    page = (
        client_for(coordinator)
        .get(reverse("audits:detail", args=[planning_audit.pk]))
        .content.decode()
    )
    assert "East: 5 cases" in page and "Central: 5 cases" in page
    assert "Edit audit details" in page
    assert ">Audit tool</a>" in page and "3 questions" in page


def test_coordinator_builds_the_audit_tool_on_the_page(planning_audit, coordinator, client_for):
    client = client_for(coordinator)
    questions_url = reverse("audits:questions", args=[planning_audit.pk])

    added = client.post(questions_url, {"text": "Was the GP told?", "kind": "text"}, follow=True)
    assert "Question added" in added.content.decode()

    new = planning_audit.questions.get(key="q4")
    edit_url = reverse("audits:question_edit", args=[planning_audit.pk, new.pk])
    assert "Was the GP told?" in client.get(edit_url).content.decode()
    changed = client.post(edit_url, {"text": "Was the GP told in time?", "kind": "grade"})
    assert changed.status_code == 302

    client.post(
        reverse("audits:question_move", args=[planning_audit.pk, new.pk]), {"direction": "up"}
    )
    first = planning_audit.questions.get(key="q1")
    deleted = client.post(
        reverse("audits:question_delete", args=[planning_audit.pk, first.pk]), follow=True
    )
    assert "Question deleted" in deleted.content.decode()

    assert _texts(planning_audit) == [
        "Was there a plan for the child?",
        "Was the GP told in time?",
        "How well did the agency share information?",
    ]
    page = client.get(questions_url).content.decode()
    assert page.count("Move up") == 2 and page.count("Move down") == 2


def test_a_question_without_text_is_named_on_the_page(planning_audit, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("audits:questions", args=[planning_audit.pk]), {"text": "", "kind": "text"}
    )
    assert response.status_code == 200
    assert '<a href="#id_text">Enter the question</a>' in response.content.decode()
    assert planning_audit.questions.count() == 3


def test_a_closed_audit_tool_is_shown_read_only(audit, coordinator, client_for):
    page = client_for(coordinator).get(reverse("audits:questions", args=[audit.pk]))
    text = page.content.decode()
    assert "Was the child&#x27;s voice heard?" in text
    assert "The audit tool cannot change once requests have been sent" in text
    assert "Add a question" not in text and "Move down" not in text


def test_a_change_to_a_closed_audit_tool_is_refused_with_a_message(audit, coordinator, client_for):
    client = client_for(coordinator)
    question = audit.questions.get()
    response = client.post(
        reverse("audits:question_delete", args=[audit.pk, question.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("audits:questions", args=[audit.pk])
    assert "The audit tool cannot change once requests have been sent" in (
        response.content.decode()
    )
    added = client.post(
        reverse("audits:questions", args=[audit.pk]), {"text": "New?", "kind": "text"}
    )
    assert added.status_code == 302
    assert _texts(audit) == ["Was the child's voice heard?"]


def test_the_copy_form_offers_the_partnerships_audits_with_questions(
    partnership, planning_audit, audit, other_audit, coordinator, client_for
):
    empty = _create(partnership, coordinator, title="An audit with no questions yet")
    target = _create(partnership, coordinator, title="Neglect, second look")
    page = (
        client_for(coordinator).get(reverse("audits:questions", args=[target.pk])).content.decode()
    )
    assert f'<option value="{planning_audit.pk}">Neglect in the early years (3 questions)' in page
    assert f'<option value="{audit.pk}">Transitions to adult services (1 question)<' in page
    assert f'<option value="{empty.pk}">' not in page
    assert other_audit.title not in page


def test_coordinator_copies_questions_on_the_page(
    partnership, planning_audit, coordinator, client_for
):
    target = _create(partnership, coordinator, title="Neglect, second look")
    response = client_for(coordinator).post(
        reverse("audits:questions_copy", args=[target.pk]),
        {"source": planning_audit.pk},
        follow=True,
    )
    assert "3 questions copied from Neglect in the early years" in response.content.decode()
    assert _texts(target) == _texts(planning_audit)


def test_copying_another_partnerships_audit_is_named_on_the_form(
    partnership, planning_audit, other_audit, coordinator, client_for
):
    target = _create(partnership, coordinator, title="Neglect, second look")
    response = client_for(coordinator).post(
        reverse("audits:questions_copy", args=[target.pk]), {"source": other_audit.pk}
    )
    assert response.status_code == 200
    assert "Choose one of the partnership&#x27;s audits" in response.content.decode()
    assert target.questions.count() == 0


def test_moving_a_question_answers_only_post(planning_audit, coordinator, client_for):
    question = planning_audit.questions.get(key="q1")
    response = client_for(coordinator).get(
        reverse("audits:question_move", args=[planning_audit.pk, question.pk])
    )
    assert response.status_code == 405
    assert planning_audit.questions.count() == 3


def test_deleting_a_question_asks_first_and_deletes_only_when_confirmed(
    planning_audit, coordinator, client_for
):
    client = client_for(coordinator)
    question = planning_audit.questions.get(key="q1")
    delete = reverse("audits:question_delete", args=[planning_audit.pk, question.pk])
    questions = client.get(reverse("audits:questions", args=[planning_audit.pk])).content.decode()
    assert f'href="{delete}"' in questions  # a link to the question, not a button that deletes

    asked = text_of(client.get(delete))
    assert "Are you sure you want to delete this question?" in asked
    assert "Was the child seen and heard?" in asked
    assert planning_audit.questions.count() == 3

    done = client.post(delete, follow=True)
    assert "Question deleted" in text_of(done)
    assert not planning_audit.questions.filter(pk=question.pk).exists()


def test_copy_answers_only_post(planning_audit, coordinator, client_for):
    response = client_for(coordinator).get(
        reverse("audits:questions_copy", args=[planning_audit.pk])
    )
    assert response.status_code == 405


def test_a_question_of_another_audit_is_not_found(audit, planning_audit, coordinator, client_for):
    elsewhere = audit.questions.get()
    client = client_for(coordinator)
    edit = reverse("audits:question_edit", args=[planning_audit.pk, elsewhere.pk])
    delete = reverse("audits:question_delete", args=[planning_audit.pk, elsewhere.pk])
    assert client.get(edit).status_code == 404
    assert client.post(delete).status_code == 404
    assert Question.objects.filter(pk=elsewhere.pk).exists()


def test_an_unknown_move_direction_is_refused_with_a_message(
    planning_audit, coordinator, client_for
):
    question = planning_audit.questions.get(key="q2")
    response = client_for(coordinator).post(
        reverse("audits:question_move", args=[planning_audit.pk, question.pk]),
        {"direction": "sideways"},
        follow=True,
    )
    assert "Choose up or down" in response.content.decode()
    assert _keys(planning_audit) == ["q1", "q2", "q3"]


def test_a_new_due_date_while_collecting_moves_every_return_still_owed(audit, coordinator):
    from maca.audits.planning import audit_update

    new_due = audit.returns_due + datetime.timedelta(days=14)

    audit_update(
        audit=audit,
        by=coordinator,
        title=audit.title,
        theme=audit.theme,
        returns_due=new_due,
        meeting_date=audit.meeting_date + datetime.timedelta(days=14),
    )

    owed = audit.requests.exclude(status="submitted")
    assert owed.count() == 2 and all(r.due == new_due for r in owed)
    assert audit.requests.get(status="submitted").due != new_due
