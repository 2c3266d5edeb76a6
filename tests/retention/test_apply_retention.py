"""`maca apply-retention`: a closed audit's case-level text goes once its partnership's period
has passed, unless it is on legal hold; the figures and the published report stay; the purge
is recorded; a dry run changes nothing; a second run does nothing."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from maca.audits.models import Audit
from maca.history.models import ChangeRecord
from maca.history.redaction import removed
from maca.meetings.models import CasePoint, Ratification
from maca.reports.models import Rendition, ReportEdition
from maca.reports.summary import report_summary
from maca.retention.services import legal_hold_set
from maca.returns.models import Return
from tests import factories as f

from .conftest import PLANTED, apply_retention, close, planted_anywhere, years_ago


def _figures(audit) -> dict:
    """Everything that must survive a purge: the figures, the grades and yes/no answers, the
    published editions and their files."""
    return {
        "summary": report_summary(audit),
        "grades": sorted(
            Return.objects.filter(request__audit=audit).values_list("pk", "grade", "answers__q2")
        ),
        "ratified": sorted(
            Ratification.objects.filter(case__audit=audit).values_list("pk", "grade")
        ),
        "editions": list(
            ReportEdition.objects.filter(audit=audit).values("number", "document", "digest")
        ),
        "files": list(
            Rendition.objects.filter(audit=audit, edition__isnull=False).values_list(
                "content", flat=True
            )
        ),
        "cases": sorted(audit.cases.values_list("reference", "area__name")),
        "themes": sorted(audit.themes.values_list("title", flat=True)),
    }


def test_an_audit_closed_6_years_and_a_day_ago_is_purged(closed_audit):
    assert planted_anywhere(), "nothing planted: the test proves nothing"
    output = apply_retention()
    closed_audit.refresh_from_db()
    assert closed_audit.purged_at is not None and closed_audit.purge_run
    assert f"Audit {closed_audit.pk} (partnership {closed_audit.partnership_id})" in output
    assert planted_anywhere() == []


def test_an_audit_closed_a_day_short_of_6_years_is_kept(closed_audit):
    close(closed_audit, years_ago(6, days=-1))
    output = apply_retention()
    closed_audit.refresh_from_db()
    assert closed_audit.purged_at is None
    assert output.strip().endswith("the case-level text of 0 audits removed; 0 kept on legal hold.")
    assert set(PLANTED) <= {found.rsplit(": ", 1)[1] for found in planted_anywhere()}


def test_the_period_is_the_partnerships(closed_audit):
    closed_audit.partnership.retention_years = 7
    closed_audit.partnership.save()
    apply_retention()
    assert Audit.objects.get(pk=closed_audit.pk).purged_at is None
    close(closed_audit, years_ago(7, days=1))
    apply_retention()
    assert Audit.objects.get(pk=closed_audit.pk).purged_at is not None


def test_an_audit_not_closed_is_kept_however_old(closed_audit):
    closed_audit.status = "monitoring"
    closed_audit.save()
    apply_retention()
    closed_audit.refresh_from_db()
    assert closed_audit.purged_at is None and planted_anywhere()


def test_a_legal_hold_keeps_it_and_lifting_the_hold_lets_the_next_run_purge(
    closed_audit, coordinator
):
    legal_hold_set(audit=closed_audit, by=coordinator, on=True, reason="Inquiry 2031/7")
    output = apply_retention()
    assert (
        f"Audit {closed_audit.pk} (partnership {closed_audit.partnership_id}): kept, on legal hold"
        in output
    )
    assert Audit.objects.get(pk=closed_audit.pk).purged_at is None and planted_anywhere()

    legal_hold_set(audit=closed_audit, by=coordinator, on=False, reason="Inquiry closed")
    apply_retention()
    assert Audit.objects.get(pk=closed_audit.pk).purged_at is not None
    assert planted_anywhere() == []


def test_the_figures_and_the_published_report_are_unchanged(closed_audit):
    before = _figures(closed_audit)
    assert before["editions"] and before["files"] and before["grades"]
    apply_retention()
    assert _figures(Audit.objects.get(pk=closed_audit.pk)) == before


def test_text_is_replaced_by_the_notice_and_unpublished_files_are_deleted(closed_audit):
    apply_retention()
    notice = removed(timezone.localdate())
    police = Return.objects.get(request__case__reference="T-E-01", request__agency__name="Police")
    assert police.answers == {"q1": notice, "q2": "yes"}
    assert (police.learning, police.immediate_action_description) == (notice, notice)
    assert police.immediate_action and police.request.agency_record_number == notice
    assert Ratification.objects.get(case=police.request.case).reason == notice
    assert CasePoint.objects.get(case=police.request.case).text == notice
    # The recommendation's action is the report's, not a case's: it stays.
    assert (
        closed_audit.actions.get(immediate=False).description
        == "Add GP contact to the review template"
    )
    assert closed_audit.actions.get(immediate=True).description == notice
    assert not Rendition.objects.filter(audit=closed_audit, edition__isnull=True).exists()
    assert Rendition.objects.filter(audit=closed_audit, edition__isnull=False).exists()


def test_the_purge_is_recorded(closed_audit):
    apply_retention()
    closed_audit.refresh_from_db()
    record = ChangeRecord.objects.filter(
        object_type="audits.audit", object_id=str(closed_audit.pk)
    ).last()
    assert (record.user, record.via, record.redacted_at) == (None, "retention", None)
    assert record.after["purged_at"] and record.after["purge_run"] == closed_audit.purge_run
    assert record.reason.startswith("Case-level text removed under the retention policy (6 years")
    assert closed_audit.purge_run in record.reason
    # Every change record of the audit holding case text was redacted before it.
    redacted = ChangeRecord.objects.filter(audit_id=closed_audit.pk, redacted_at__isnull=False)
    assert redacted.exists() and all(r.pk < record.pk for r in redacted)


def test_the_output_names_ids_dates_and_counts_never_the_text(closed_audit):
    output = apply_retention()
    lines = output.strip().splitlines()
    assert len(lines) == 2
    assert "returns" in lines[0] and "history records" in lines[0]
    assert not any(word in output for word in [*PLANTED, closed_audit.title])
    assert "the case-level text of 1 audit removed; 0 kept on legal hold." in lines[1]


def test_a_dry_run_changes_nothing(closed_audit):
    def everything():
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            rows = {}
            for table in tables:
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                rows[table] = sorted(map(repr, cursor.fetchall()))
        return rows

    before = everything()
    output = apply_retention("--dry-run")
    assert f"Audit {closed_audit.pk} " in output and "would remove the text of" in output
    assert "Dry run: the case-level text of 1 audit would be removed" in output
    assert everything() == before
    # And it said what the real run then does.
    real = apply_retention()
    assert output.splitlines()[0].replace("would remove", "removed") == real.splitlines()[0]


def test_a_second_run_does_nothing(closed_audit):
    apply_retention()
    records = ChangeRecord.objects.count()
    purged_at = Audit.objects.get(pk=closed_audit.pk).purged_at
    output = apply_retention()
    assert "the case-level text of 0 audits removed" in output
    assert ChangeRecord.objects.count() == records
    assert Audit.objects.get(pk=closed_audit.pk).purged_at == purged_at


def test_other_audits_keep_their_text(closed_audit, other_audit):
    word = "Marmaduke"
    other = Return.objects.get(request__audit=other_audit)
    other.learning = word
    other.save()
    close(other_audit, years_ago(3))
    apply_retention()
    assert Return.objects.get(pk=other.pk).learning == word


def test_a_given_today_decides_what_is_due(closed_audit):
    ends = closed_audit.closed_at.date().replace(year=closed_audit.closed_at.year + 6)
    apply_retention("--today", ends.isoformat())  # the last day it is kept
    assert Audit.objects.get(pk=closed_audit.pk).purged_at is None
    apply_retention("--today", (ends + datetime.timedelta(days=1)).isoformat())
    assert Audit.objects.get(pk=closed_audit.pk).purged_at is not None


@pytest.mark.parametrize(
    "name, notice",
    [
        ("audits:detail", True),
        ("audits:history", True),
        ("audits:case_summaries", False),
        ("audits:report", False),
    ],
)
def test_the_audits_pages_still_open_after_the_purge(
    closed_audit, coordinator, client_for, name, notice
):
    apply_retention()
    response = client_for(coordinator).get(reverse(name, args=[closed_audit.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    if notice:
        assert "Removed under the retention policy on" in page
    assert not any(word in page for word in PLANTED)


def test_a_cases_pages_show_the_notice_where_text_was(closed_audit, coordinator, client_for):
    apply_retention()
    client = client_for(coordinator)
    case = closed_audit.cases.get(reference="T-E-01")
    police = closed_audit.partnership.agencies.get(name="Police")
    notice = removed(timezone.localdate())
    for url in (
        reverse("audits:return", args=[closed_audit.pk, case.pk, police.pk]),
        reverse("audits:case_summary", args=[closed_audit.pk, case.pk]),
        reverse("audits:meeting_case", args=[closed_audit.pk, case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert notice in response.content.decode(), url
    edition = closed_audit.report_editions.get()
    response = client.get(reverse("audits:report_edition", args=[closed_audit.pk, edition.number]))
    assert response.status_code == 200


def test_each_agencys_feedback_pack_is_deleted_though_made_on_a_published_edition(
    closed_audit, agencies
):
    """A feedback pack holds the agency's case-level text: it goes with the text, while the
    published edition's own files stay."""
    edition = closed_audit.report_editions.order_by("number").first()
    f.feedback_pack_ready(edition, agencies["Police"])
    f.feedback_pack_ready(edition, agencies["Police"], kind="feedback_docx")
    apply_retention()
    assert not Rendition.objects.filter(audit=closed_audit, agency__isnull=False).exists()
    assert Rendition.objects.filter(
        audit=closed_audit, edition=edition, agency__isnull=True
    ).exists()
