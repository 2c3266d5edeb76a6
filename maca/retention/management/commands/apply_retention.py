"""`maca apply-retention`: remove the case-level text of closed audits whose retention period
has ended (`maca/retention/services.py`). Run it daily; a second run the same day does nothing."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from maca import access_rls
from maca.cli import iso_date
from maca.retention.services import (
    audit_purge,
    audit_purge_plan,
    new_run,
    retention_ended,
    retention_ends,
)


class Command(BaseCommand):
    help = (
        "Remove the case-level text of each closed audit whose partnership's retention period "
        "has ended, unless it is on legal hold: one transaction per audit, each recorded in the "
        "change history. Prints one line per audit (ids, dates and counts) and the totals."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be removed; change nothing"
        )
        parser.add_argument(
            "--today", type=iso_date, help="act as if today were this date (YYYY-MM-DD)"
        )

    def handle(self, *args, **options):
        today, dry_run = options["today"] or timezone.localdate(), options["dry_run"]
        run = new_run()
        purged = held = 0
        # Every partnership's audits: the command works for the whole installation.
        with access_rls.working_in(access_rls.ALL_PARTNERSHIPS):
            for audit in retention_ended(today):
                if audit.legal_hold:
                    held += 1
                    self.stdout.write(
                        f"Audit {audit.pk} (partnership {audit.partnership_id}): kept, on legal "
                        f"hold (its retention period ended {retention_ends(audit):%Y-%m-%d})"
                    )
                    continue
                if dry_run:
                    done = audit_purge_plan(audit, today)
                else:
                    done = audit_purge(audit_id=audit.pk, today=today, run=run)
                if done is not None:
                    purged += 1
                    self.stdout.write(done.line(dry_run=dry_run))
        audits = f"{purged} audit{'' if purged == 1 else 's'}"
        if dry_run:
            summary = f"Dry run: the case-level text of {audits} would be removed"
        else:
            summary = f"Retention run {run}: the case-level text of {audits} removed"
        self.stdout.write(f"{summary}; {held} kept on legal hold.")
