"""A closed audit whose case-level text holds planted words everywhere it can be written, and
the helpers the retention tests share.

The words are planted after the report was published (a published edition passed the
identifier check, so it never holds them), then the audit is closed just over six years ago.
"""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from maca.actions.models import ActionUpdate
from maca.audits.models import AuditStatus
from maca.history.tracking import actor
from maca.meetings.models import Ratification
from maca.reports.models import Rendition, RenditionKind, RenditionStatus
from maca.returns.models import Return
from tests import factories as f

NAME = "Zephyrine Quillfeather"
NHS_NUMBER = "9434765919"
RECORD_NUMBER = "CSC-943-4765919"
PLANTED = ["Zephyrine", "Quillfeather", NHS_NUMBER, RECORD_NUMBER]
TEXT = f"{NAME} (NHS {NHS_NUMBER}) was seen at home"


def years_ago(years: int, *, days: int = 0) -> datetime.datetime:
    """Noon, `years` years and `days` days before today."""
    today = timezone.localdate()
    day = today.replace(year=today.year - years) - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def close(audit, closed_at) -> None:
    audit.status, audit.closed_at = AuditStatus.CLOSED, closed_at
    audit.save()


def apply_retention(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def planted_anywhere() -> list[str]:
    """Every (table.column: word) where a planted word is stored, in every table the database
    lists, every column read as text."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                for word in PLANTED:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "
                        f"WHERE CAST({name} AS TEXT) LIKE %s",
                        [f"%{word}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column.name}: {word}")
    return found


@pytest.fixture
def closed_audit(audit, coordinator, agencies):
    """The cast's audit, its report published, then case-level text planted in every kind of
    row and in the history's reasons, closed 6 years and a day ago."""
    # The actions below are Police's: an agency is the partnership's, not the audit's, so one
    # made in the block would carry the planted reason in a record no purge of the audit is for.
    f.QuestionFactory(audit=audit, key="q2", text="Was there a plan?", kind="yes_no_partly")
    case = audit.cases.get(reference="T-E-01")
    f.RatificationFactory(case=audit.cases.get(reference="T-N-01"), grade="inadequate")
    f.RatificationFactory(case=case, grade="good")
    f.published_report(audit)
    with actor(coordinator, reason=f"{NAME} asked for it"):
        police = Return.objects.get(request__case=case, request__agency=agencies["Police"])
        police.answers = {"q1": TEXT, "q2": "yes"}
        police.learning = TEXT
        police.immediate_action = True
        police.immediate_action_description = TEXT
        police.save()
        request = police.request
        request.agency_record_number = RECORD_NUMBER
        request.save()
        candidate = audit.candidates.get(line=3)
        candidate.record_numbers = {str(agencies["Police"].pk): RECORD_NUMBER}
        candidate.swapped_out_reason = TEXT
        candidate.save()
        ratification = Ratification.objects.get(case=case)
        ratification.grade, ratification.reason = "not_scored", TEXT
        ratification.save()
        f.CasePointFactory(case=case, kind="concern", text=TEXT)
        action = f.ActionFactory(
            recommendation=None,
            audit=audit,
            case=case,
            agency=agencies["Police"],
            immediate=True,
            description=TEXT,
        )
        ActionUpdate.objects.create(
            partnership=audit.partnership, action=action, note=TEXT, impact=TEXT, status="open"
        )
        f.ActionFactory(
            recommendation=f.RecommendationFactory(audit=audit),
            agency=agencies["Police"],
            status="complete",
        )
        section = f"Introduction: {TEXT}"
        report_section = apps.get_model("reports", "ReportSection").objects.create(
            partnership=audit.partnership,
            audit=audit,
            key="introduction",
            custom=True,
            text=section,
        )
        report_section.text = "Introduction, checked."
        report_section.save()
        # A second edition's draft, sent back by the approver with a reason quoting the case.
        apps.get_model("reports", "Report").objects.create(
            partnership=audit.partnership,
            audit=audit,
            sent_back_by=coordinator,
            sent_back_at=timezone.now(),
            sent_back_reason=f"The introduction names {NAME}",
        )
    Rendition.objects.create(
        partnership=audit.partnership,
        audit=audit,
        kind=RenditionKind.MEETING_PACK,
        status=RenditionStatus.READY,
        content=TEXT.encode(),
        filename="meeting-pack.pdf",
    )
    close(audit, years_ago(6, days=1))
    audit.refresh_from_db()
    return audit
