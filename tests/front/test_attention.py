"""The home page leads with what needs the person's attention: unhandled immediate-action flags
first (with their age, and overdue once a working day has gone by), then what else waits on
them, each a link straight to where it is done."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maca import access
from maca.audits.models import AuditStatus, RequestStatus
from maca.front.attention import attention_for
from maca.partnerships.models import Role
from maca.reports.models import Report
from maca.returns.services import immediate_action_handle
from tests import factories as f
from tests.flagging import DESCRIPTION, at, next_weekday, raise_flag
from tests.signing_in import sign_in_with_code

DAY = datetime.timedelta(days=1)


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def banner(page: str) -> str:
    """The flag banner: what comes before the page's h1 (empty when there is none)."""
    top = page[: page.index("<h1")]
    return (
        top[top.index("govuk-notification-banner") :] if "govuk-notification-banner" in top else ""
    )


def group(page: str, title: str) -> str:
    """One list of things to do, from its heading to the next."""
    start = page.index(f">{title}</h3>")
    return page[start : page.index("<h", start + len(title) + 6)]


def return_url(request) -> str:
    return reverse("audits:return", args=[request.audit_id, request.case_id, request.agency_id])


@pytest.fixture
def yesterday():
    return timezone.localdate() - DAY


# --- Flags ----------------------------------------------------------------------------------------


def test_an_unhandled_flag_leads_the_coordinators_home_page_with_its_age(
    csc_request, csc_auditor, coordinator, client_for, yesterday
):
    raise_flag(csc_request, csc_auditor, yesterday)

    page = home(client_for(coordinator))

    flags = banner(page)
    assert "Immediate action required" in flags
    assert "Case T-E-01, Children&#x27;s Social Care" in flags
    assert "(Transitions to adult services)" in flags and "flagged yesterday" in flags
    assert f'href="{return_url(csc_request)}"' in flags  # one click to record its handling
    assert DESCRIPTION not in page  # the banner links to the return; it repeats none of it


def test_a_friday_flag_is_overdue_on_the_page_from_tuesday_not_monday(
    csc_request, csc_auditor, coordinator, client_for
):
    friday = next_weekday(4)
    raise_flag(csc_request, csc_auditor, friday, hour=16)

    with time_machine.travel(at(friday + 3 * DAY, 9), tick=False):
        monday = banner(home(client_for(coordinator)))
    with time_machine.travel(at(friday + 4 * DAY, 9), tick=False):
        tuesday = banner(home(client_for(coordinator)))

    assert "flagged 3 days ago" in monday and "Overdue" not in monday
    assert "flagged 4 days ago" in tuesday and 'govuk-tag--red">Overdue' in tuesday


def test_a_handled_flag_leaves_the_home_page(
    csc_request, csc_auditor, coordinator, client_for, yesterday
):
    flag = raise_flag(csc_request, csc_auditor, yesterday)
    immediate_action_handle(return_=flag, by=coordinator, note="Strategy discussion held.")

    assert banner(home(client_for(coordinator))) == ""


def test_the_agencys_lead_sees_its_flag_and_no_other_agency_does(
    csc_request, csc_auditor, agency_lead, police_auditor, board_member, client_for, yesterday
):
    raise_flag(csc_request, csc_auditor, yesterday)

    lead = banner(home(client_for(agency_lead)))
    assert "Case T-E-01, Children&#x27;s Social Care" in lead
    assert "The coordinator records how it was handled" in lead
    assert banner(home(client_for(police_auditor))) == ""
    assert banner(home(client_for(board_member))) == ""


def test_a_flag_in_an_audit_past_its_meeting_is_not_on_the_home_page(
    csc_request, csc_auditor, coordinator, client_for, yesterday
):
    raise_flag(csc_request, csc_auditor, yesterday)
    csc_request.audit.status = AuditStatus.CLOSED  # as a closed audit's bundle brings it
    csc_request.audit.save()

    assert banner(home(client_for(coordinator))) == ""


# --- A coordinator --------------------------------------------------------------------------------


def test_the_coordinator_is_shown_audits_with_returns_overdue(audit, coordinator, client_for):
    audit.returns_due = timezone.localdate() - 2 * DAY
    audit.save()
    audit.requests.update(due=None)  # the audit's date stands

    returns = group(home(client_for(coordinator)), "Returns overdue")

    assert audit.title in returns
    assert "2 returns overdue from 1 agency" in returns
    assert f'href="{reverse("audits:tracking", args=[audit.pk])}"' in returns


def test_the_coordinator_is_shown_the_cases_still_to_ratify(audit, coordinator, client_for):
    audit.status = AuditStatus.MODERATION
    audit.save()

    meeting = group(home(client_for(coordinator)), "The meeting")

    assert "2 of 2 cases to ratify" in meeting
    assert f'href="{reverse("audits:meeting", args=[audit.pk])}"' in meeting


def test_a_report_waits_for_the_approval_of_a_coordinator_who_did_not_send_it(
    audit, partnership, coordinator, client_for
):
    audit.status = AuditStatus.REPORTING
    audit.save()
    second = f.MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user
    report = Report.objects.create(
        partnership=partnership, audit=audit, sent_by=coordinator, sent_at=timezone.now()
    )

    to_approve = group(home(client_for(second)), "Reports to approve")
    assert (
        audit.title in to_approve and f"Sent for approval by {coordinator.name} today" in to_approve
    )
    assert f'href="{reverse("audits:report", args=[audit.pk])}"' in to_approve
    assert "Reports to approve" not in home(client_for(coordinator))  # they sent it

    report.approved_by, report.approved_at = second, timezone.now()
    report.save()
    assert "Reports to approve" not in home(client_for(second))


def test_overdue_actions_are_shown_to_the_coordinator_and_their_agency_only(
    audit, agencies, coordinator, police_auditor, agency_lead, client_for
):
    action = f.ActionFactory(
        recommendation=f.RecommendationFactory(audit=audit),
        agency=agencies["Police"],
        due=timezone.localdate() - 3 * DAY,
    )
    f.ActionFactory(
        recommendation=action.recommendation,
        agency=agencies["Police"],
        due=timezone.localdate() + 3 * DAY,  # not yet due
    )

    overdue = group(home(client_for(coordinator)), "Actions overdue")
    assert overdue.count("<li") == 1
    assert "Action of Police" in overdue and "3 days overdue" in overdue
    assert f'href="{reverse("actions:detail", args=[action.pk])}"' in overdue
    police = group(home(client_for(police_auditor)), "Police&#x27;s actions overdue")
    assert "3 days overdue" in police
    assert "actions overdue" not in home(client_for(agency_lead))


# --- An agency auditor or lead ----------------------------------------------------------------


def test_an_auditor_sees_returns_overdue_returned_or_due_soon_overdue_first(
    audit, csc, csc_auditor, client_for
):
    today = timezone.localdate()
    first, second = audit.requests.filter(agency=csc).order_by("case__reference")
    first.due = today + 3 * DAY
    first.save()
    second.due = today - DAY
    second.save()

    returns = group(home(client_for(csc_auditor)), "Your returns")

    assert returns.index("Case T-N-01") < returns.index("Case T-E-01")
    assert 'govuk-tag--red">Overdue' in returns and "Due in 3 days" in returns
    assert f'href="{return_url(first)}"' in returns

    first.due = today + 20 * DAY  # no longer due soon, but returned for clarification
    first.status = RequestStatus.RETURNED
    first.save()
    assert "Returned for clarification" in group(home(client_for(csc_auditor)), "Your returns")


def test_an_agency_with_nothing_due_is_told_so(audit, police_auditor, client_for):
    assert "Nothing needs your attention today." in home(client_for(police_auditor))


def test_a_lead_sees_the_returns_waiting_for_their_sign_off(
    audit, csc_request, csc_auditor, agency_lead, client_for
):
    csc_request.status = RequestStatus.DRAFT
    csc_request.save()
    f.ReturnFactory(
        request=csc_request,
        sign_off_requested_by=csc_auditor,
        sign_off_requested_at=timezone.now() - DAY,
    )

    sign_offs = group(home(client_for(agency_lead)), "Returns to sign off")

    assert "Case T-E-01" in sign_offs and "asked by Sam Social-Worker yesterday" in sign_offs
    assert f'href="{return_url(csc_request)}"' in sign_offs
    assert "Returns to sign off" not in home(client_for(csc_auditor))  # it waits on the lead


# --- A board member ---------------------------------------------------------------------------


def test_a_board_member_sees_reports_published_in_the_last_month(audit, board_member, client_for):
    audit.status = AuditStatus.MONITORING
    audit.save()
    edition = f.published_report(audit)

    new = group(home(client_for(board_member)), "Newly published reports")
    assert audit.title in new and "Edition 1, published today" in new
    assert f'href="{reverse("audits:report_edition", args=[audit.pk, 1])}"' in new

    # A published edition is kept as published (never edited), so the month passes instead.
    with time_machine.travel(edition.published_at + 31 * DAY, tick=False):
        assert "Newly published reports" not in home(client_for(board_member))


# --- Getting there, and what it costs ---------------------------------------------------------


def test_signing_in_lands_on_the_list_one_click_from_the_flag(
    csc_request, csc_auditor, coordinator, client, yesterday
):
    raise_flag(csc_request, csc_auditor, yesterday)

    response = sign_in_with_code(client, coordinator, f.PASSWORD)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert f'href="{return_url(csc_request)}"' in banner(home(client))


def test_the_list_costs_as_many_queries_for_many_things_as_for_one(
    audit, areas, agencies, csc, csc_auditor, coordinator, agency_lead, yesterday
):
    def queries(user) -> int:
        viewer = access.viewer_as(user)
        with CaptureQueriesContext(connection) as captured:
            attention = attention_for(viewer)
            [(g.items, g.total) for g in attention.groups]
            [(flag.case, flag.agency, flag.audit, flag.overdue) for flag in attention.flags]
        return len(captured)

    def add_flagged_case(n: int):
        case = f.CaseFactory(audit=audit, reference=f"T-C-{n:02d}", area=areas["Central"])
        request = f.RequestFactory(case=case, agency=csc, due=yesterday)
        raise_flag(request, csc_auditor, yesterday)
        f.ActionFactory(
            recommendation=f.RecommendationFactory(audit=audit),
            agency=csc,
            due=yesterday - n * DAY,
        )

    add_flagged_case(1)
    one = {user: queries(user) for user in (coordinator, agency_lead)}
    for n in range(2, 15):
        add_flagged_case(n)
    assert {user: queries(user) for user in (coordinator, agency_lead)} == one
