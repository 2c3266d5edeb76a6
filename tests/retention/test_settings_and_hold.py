"""The retention period (a partnership setting coordinators edit on the dashboard) and the legal
hold (set by a coordinator on the audit's page, recorded in the change history)."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from maca.audits.models import Audit
from maca.history.models import ChangeRecord
from maca.partnerships.models import Partnership
from tests import factories as f

from .conftest import apply_retention


def test_the_period_is_6_years_by_default(db):
    assert f.PartnershipFactory().retention_years == 6


@pytest.mark.parametrize("years", [0, 26])
def test_the_database_refuses_a_period_out_of_bounds(partnership, years):
    partnership.retention_years = years
    with pytest.raises(IntegrityError), transaction.atomic():
        partnership.save()


def test_a_coordinator_sets_the_period_on_the_dashboard(partnership, coordinator, client_for):
    client = client_for(coordinator)
    page = client.get(reverse("learning:dashboard")).content.decode()
    assert "Years case-level text is kept after an audit closes" in page
    response = client.post(
        reverse("learning:retention"), {"retention-years": "10", "retention-was": "6"}
    )
    assert response.status_code == 302
    assert Partnership.objects.get(pk=partnership.pk).retention_years == 10
    record = ChangeRecord.objects.filter(object_type="partnerships.partnership").last()
    assert (record.before["retention_years"], record.after["retention_years"]) == (6, 10)
    assert record.user == coordinator


@pytest.mark.parametrize(
    "years, message",
    [
        ("0", "Enter a number from 1 to 25"),
        ("26", "Enter a number from 1 to 25"),
        ("six", "Enter the years as a whole number, like 6"),
        ("", "Enter how many years case-level text is kept"),
    ],
)
def test_a_period_out_of_bounds_is_refused_naming_the_field(
    partnership, coordinator, client_for, years, message
):
    response = client_for(coordinator).post(
        reverse("learning:retention"), {"retention-years": years, "retention-was": "6"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'href="#id_retention-years"' in page
    assert Partnership.objects.get(pk=partnership.pk).retention_years == 6


def test_a_period_changed_meanwhile_is_not_overwritten(partnership, coordinator, client_for):
    partnership.retention_years = 8
    partnership.save()
    response = client_for(coordinator).post(
        reverse("learning:retention"), {"retention-years": "10", "retention-was": "6"}
    )
    assert response.status_code == 400
    assert "Another coordinator changed this to 8 years" in response.content.decode()
    assert Partnership.objects.get(pk=partnership.pk).retention_years == 8


@pytest.mark.parametrize("who", ["board_member", "police_auditor"])
def test_only_coordinators_set_the_period(request, partnership, client_for, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post(
        reverse("learning:retention"), {"retention-years": "1", "retention-was": "6"}
    )
    assert response.status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).retention_years == 6


def test_a_coordinator_puts_the_audit_on_hold_and_lifts_it(closed_audit, coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("audits:legal_hold", args=[closed_audit.pk])
    page = client.get(reverse("audits:detail", args=[closed_audit.pk])).content.decode()
    assert "Put the audit on legal hold" in page and "Kept until" in page

    response = client.post(url, {"hold": "on", "reason": "Inquiry 2031/7"})
    assert response.status_code == 302
    audit = Audit.objects.get(pk=closed_audit.pk)
    assert (audit.legal_hold, audit.legal_hold_reason) == (True, "Inquiry 2031/7")
    record = ChangeRecord.objects.filter(object_type="audits.audit").last()
    assert (record.after["legal_hold"], record.reason, record.user) == (
        True,
        "Inquiry 2031/7",
        coordinator,
    )
    page = client.get(reverse("audits:detail", args=[closed_audit.pk])).content.decode()
    assert "On hold" in page and "Inquiry 2031/7" in page and "Lift the legal hold" in page

    assert client.post(url, {"hold": "off", "reason": "Inquiry closed"}).status_code == 302
    audit.refresh_from_db()
    assert (audit.legal_hold, audit.legal_hold_reason) == (False, "")
    assert ChangeRecord.objects.filter(object_type="audits.audit").last().reason == (
        "Inquiry closed"
    )


def test_a_hold_needs_a_reason(closed_audit, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("audits:legal_hold", args=[closed_audit.pk]), {"hold": "on", "reason": "  "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the reason" in page and 'href="#id_reason"' in page
    assert not Audit.objects.get(pk=closed_audit.pk).legal_hold


@pytest.mark.parametrize("who", ["police_auditor", "board_member", "other_partnership_coordinator"])
def test_only_the_partnerships_coordinators_set_a_hold(request, closed_audit, client_for, who):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("audits:legal_hold", args=[closed_audit.pk]), {"hold": "on", "reason": "Mine"}
    )
    assert response.status_code in {403, 404}
    assert not Audit.objects.get(pk=closed_audit.pk).legal_hold


def test_a_purged_audit_cannot_be_put_on_hold(closed_audit, coordinator, client_for):
    apply_retention()
    response = client_for(coordinator).post(
        reverse("audits:legal_hold", args=[closed_audit.pk]), {"hold": "on", "reason": "Late"}
    )
    assert response.status_code == 400
    assert "there is nothing left to hold" in response.content.decode()


def test_closing_an_audit_stamps_when(audit, coordinator):
    from maca.actions.services import audit_close

    audit.status = "monitoring"
    audit.save()
    f.published_report(audit)
    audit_close(audit=audit, by=coordinator)
    audit.refresh_from_db()
    assert audit.status == "closed" and audit.closed_at is not None
