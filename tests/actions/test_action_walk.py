"""An action from its creation by the coordinator to its completion by the agency, with the
overdue reminder sent once on the way, and the audit closed at the end."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maca.audits.models import AuditStatus
from tests import factories as f
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_an_action_from_creation_to_completion(
    audit, agencies, coordinator, police_auditor, client_for, django_capture_on_commit_callbacks
):
    audit.status = AuditStatus.MONITORING
    audit.save()
    f.published_report(audit, with_pdf=False)
    boss, police = client_for(coordinator), client_for(police_auditor)
    due = timezone.localdate() + datetime.timedelta(days=10)

    boss.post(
        reverse("audits:recommendations", args=[audit.pk]),
        {"text": "Share with GPs.", "themes": [audit.themes.first().pk]},
    )
    recommendation = audit.recommendations.get()
    boss.post(
        reverse("audits:action_add", args=[audit.pk, recommendation.pk]),
        {
            "agency": agencies["Police"].pk,
            "owner": "DI Shaw",
            "description": "Brief the response teams.",
            "due": due.isoformat(),
        },
    )
    action = audit.actions.get()

    # The police auditor finds it on the monitoring page.
    monitoring = text_of(police.get(reverse("actions:monitoring")))
    assert "Brief the response teams." in monitoring

    # Overdue: reminded once, however often the daily job runs.
    after = due + datetime.timedelta(days=1)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", date=after, stdout=io.StringIO())
    overdue = [m for m in mail.outbox if "overdue" in m.subject.lower()]
    # One message to each person (nobody sees the others' addresses), each once.
    assert sorted(address for m in overdue for address in m.to) == sorted(
        [police_auditor.email, coordinator.email]
    )
    assert all("Brief the response teams" not in m.body for m in overdue)

    # Closing is refused while it is open.
    assert boss.post(reverse("audits:close", args=[audit.pk])).status_code == 400

    page = reverse("actions:detail", args=[action.pk])
    police.post(page, {"note": "Half the teams briefed.", "status": "in_progress", "version": 1})
    police.post(
        page,
        {
            "note": "All teams briefed.",
            "impact": "Officers now tell the GP after every call-out.",
            "status": "complete",
            "version": 2,
        },
    )
    action.refresh_from_db()
    assert action.status == "complete"
    assert "Brief the response teams." not in text_of(police.get(reverse("actions:monitoring")))

    assert boss.post(reverse("audits:close", args=[audit.pk])).status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.CLOSED
