"""The dates a bundle may carry (maca's extension): when the requests were sent, when each
return was submitted and when each action was completed. In at local times, out when known."""

import datetime

import pytest
from django.utils import timezone

from maca import access
from maca.actions.models import Action, ActionStatus
from maca.actions.services import action_progress
from maca.audits.models import Audit, Request
from maca.bundles.services import bundle_export, bundle_import
from maca.learning import figures
from maca.partnerships.models import Partnership, Role
from maca.returns.models import Return
from maca.returns.services import return_submit
from tests import factories as f
from tests.support.bundles import counts, errors_of

from .samples import small_bundle

pytestmark = pytest.mark.django_db


def at(*args) -> datetime.datetime:
    """A moment, local time."""
    return timezone.make_aware(datetime.datetime(*args))


def dated_bundle(**audit) -> dict:
    """The small bundle with every date it can carry."""
    bundle = small_bundle(requests_sent_on="2017-10-03", **audit)
    police, csc = bundle["cases"][0]["returns"][1], bundle["cases"][0]["returns"][0]
    police["submitted_on"] = "2017-10-30"  # on time
    csc["submitted_on"] = "2017-11-03"  # 3 days late
    bundle["cases"][1]["immediate_actions"][0]["completed_on"] = "2017-11-28"
    action = bundle["recommendations"][0]["actions"][0]
    action |= {"status": "complete", "completed_on": "2018-03-15"}
    return bundle


def test_the_dates_are_imported_as_local_moments():
    audit = bundle_import(data=dated_bundle())

    requests = Request.objects.filter(audit=audit)
    assert {r.sent_at for r in requests} == {at(2017, 10, 3, 9, 0)}
    submitted = {
        r.request.agency.name: r.submitted_at
        for r in Return.objects.filter(request__case__reference="T-E-01")
    }
    assert submitted == {
        "Police": at(2017, 10, 30, 12, 0),
        "Children's Social Care": at(2017, 11, 3, 12, 0),
    }
    # Health's return on T-N-01 carries no date: submitted at the instant its request was sent.
    health = Return.objects.get(
        request__case__reference="T-N-01", request__agency__name="Health Provider"
    )
    assert health.submitted_at == health.request.sent_at
    assert Action.objects.get(immediate=True).completed_at == at(2017, 11, 28, 12, 0)
    assert Action.objects.get(immediate=False).completed_at == at(2018, 3, 15, 12, 0)


def test_without_dates_the_import_stamps_send_and_submission_alike_and_completes_undated():
    audit = bundle_import(data=small_bundle())

    sent = {r.sent_at for r in Request.objects.filter(audit=audit)}
    assert len(sent) == 1 and None not in sent
    for return_ in Return.objects.filter(request__audit=audit, request__status="submitted"):
        assert return_.submitted_at == return_.request.sent_at
    complete = Action.objects.get(immediate=True)
    assert complete.status == ActionStatus.COMPLETE and complete.completed_at is None


def test_export_writes_the_dates_back_and_leaves_out_those_not_known():
    bundle = dated_bundle()
    exported = bundle_export(bundle_import(data=bundle))

    assert exported == bundle
    assert exported["audit"]["requests_sent_on"] == "2017-10-03"
    # Unknown: the Health return's submission (no date in the bundle).
    assert "submitted_on" not in exported["cases"][1]["returns"][1]


def test_export_then_import_into_an_empty_database_gives_the_same_dates():
    first = bundle_export(bundle_import(data=dated_bundle()))
    Audit.objects.all().delete()  # the partnership stays: its history is append-only

    again = bundle_import(data=first)

    assert bundle_export(again) == first
    assert Action.objects.get(immediate=False).completed_at == at(2018, 3, 15, 12, 0)
    assert Return.objects.get(
        request__case__reference="T-E-01", request__agency__name="Police"
    ).submitted_at == at(2017, 10, 30, 12, 0)


def test_a_bundle_without_dates_exports_without_them():
    bundle = small_bundle()
    exported = bundle_export(bundle_import(data=bundle))
    assert "requests_sent_on" not in exported["audit"]
    assert not any("submitted_on" in r for case in exported["cases"] for r in case["returns"])
    assert exported == bundle


def test_dates_recorded_in_maca_are_exported(django_user_model):
    """A return submitted and an action completed here are dated by the day they happened."""
    bundle = small_bundle(status="monitoring")
    bundle["recommendations"][0]["actions"][0]["status"] = "in_progress"
    audit = bundle_import(data=bundle)
    coordinator = django_user_model.objects.create(email="c@example.org")
    action = Action.objects.get(immediate=False)

    action_progress(
        action=action,
        by=coordinator,
        note="Checklist in use",
        status=ActionStatus.COMPLETE,
        impact="GPs invited to every plan",
        version=action.version,
    )

    exported = bundle_export(audit)
    assert exported["recommendations"][0]["actions"][0]["completed_on"] == (
        timezone.localdate().isoformat()
    )


def test_a_return_submitted_here_is_dated_by_its_submission(django_user_model):
    bundle = small_bundle(status="collecting")
    for case in bundle["cases"]:
        del case["ratification"]  # ratified cases are locked
    bundle["cases"][0]["returns"][0]["status"] = "draft"
    audit = bundle_import(data=bundle)
    auditor = django_user_model.objects.create(email="csc@example.org")
    request = Request.objects.get(case__reference="T-E-01", agency__name="Children's Social Care")

    return_submit(agency_request=request, by=auditor)

    exported = bundle_export(audit)
    returns = exported["cases"][0]["returns"]
    assert returns[0]["submitted_on"] == timezone.localdate().isoformat()
    assert "submitted_on" not in returns[1]  # loaded without a date: still unknown
    assert "requests_sent_on" not in exported["audit"]


def test_a_completion_date_on_an_action_not_complete_is_named_by_its_path():
    bundle = dated_bundle()
    bundle["recommendations"][0]["actions"][0]["status"] = "in_progress"
    bundle["cases"][1]["immediate_actions"][0]["status"] = "open"
    before = counts()

    errors = errors_of(bundle)

    assert errors == [
        "cases[1].immediate_actions[0].completed_on: only a complete action has a completion date",
        "recommendations[0].actions[0].completed_on: only a complete action has a completion date",
    ]
    assert counts() == before


def test_a_submission_date_needs_a_submitted_return_sent_before_it():
    bundle = dated_bundle()
    bundle["cases"][1]["returns"][0]["submitted_on"] = "2017-10-20"  # an outstanding return
    bundle["cases"][0]["returns"][1]["submitted_on"] = "2017-10-02"  # before the requests

    assert errors_of(bundle) == [
        "cases[0].returns[1].submitted_on: 2017-10-02 is before the requests were sent "
        "(audit.requests_sent_on: 2017-10-03)",
        "cases[1].returns[0].submitted_on: only a submitted return has a submission date",
    ]


def test_an_audit_in_planning_has_no_send_date():
    bundle = small_bundle(status="planning", requests_sent_on="2017-10-03")
    bundle["cases"] = []
    bundle["recommendations"] = []
    assert errors_of(bundle) == [
        "audit.requests_sent_on: an audit in planning has sent no requests"
    ]


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("audit", "requests_sent_on"), "2017-02-30"),
        (("cases", 0, "returns", 0, "submitted_on"), "3 November 2017"),
        (("recommendations", 0, "actions", 0, "completed_on"), None),
    ],
)
def test_a_date_that_is_not_a_date_is_named_by_its_path(where, value):
    bundle = dated_bundle()
    *parents, key = where
    node = bundle
    for part in parents:
        node = node[part]
    node[key] = value

    errors = errors_of(bundle)

    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")
    assert len(errors) == 1 and errors[0].startswith(f"{path}: ")


def test_the_dashboard_counts_lateness_and_completion_from_the_bundles_dates():
    bundle_import(data=dated_bundle(status="closed"))
    later = small_bundle(title="Later audit", returns_due="2018-05-31", meeting_date="2018-06-20")
    bundle_import(data=later)
    partnership = Partnership.objects.get()
    coordinator = f.MembershipFactory(partnership=partnership, role=Role.COORDINATOR).user

    dashboard = figures.dashboard_for(access.viewer_as(coordinator))

    rates = {row.label: row.cells for row in dashboard.table(figures.RETURN_RATES).rows}
    # Requested, submitted, on time, late (…): only the dated returns have a known lateness.
    assert rates["Police"][:4] == (2, 2, 1, 0)
    assert rates["Children's Social Care"][:4] == (4, 2, 0, 1)
    recurring = {row.label: row.cells for row in dashboard.table(figures.RECURRING_THEMES).rows}
    # The earlier audit's action on information sharing: completed 15 March 2018, before the
    # later audit's meeting.
    assert list(recurring.values()) == [(1, 1, 0, 0)]
