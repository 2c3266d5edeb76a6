"""What is kept whatever anyone asks (decision 41): a published edition of a report, for ever; an
audit on legal hold, while the hold lasts.

The review's attack: `POST /api/v1/bundles?replace=true` with the title of a closed audit on
legal hold deleted it with its published editions. Every path is tried here: the API, the
command, the demo's reset, the retention policy, the models (an audit's own deletion, a
queryset's, a cascade from its partnership, area or agency) and, on PostgreSQL, raw SQL.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from maca.api.services import token_create
from maca.audits.models import Audit, AuditStatus
from maca.errors import Kept
from maca.history.models import ChangeRecord
from maca.history.redaction import change_record_redact, removed
from maca.reports.models import Rendition, ReportEdition
from maca.retention.services import legal_hold_set
from tests import factories as f
from tests.bundles.samples import small_bundle
from tests.support.api import Api

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"
only_postgresql = pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's triggers")

TITLE = "Transitions to adult services"  # the `audit` fixture's


@pytest.fixture
def closed(audit, coordinator):
    """The cast's audit, closed a year ago with its report published."""
    f.RatificationFactory(case=audit.cases.get(reference="T-E-01"), grade="good")
    f.published_report(audit)
    audit.status, audit.closed_at = AuditStatus.CLOSED, timezone.now()
    audit.save()
    return audit


@pytest.fixture
def held(audit, coordinator):
    """The cast's audit on legal hold (its report not published)."""
    return legal_hold_set(audit=audit, by=coordinator, on=True, reason="A claim is expected")


@pytest.fixture
def api(coordinator, partnership) -> Api:
    """The coordinator's API client, with a token of our partnership."""
    return Api(token_create(user=coordinator, partnership=partnership, name="Tests")[1])


def kept_as_it_was(audit) -> tuple:
    audit = Audit.objects.get(pk=audit.pk)
    editions = list(ReportEdition.objects.filter(audit=audit).values_list("pk", "digest"))
    return audit.pk, audit.legal_hold, audit.cases.count(), editions


def replacing(partnership) -> dict:
    return small_bundle(title=TITLE) | {"partnership": partnership.name}


# --- The review's attack, and every other way to replace an audit ------------------------------


def test_replacing_a_held_audit_with_published_editions_through_the_api_is_refused(
    closed, coordinator, partnership, api
):
    legal_hold_set(audit=closed, by=coordinator, on=True, reason="A claim is expected")
    before = kept_as_it_was(closed)

    response = api.post("/bundles?replace=true", replacing(partnership))

    assert response.status_code == 400
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["body", "audit", "title"]
    assert "its report has 1 published edition" in problem["msg"]
    assert "never replaced or deleted" in problem["msg"]
    assert kept_as_it_was(closed) == before


def test_an_audit_on_hold_is_not_replaced_through_the_api(held, partnership, api):
    before = kept_as_it_was(held)

    response = api.post("/bundles?replace=true", replacing(partnership))

    assert response.status_code == 400
    assert response.json()["detail"] == [
        {
            "loc": ["body", "audit", "title"],
            "msg": f"{partnership.name} already has audit {held.pk}: {TITLE!r}, and it is on "
            "legal hold: it is not replaced or deleted while the hold lasts.",
        }
    ]
    assert kept_as_it_was(held) == before


def test_an_audit_with_a_published_edition_is_not_replaced_by_the_command(
    closed, partnership, tmp_path
):
    before = kept_as_it_was(closed)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(replacing(partnership)))

    with pytest.raises(CommandError, match="A published edition is never replaced or deleted"):
        call_command("import_bundle", str(path), "--replace", stdout=io.StringIO())
    assert kept_as_it_was(closed) == before


def test_once_the_hold_is_lifted_an_audit_without_editions_can_be_replaced(
    held, coordinator, partnership, api
):
    legal_hold_set(audit=held, by=coordinator, on=False, reason="The claim was settled")

    response = api.post("/bundles?replace=true", replacing(partnership))

    assert response.status_code == 201
    assert not Audit.objects.filter(pk=held.pk).exists()


# --- The models refuse, whatever the path --------------------------------------------------


def test_an_audit_on_hold_is_not_deleted_by_the_models(held):
    stale = Audit.objects.get(pk=held.pk)
    stale.legal_hold = False  # a copy that has not seen the hold: the database's word counts
    for attempt in (held.delete, stale.delete, Audit.objects.filter(pk=held.pk).delete):
        with pytest.raises(Kept, match=f"Audit {held.pk} is on legal hold"), transaction.atomic():
            attempt()
    assert Audit.objects.filter(pk=held.pk, legal_hold=True).exists()


def test_an_audit_with_a_published_edition_is_not_deleted_by_the_models(closed):
    with pytest.raises(ProtectedError, match=r"ReportEdition\.audit"), transaction.atomic():
        closed.delete()
    assert kept_as_it_was(closed)[3]


def test_a_published_edition_is_never_changed_or_deleted_by_the_models(closed):
    edition = ReportEdition.objects.get(audit=closed)
    edition.document = {"sections": []}
    for attempt in (
        edition.save,
        edition.delete,
        lambda: ReportEdition.objects.filter(pk=edition.pk).update(digest="0" * 64),
        lambda: ReportEdition.objects.filter(pk=edition.pk).delete(),
        lambda: ReportEdition.objects.bulk_update([edition], ["document"]),
    ):
        with pytest.raises(Kept, match="published"), transaction.atomic():
            attempt()
    assert ReportEdition.objects.get(pk=edition.pk).document != {"sections": []}


def test_deleting_the_partnership_area_or_agency_of_a_kept_audit_deletes_nothing(closed, agencies):
    # Their history, cases and requests hold them (PROTECT): nothing cascades to the audit.
    legal_hold_set(audit=closed, by=None, on=True, reason="A claim is expected")
    before = kept_as_it_was(closed)
    case = closed.cases.first()
    for row in (closed.partnership, case.area, agencies["Police"]):
        with pytest.raises(ProtectedError), transaction.atomic():
            row.delete()
    assert kept_as_it_was(closed) == before


def test_the_admin_cannot_delete_the_partnership_of_a_kept_audit(closed, admin_user, client_for):
    url = f"/admin/partnerships/partnership/{closed.partnership_id}/delete/"
    client = client_for(admin_user)

    page = client.get(url)
    client.post(url, {"post": "yes"})

    assert "protected" in page.content.decode()
    assert kept_as_it_was(closed)[3]


# --- Retention ----------------------------------------------------------------------------


def test_retention_never_removes_a_published_edition_or_its_files(closed):
    closed.closed_at = timezone.now().replace(year=timezone.now().year - 7)
    closed.save()
    files = set(Rendition.objects.filter(edition__isnull=False).values_list("pk", flat=True))
    before = kept_as_it_was(closed)

    out = io.StringIO()
    call_command("apply_retention", stdout=out)

    assert f"Audit {closed.pk}" in out.getvalue()  # purged: its case-level text went
    assert kept_as_it_was(closed) == before
    assert set(Rendition.objects.filter(edition__isnull=False).values_list("pk", flat=True)) == (
        files
    )


# --- The database refuses too (PostgreSQL) ------------------------------------------------


def _sql(statement: str, params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@only_postgresql
def test_postgresql_refuses_to_delete_an_audit_on_hold_even_in_raw_sql(held):
    with pytest.raises(DatabaseError, match="is on legal hold: it is not deleted"):
        _sql("DELETE FROM audits_audit WHERE id = %s", [held.pk])
    assert Audit.objects.filter(pk=held.pk).exists()


@only_postgresql
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE reports_reportedition SET document = '{}' WHERE audit_id = %s",
        "DELETE FROM reports_reportedition WHERE audit_id = %s",
    ],
    ids=["update", "delete"],
)
def test_postgresql_refuses_to_change_a_published_edition_even_in_raw_sql(closed, statement):
    before = kept_as_it_was(closed)
    with pytest.raises(DatabaseError, match="is published: it is never changed or deleted"):
        _sql(statement, [closed.pk])
    assert kept_as_it_was(closed) == before


@only_postgresql
def test_postgresql_refuses_to_redact_the_history_of_an_audit_on_hold(held):
    record = ChangeRecord.objects.filter(audit_id=held.pk, object_type="returns.return").first()
    notice = removed(timezone.localdate())
    refused = pytest.raises(DatabaseError, match="on legal hold: its history is not redacted")
    with refused, transaction.atomic():
        change_record_redact(record, values={"reason": notice}, at=timezone.now())
    assert ChangeRecord.objects.get(pk=record.pk).redacted_at is None
