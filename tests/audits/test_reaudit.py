"""Planning a re-audit of an earlier audit: the same theme, its tool copied with the same keys
(editable while planned), by service and on the earlier audit's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.audits import planning
from maca.audits.models import Audit, AuditStatus
from maca.errors import DomainError
from maca.history.models import ChangeRecord
from tests import factories as f
from tests.pages import text_of

IN_A_MONTH = timezone.localdate() + datetime.timedelta(days=30)
IN_TWO_MONTHS = timezone.localdate() + datetime.timedelta(days=60)


@pytest.fixture
def earlier(partnership, areas):
    """An audit in monitoring, with a key question among its three."""
    audit = f.AuditFactory(
        partnership=partnership,
        title="Neglect in the early years",
        theme="Neglect",
        status=AuditStatus.MONITORING,
    )
    f.SamplePlanEntryFactory(audit=audit, area=areas["East"], cases=4)
    for i, (key, text, kind) in enumerate(
        [
            ("seen", "Was the child seen and heard?", "text"),
            ("plan", "Was there a plan for the child?", "yes_no_partly"),
            ("q3", "How well did the agency share information?", "grade"),
        ]
    ):
        f.QuestionFactory(
            audit=audit, key=key, text=text, kind=kind, position=i, key_measure=kind != "text"
        )
    return audit


def _plan(earlier, by, **changes):
    fields = {
        "title": "Neglect in the early years: re-audit",
        "rationale": "Did the recommendations work?",
        "returns_due": IN_A_MONTH,
        "meeting_date": IN_TWO_MONTHS,
    }
    return planning.reaudit_plan(earlier=earlier, by=by, **fields | changes)


def test_a_re_audit_has_the_same_theme_and_the_tool_with_the_same_keys(earlier, coordinator):
    reaudit = _plan(earlier, coordinator)

    assert reaudit.reaudit_of == earlier
    assert reaudit.status == AuditStatus.PLANNING
    assert reaudit.theme == "Neglect"
    copied = list(reaudit.questions.order_by("position").values_list("key", "text", "key_measure"))
    assert copied == list(
        earlier.questions.order_by("position").values_list("key", "text", "key_measure")
    )


def test_the_copied_tool_is_edited_as_any_while_planned(earlier, coordinator):
    reaudit = _plan(earlier, coordinator)
    question = reaudit.questions.get(key="plan")

    planning.question_update(
        question=question, by=coordinator, text="Was there a plan, and was it followed?",
        kind="yes_no_partly", key_measure=True,
    )  # fmt: skip
    added = planning.question_add(audit=reaudit, by=coordinator, text="Anything else?", kind="text")

    assert reaudit.questions.get(key="plan").text == "Was there a plan, and was it followed?"
    assert added.key == "q4"  # after the copied q3: no key is used twice
    assert earlier.questions.get(key="plan").text == "Was there a plan for the child?"


def test_an_audit_still_collecting_cannot_be_re_audited(audit, coordinator):
    with pytest.raises(DomainError, match="once its cases have been graded"):
        _plan(audit, coordinator)
    assert not Audit.objects.filter(reaudit_of=audit).exists()


def test_a_title_in_use_is_refused_on_the_title(earlier, coordinator):
    with pytest.raises(DomainError) as refused:
        _plan(earlier, coordinator, title=earlier.title)
    assert refused.value.field == "title"


def test_the_history_records_who_planned_the_re_audit(earlier, coordinator):
    reaudit = _plan(earlier, coordinator)
    records = ChangeRecord.objects.filter(audit_id=reaudit.pk)
    assert {r.object_type for r in records} >= {"audits.audit", "audits.question"}
    assert {r.user for r in records} == {coordinator}
    changed = records.get(object_type="audits.audit", action="update")
    assert changed.after["reaudit_of_id"] == earlier.pk


# --- The page -------------------------------------------------------------------------------


def test_the_coordinator_plans_a_re_audit_from_the_earlier_audits_page(
    earlier, areas, coordinator, client_for
):
    client = client_for(coordinator)
    detail = text_of(client.get(reverse("audits:detail", args=[earlier.pk])))
    assert "Plan a re-audit" in detail
    form = client.get(reverse("audits:reaudit", args=[earlier.pk])).content.decode()
    assert 'value="Neglect in the early years: re-audit"' in form  # the title, prefilled

    response = client.post(
        reverse("audits:reaudit", args=[earlier.pk]),
        {
            "title": "Neglect re-audit 2027",
            "rationale": "",
            "rationale_link": "",
            "returns_due": IN_A_MONTH.isoformat(),
            "meeting_date": IN_TWO_MONTHS.isoformat(),
            **{f"area_{area.pk}": 2 for area in areas.values()},
        },
        follow=True,
    )

    reaudit = Audit.objects.get(title="Neglect re-audit 2027")
    assert response.redirect_chain[-1][0] == reverse("audits:questions", args=[reaudit.pk])
    assert reaudit.reaudit_of == earlier
    assert reaudit.questions.count() == 3
    assert "Re-audit of" in text_of(client.get(reverse("audits:detail", args=[reaudit.pk])))


def test_an_empty_title_is_shown_on_the_field(earlier, areas, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("audits:reaudit", args=[earlier.pk]),
        {"title": "", **{f"area_{area.pk}": 0 for area in areas.values()}},
    )
    assert response.status_code == 200
    assert "Enter the audit's title" in text_of(response)
    assert not Audit.objects.filter(reaudit_of=earlier).exists()


def test_a_collecting_audit_offers_no_re_audit(audit, coordinator, client_for):
    client = client_for(coordinator)
    assert "Plan a re-audit" not in text_of(client.get(reverse("audits:detail", args=[audit.pk])))
    response = client.get(reverse("audits:reaudit", args=[audit.pk]))
    assert response.status_code == 302
