"""The audit's life in one table (maca/audits/lifecycle.py): each move only from its stage,
its checklist's refusals in the words people have always read, and no other place that
changes an audit's stage or compares its status."""

import re
from itertools import pairwise
from pathlib import Path

import pytest

from maca.audits import lifecycle
from maca.audits.lifecycle import ALLOWS, TRANSITIONS, transition
from maca.audits.models import AuditStatus
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from tests import factories as f

MACA = Path(__file__).resolve().parents[2] / "maca"
MOVES = [(move.target, stage) for move in TRANSITIONS.values() for stage in AuditStatus.values]


def _in(audit, stage):
    audit.status = stage
    audit.save()
    return audit


def test_the_moves_follow_the_audits_order():
    order = AuditStatus.values
    assert [(move.source, move.target) for move in TRANSITIONS.values()] == list(pairwise(order))


@pytest.mark.parametrize(("target", "stage"), MOVES)
def test_each_move_is_allowed_only_from_its_stage(audit, coordinator, target, stage):
    move = TRANSITIONS[target]
    _in(audit, stage)
    shown = audit.get_status_display()
    said = move.wrong_stage.format(now=shown, now_lower=shown.lower())

    if stage == move.source:
        assert said not in lifecycle.checklist(audit, to=target)
        return
    with pytest.raises(DomainError) as refused:
        transition(audit=audit, to=target, by=coordinator)

    assert said in str(refused.value)
    audit.refresh_from_db()
    assert audit.status == stage


def test_moderation_from_planning_is_refused_in_one_sentence(planning_audit, coordinator):
    with pytest.raises(DomainError) as refused:
        transition(audit=planning_audit, to=AuditStatus.MODERATION, by=coordinator)

    assert str(refused.value) == (
        "Moderation can only start while the audit is collecting returns (it is now: planning)"
    )


def test_reporting_is_refused_naming_every_case_not_ratified(audit, coordinator):
    _in(audit, AuditStatus.MODERATION)

    with pytest.raises(lifecycle.ReportingNotReady) as refused:
        transition(audit=audit, to=AuditStatus.REPORTING, by=coordinator)

    assert str(refused.value) == (
        "The audit cannot move to reporting yet: Case T-E-01 is not ratified; "
        "Case T-N-01 is not ratified."
    )


def test_sending_is_refused_listing_what_is_missing(planning_audit, coordinator):
    with pytest.raises(lifecycle.RequestsNotReady) as refused:
        transition(audit=planning_audit, to=AuditStatus.COLLECTING, by=coordinator)

    assert refused.value.missing[0] == "The audit has no cases: draw the sample first"
    assert str(refused.value).startswith("The requests cannot be sent yet: The audit has no")


def test_closing_is_refused_until_the_report_is_published(audit, coordinator):
    _in(audit, AuditStatus.MONITORING)

    with pytest.raises(lifecycle.ClosingNotReady) as refused:
        transition(audit=audit, to=AuditStatus.CLOSED, by=coordinator)

    assert str(refused.value) == (
        "The audit cannot be closed yet: The report has not been published."
    )


def test_a_move_is_recorded_as_the_persons_with_its_reason(audit, coordinator):
    moved = transition(audit=audit, to=AuditStatus.MODERATION, by=coordinator, reason="Met")

    assert moved.status == AuditStatus.MODERATION
    record = ChangeRecord.objects.filter(object_type="audits.audit").latest("at", "id")
    assert (record.before["status"], record.after["status"]) == ("collecting", "moderation")
    assert (record.user, record.reason) == (coordinator, "Met")


def test_closing_stamps_when_the_retention_period_starts(audit, coordinator):
    _in(audit, AuditStatus.MONITORING)
    f.published_report(audit, with_pdf=False)

    closed = transition(audit=audit, to=AuditStatus.CLOSED, by=coordinator)

    assert closed.closed_at is not None
    assert closed.allows.run_retention


def test_the_callers_own_condition_refuses_before_anything_is_written(audit, coordinator):
    def refuse(locked):
        raise DomainError("Not today")

    with pytest.raises(DomainError, match="Not today"):
        transition(audit=audit, to=AuditStatus.MODERATION, by=coordinator, also_check=refuse)

    audit.refresh_from_db()
    assert audit.status == AuditStatus.COLLECTING


def test_every_rule_names_stages_of_the_audit():
    for name, stages in ALLOWS.items():
        assert stages and stages <= set(AuditStatus.values), name


def test_the_audit_answers_its_rules_and_refuses_an_unknown_one(audit):
    assert audit.allows.collect_returns
    assert not audit.allows.ratify
    with pytest.raises(AttributeError, match="no rule 'ratifi'"):
        audit.allows.ratifi  # noqa: B018


def _files(*patterns):
    for pattern in patterns:
        yield from MACA.rglob(pattern)


def test_every_rule_asked_for_is_in_the_table():
    # A template asking for a rule the table lacks would read it as false, silently.
    asked = set()
    for path in _files("*.py", "*.html"):
        asked |= set(re.findall(r"\ballows\.(\w+)", path.read_text()))
        asked |= set(re.findall(r'stages_allowing\("(\w+)"\)', path.read_text()))
    assert asked
    assert asked <= set(ALLOWS), asked - set(ALLOWS)


def test_only_the_lifecycle_changes_an_audits_stage():
    stage = "|".join(AuditStatus.values)
    changes = re.compile(
        rf"\.status\s*=\s*(AuditStatus\.|lifecycle\.[A-Z]|\"({stage})\")"
        rf"|update\(status=(AuditStatus\.|\"({stage})\")"
    )
    found = [
        f"{path.relative_to(MACA)}:{number}"
        for path in _files("*.py")
        if path.name != "lifecycle.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if changes.search(line)
    ]
    assert found == []


def test_no_template_compares_an_audits_status():
    compares = re.compile(r"audit\.status\s*(==|!=|in\b|not in\b)")
    found = [
        f"{path.relative_to(MACA)}:{number}"
        for path in _files("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if compares.search(line)
    ]
    assert found == []
