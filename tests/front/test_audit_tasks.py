"""The audit's page as a task list: each stage's tasks and their status, and the page's one
primary button, the next step (maca/front/audit_tasks.py)."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from maca import access
from maca.actions.models import ActionStatus
from maca.audits.models import AuditStatus, RequestStatus
from maca.front.audit_tasks import Status, audit_tasks
from tests import factories as f

DAY = datetime.timedelta(days=1)


def _tasks(user, audit, **kwargs):
    return audit_tasks(access.viewer_as(user, audit.partnership), audit, **kwargs)


def _statuses(user, audit, **kwargs):
    tasks = _tasks(user, audit, **kwargs)
    return {task.name: task.status for section in tasks.sections for task in section.tasks}


def _primary(client, audit) -> tuple[str, str]:
    """The primary button's words and where it leads, as the page shows them."""
    page = client.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    buttons = re.findall(r'<a class="govuk-button" [^>]*href="([^"]+)">([^<]+)</a>', page)
    assert len(buttons) <= 1, buttons
    return (buttons[0][1], buttons[0][0]) if buttons else ("", "")


def _move(audit, status):
    audit.status = status
    audit.save()
    return audit


# --- Planning ----------------------------------------------------------------------------------


def test_planning_without_cases(planning_audit, coordinator):
    statuses = _statuses(coordinator, planning_audit)
    assert statuses["Audit tool"] == Status.COMPLETED
    assert statuses["Cases and sample"] == Status.NOT_STARTED
    assert statuses["Agencies involved"] == Status.CANNOT_START
    assert statuses["Send the requests"] == Status.CANNOT_START
    for later in ("Returns in", "The meeting", "Themes", "The report", "Close the audit"):
        assert statuses[later] == Status.CANNOT_START, later


def test_what_blocks_sending_is_listed_at_its_task(planning_audit, coordinator):
    send = _tasks(coordinator, planning_audit).task("Send the requests")
    assert "The audit has no cases: draw the sample first" in send.blockers
    assert not send.linked


def test_planning_with_the_sample_partly_drawn_and_a_case_without_agencies(
    planning_audit, coordinator, areas, agencies
):
    case = f.CaseFactory(audit=planning_audit, area=areas["East"], reference="N-E-01")
    f.CaseFactory(audit=planning_audit, area=areas["East"], reference="N-E-02")
    f.RequestFactory(case=case, agency=agencies["Police"])
    statuses = _statuses(coordinator, planning_audit)
    assert statuses["Cases and sample"] == Status.IN_PROGRESS
    assert statuses["Agencies involved"] == Status.IN_PROGRESS
    hint = _tasks(coordinator, planning_audit).task("Agencies involved").hint
    assert hint == "1 case has no agency yet"


def test_planning_with_no_questions(planning_audit, coordinator):
    planning_audit.questions.all().delete()
    assert _statuses(coordinator, planning_audit)["Audit tool"] == Status.NOT_STARTED


# --- Collecting --------------------------------------------------------------------------------


def test_collecting(audit, coordinator):
    statuses = _statuses(coordinator, audit)
    for done in ("Audit tool", "Cases and sample", "Agencies involved", "Send the requests"):
        assert statuses[done] == Status.COMPLETED, done
    assert statuses["Returns in"] == Status.IN_PROGRESS
    assert statuses["Immediate-action flags"] == Status.COMPLETED
    assert statuses["The meeting"] == Status.NOT_STARTED
    assert statuses["Themes"] == Status.CANNOT_START
    hint = _tasks(coordinator, audit).task("Returns in").hint
    assert hint.startswith("1 of 3 returns submitted; due ")
    f.MeetingFactory(audit=audit)
    assert _statuses(coordinator, audit)["The meeting"] == Status.IN_PROGRESS


def test_collecting_with_every_return_in_and_a_flag(audit, coordinator):
    audit.requests.update(status=RequestStatus.SUBMITTED)
    statuses = _statuses(coordinator, audit, flags=2)
    assert statuses["Returns in"] == Status.COMPLETED
    assert statuses["Immediate-action flags"] == Status.IN_PROGRESS


# --- Moderation, reporting, monitoring, closed -------------------------------------------------


def test_moderation_with_cases_to_ratify(audit, coordinator):
    _move(audit, AuditStatus.MODERATION)
    statuses = _statuses(coordinator, audit)
    assert statuses["The meeting"] == Status.IN_PROGRESS
    assert statuses["Themes"] == Status.IN_PROGRESS  # the fixture has one theme
    assert statuses["The report"] == Status.CANNOT_START
    meeting = _tasks(coordinator, audit).task("The meeting")
    assert "Case T-E-01 is not ratified" in meeting.blockers


def test_moderation_with_every_case_ratified(audit, coordinator):
    _move(audit, AuditStatus.MODERATION)
    for case in audit.cases.all():
        f.RatificationFactory(case=case)
    audit.cases.update(locked_at=timezone.now())
    assert _statuses(coordinator, audit)["The meeting"] == Status.COMPLETED


def test_reporting(audit, coordinator):
    _move(audit, AuditStatus.REPORTING)
    statuses = _statuses(coordinator, audit)
    assert statuses["The meeting"] == Status.COMPLETED
    assert statuses["The report"] == Status.NOT_STARTED
    assert statuses["Publish the report"] == Status.CANNOT_START
    assert statuses["Recommendations and actions"] == Status.NOT_STARTED
    assert statuses["Close the audit"] == Status.CANNOT_START


def test_monitoring(audit, coordinator, agencies):
    _move(audit, AuditStatus.MONITORING)
    f.ActionFactory(recommendation=f.RecommendationFactory(audit=audit), agency=agencies["Police"])
    statuses = _statuses(coordinator, audit)
    assert statuses["The report"] == Status.COMPLETED
    assert statuses["Themes"] == Status.COMPLETED
    assert statuses["Publish the report"] == Status.NOT_STARTED
    assert statuses["Recommendations and actions"] == Status.IN_PROGRESS
    closing = _tasks(coordinator, audit).task("Close the audit")
    assert closing.status == Status.CANNOT_START
    assert "The report has not been published" in closing.blockers


def test_closed(audit, coordinator):
    _move(audit, AuditStatus.CLOSED)
    f.published_report(audit, with_pdf=False)
    statuses = _statuses(coordinator, audit)
    assert set(statuses.values()) == {Status.COMPLETED}


# --- Each person their own list ----------------------------------------------------------------


def test_an_agency_auditor_sees_their_agencys_returns(audit, police_auditor, csc_auditor):
    police = _tasks(police_auditor, audit)
    assert [t.name for t in police.sections[0].tasks] == ["Return on case T-E-01"]
    assert police.sections[0].tasks[0].status == Status.COMPLETED
    csc = _tasks(csc_auditor, audit)
    assert {t.status for t in csc.sections[0].tasks} == {Status.NOT_STARTED}
    assert csc.next_step is not None and csc.next_step.label == "Start your return"


def test_a_board_member_sees_the_published_report_only(audit, board_member):
    tasks = _tasks(board_member, audit)
    assert [t.name for s in tasks.sections for t in s.tasks] == ["The published report"]
    assert tasks.next_step is None
    assert tasks.task("The published report").status == Status.CANNOT_START


# --- The primary button is the next step, at each stage ----------------------------------------


def test_the_primary_button_is_the_next_step_at_each_stage(
    planning_audit, areas, agencies, coordinator, client_for
):
    client = client_for(coordinator)
    audit = planning_audit
    assert _primary(client, audit) == ("Draw the sample", reverse("audits:cases", args=[audit.pk]))

    for area in areas.values():
        for i in range(5):
            f.CaseFactory(audit=audit, area=area, reference=f"N-{area.name[0]}-{i}")
    assert _primary(client, audit)[0] == "Choose the agencies involved"

    for case in audit.cases.all():
        f.RequestFactory(case=case, agency=agencies["Police"])
    assert _primary(client, audit) == ("Send the requests", reverse("audits:send", args=[audit.pk]))

    _move(audit, AuditStatus.COLLECTING)
    assert _primary(client, audit) == ("Track returns", reverse("audits:tracking", args=[audit.pk]))
    audit.returns_due = timezone.localdate() - DAY
    audit.save()
    moderation_start = reverse("audits:moderation_start", args=[audit.pk])
    assert _primary(client, audit) == ("Start moderation", moderation_start)

    _move(audit, AuditStatus.MODERATION)
    assert _primary(client, audit) == (
        "Go to the meeting",
        reverse("audits:meeting", args=[audit.pk]),
    )
    for case in audit.cases.all():
        f.RatificationFactory(case=case)
    audit.cases.update(locked_at=timezone.now())
    reporting = reverse("audits:reporting_start", args=[audit.pk])
    assert _primary(client, audit) == ("Move to reporting", reporting)

    _move(audit, AuditStatus.REPORTING)
    assert _primary(client, audit) == (
        "Write the report",
        reverse("audits:report", args=[audit.pk]),
    )

    _move(audit, AuditStatus.MONITORING)
    action = f.ActionFactory(
        recommendation=f.RecommendationFactory(audit=audit), agency=agencies["Police"]
    )
    assert _primary(client, audit) == (
        "Publish the report",
        reverse("audits:report", args=[audit.pk]),
    )
    f.published_report(audit, with_pdf=False)
    assert _primary(client, audit)[0] == "Follow the actions"
    action.status = ActionStatus.COMPLETE
    action.save()
    assert _primary(client, audit) == ("Close the audit", reverse("audits:close", args=[audit.pk]))

    _move(audit, AuditStatus.CLOSED)
    assert _primary(client, audit) == ("", "")
