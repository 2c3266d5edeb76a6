import datetime

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maca import access
from maca.audits.models import AuditStatus, RequestStatus
from maca.audits.tracking import tracking_grid
from maca.notices.models import Notice, NoticeKind
from tests import factories as f


def _page(client, audit) -> str:
    response = client.get(reverse("audits:tracking", args=[audit.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _chase(client, audit, agency):
    url = reverse("audits:agency_chase", kwargs={"audit_id": audit.pk, "agency_id": agency.pk})
    return client.post(url, follow=True)


def _flag(audit, reference, agency):
    request = audit.requests.get(case__reference=reference, agency=agency)
    request.status = RequestStatus.DRAFT
    request.save()
    return f.ReturnFactory(
        request=request,
        grade="",
        immediate_action=True,
        immediate_action_description="The child is at home with the person who harmed them.",
        immediate_action_escalated_at=timezone.now(),
    )


def _make_overdue(audit):
    audit.returns_due = timezone.localdate() - datetime.timedelta(days=2)
    audit.save()
    for request in audit.requests.all():
        request.due = audit.returns_due
        request.save()


# --- The grid ---------------------------------------------------------------------------------


def test_the_grid_has_a_column_per_involved_agency_and_a_row_per_case(audit, coordinator):
    grid = tracking_grid(access.viewer_as(coordinator), audit)
    assert [a.name for a in grid.agencies] == ["Children's Social Care", "Police"]
    assert [row.case.reference for row in grid.rows] == ["T-E-01", "T-N-01"]
    north = grid.rows[1]
    assert north.cells[0].status == RequestStatus.OUTSTANDING and north.cells[1] is None


def test_the_grid_counts_requested_submitted_and_overdue_per_agency(audit, coordinator):
    _make_overdue(audit)
    grid = tracking_grid(access.viewer_as(coordinator), audit)
    totals = {t.agency.name: (t.requested, t.submitted, t.overdue) for t in grid.totals}
    assert totals == {"Children's Social Care": (2, 0, 2), "Police": (1, 1, 0)}
    assert (grid.submitted, grid.requested, grid.overdue) == (1, 3, 2)


def test_a_return_waiting_for_sign_off_says_so(audit, coordinator, agencies):
    returned = _flag(audit, "T-N-01", agencies["Children's Social Care"])
    returned.immediate_action = False
    returned.sign_off_requested_at = timezone.now()
    returned.save()
    grid = tracking_grid(access.viewer_as(coordinator), audit)
    assert grid.rows[1].cells[0].label == "Awaiting sign-off"


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_the_total_and_each_cell(audit, coordinator, client_for):
    page = _page(client_for(coordinator), audit)
    assert "1 of 3 returns submitted" in page
    assert '<th scope="row" class="govuk-table__header">T-N-01</th>' in page
    assert "Not involved" in page and "Health Provider" not in page
    police = audit.requests.get(agency__name="Police")
    assert (
        reverse(
            "audits:return",
            kwargs={"audit_id": audit.pk, "case_id": police.case_id, "agency_id": police.agency_id},
        )
        in page
    )


def test_overdue_returns_are_tagged_red(audit, coordinator, client_for):
    page = _page(client_for(coordinator), audit)
    assert "Overdue" not in page
    _make_overdue(audit)
    page = _page(client_for(coordinator), audit)
    assert page.count('govuk-tag--red">Overdue') == 2
    assert "2 returns overdue" in page


def test_immediate_action_flags_stand_at_the_top_until_handled(
    audit, coordinator, agencies, client_for
):
    flagged = _flag(audit, "T-N-01", agencies["Children's Social Care"])
    page = _page(client_for(coordinator), audit)
    assert "Immediate action required" in page
    flag = page.index("Case T-N-01, Children&#x27;s Social Care")
    assert flag < page.index("<h1")
    assert "harmed" not in page  # the flag links to the return; it does not repeat it
    flagged.immediate_action_handled_at = timezone.now()
    flagged.immediate_action_handling = "Strategy discussion held the same day."
    flagged.save()
    assert "Immediate action required" not in _page(client_for(coordinator), audit)


def test_a_planning_audit_has_nothing_to_track(planning_audit, coordinator, client_for):
    response = client_for(coordinator).get(
        reverse("audits:tracking", args=[planning_audit.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("audits:detail", args=[planning_audit.pk])
    assert "not been sent yet" in response.content.decode()


def test_a_reporting_audit_can_still_be_tracked_but_not_chased(audit, coordinator, client_for):
    audit.status = AuditStatus.REPORTING
    audit.save()
    page = _page(client_for(coordinator), audit)
    assert "1 of 3 returns submitted" in page
    assert "E-mails to the agencies" in page and "Chase " not in page


# --- Chasing ----------------------------------------------------------------------------------


def test_chasing_mails_the_agency_and_says_so(
    audit,
    coordinator,
    agency_lead,
    police_auditor,
    agencies,
    client_for,
    django_capture_on_commit_callbacks,
):
    client = client_for(coordinator)
    assert "Chase Children&#x27;s Social Care</button>" in _page(client, audit)
    with django_capture_on_commit_callbacks(execute=True):
        response = _chase(client, audit, agencies["Children's Social Care"])
    assert response.redirect_chain[-1][0] == reverse("audits:tracking", args=[audit.pk])
    assert (
        "Chased Children&#x27;s Social Care: 1 person e-mailed (2 returns still owed)"
        in response.content.decode()
    )
    [message] = mail.outbox
    assert message.to == ["csc.lead@example.org"]
    assert "for the returns it still owes" in message.body
    assert "2 of 2 still to submit" in message.body
    assert Notice.objects.filter(kind=NoticeKind.CHASE).count() == 1


def test_an_agency_that_owes_nothing_is_not_chased(audit, coordinator, agencies, client_for):
    response = _chase(client_for(coordinator), audit, agencies["Police"])
    assert "Nothing to chase" in response.content.decode()
    assert not Notice.objects.exists()


def test_chasing_stops_once_the_meeting_is_over(audit, coordinator, agencies, client_for):
    audit.status = AuditStatus.REPORTING
    audit.save()
    response = _chase(client_for(coordinator), audit, agencies["Children's Social Care"])
    assert response.status_code == 200
    assert "only be chased while they can still arrive" in response.content.decode()
    assert not Notice.objects.exists()


def test_an_agency_not_involved_cannot_be_chased(audit, coordinator, agencies, client_for):
    url = reverse(
        "audits:agency_chase",
        kwargs={"audit_id": audit.pk, "agency_id": agencies["Health Provider"].pk},
    )
    assert client_for(coordinator).post(url).status_code == 404


def test_another_partnerships_agency_cannot_be_chased(audit, other_audit, coordinator, client_for):
    elsewhere = other_audit.requests.get().agency
    url = reverse("audits:agency_chase", kwargs={"audit_id": audit.pk, "agency_id": elsewhere.pk})
    assert client_for(coordinator).post(url).status_code == 404


# --- Cost -------------------------------------------------------------------------------------


def _audit_with(partnership, areas, agencies, cases: int):
    audit = f.AuditFactory(partnership=partnership, title=f"Audit of {cases} cases")
    statuses = list(RequestStatus)
    for i in range(cases):
        case = f.CaseFactory(audit=audit, reference=f"C-{i:02d}", area=areas[i % len(areas)])
        for j, agency in enumerate(agencies):
            status = statuses[(i + j) % len(statuses)]
            request = f.RequestFactory(case=case, agency=agency, status=status)
            if status != RequestStatus.OUTSTANDING:
                f.ReturnFactory(
                    request=request,
                    immediate_action=(i + j) % 5 == 0,
                    immediate_action_description="Flagged.",
                    sign_off_requested_at=timezone.now(),
                )
    return audit


def test_the_page_costs_the_same_queries_whatever_the_number_of_cases(
    partnership, areas, agencies, coordinator, client_for, django_assert_max_num_queries
):
    areas = list(areas.values())
    four = [*agencies.values(), f.AgencyFactory(partnership=partnership, name="Education")]
    small = _audit_with(partnership, areas, four[:2], cases=2)
    large = _audit_with(partnership, areas, four, cases=15)
    client = client_for(coordinator)
    _page(client, small)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        _page(client, small)
    with django_assert_max_num_queries(len(queries)):
        page = _page(client, large)
    # The cases, the totals row, and the four agencies of the chase table.
    assert page.count('scope="row"') == 15 + 1 + 4


# --- Nobody left unheard, and chasing until ratification (issue 19) ---------------------------


def test_an_agency_nobody_can_hear_is_not_chased_and_the_page_says_why(
    audit, coordinator, agencies, client_for
):
    # Children's Social Care owes 2 returns and has nobody in maca.
    client = client_for(coordinator)
    page = _page(client, audit)
    assert "Chase Children&#x27;s Social Care</button>" not in page
    assert "Cannot be chased" in page
    assert "it has no auditor or lead in maca, and no contact address" in page
    response = _chase(client, audit, agencies["Children's Social Care"])
    assert "Children&#x27;s Social Care was not chased: nobody there can be e-mailed" in (
        response.content.decode()
    )
    assert not Notice.objects.exists() and mail.outbox == []


def test_the_page_shows_whom_the_last_email_reached_and_when(
    audit, coordinator, agency_lead, agencies, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    assert "None yet" in _page(client, audit)
    with django_capture_on_commit_callbacks(execute=True):
        _chase(client, audit, agencies["Children's Social Care"])
    chase = Notice.objects.get(kind=NoticeKind.CHASE)
    when = timezone.localtime(chase.created_at).strftime("%-d %B %Y, %H:%M")
    page = _page(client, audit)
    assert "Chased on <time" in page
    assert f">{when}</time>: reached csc.lead@example.org" in page


def _ratify(case):
    case.locked_at = timezone.now()
    case.save()


def test_in_moderation_the_returns_of_unratified_cases_are_chased(
    audit, coordinator, agency_lead, agencies, client_for, django_capture_on_commit_callbacks
):
    audit.status = AuditStatus.MODERATION
    audit.save()
    _ratify(audit.cases.get(reference="T-E-01"))
    client = client_for(coordinator)
    page = _page(client, audit)
    assert "Chase Children&#x27;s Social Care</button>" in page
    assert "on cases not yet ratified" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _chase(client, audit, agencies["Children's Social Care"])
    assert "1 person e-mailed (1 return still owed)" in response.content.decode()
    [message] = mail.outbox
    assert "1 of 2 still to submit" in message.body


def test_in_moderation_an_agency_owing_only_on_ratified_cases_is_not_chased(
    audit, coordinator, agency_lead, agencies, client_for
):
    audit.status = AuditStatus.MODERATION
    audit.save()
    for case in audit.cases.all():
        _ratify(case)
    client = client_for(coordinator)
    assert "Chase Children&#x27;s Social Care</button>" not in _page(client, audit)
    response = _chase(client, audit, agencies["Children's Social Care"])
    assert "owes no return on a case still to be ratified" in response.content.decode()
    assert not Notice.objects.exists()
