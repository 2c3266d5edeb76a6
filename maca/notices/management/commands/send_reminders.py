from django.core.management.base import BaseCommand

from maca import access_rls
from maca.cli import iso_date
from maca.notices.models import NoticeKind
from maca.notices.reminders import reminders_send
from maca.notices.services import FOR, agencies_reach, owed_requests

LABELS = {
    NoticeKind.REMINDER_DUE_SOON: "due soon",
    NoticeKind.REMINDER_OVERDUE: "overdue",
    NoticeKind.ACTION_DUE_SOON: "action due soon",
    NoticeKind.ACTION_OVERDUE: "action overdue",
    NoticeKind.IMMEDIATE_ACTION_OVERDUE: "immediate action not handled",
}


class Command(BaseCommand):
    help = (
        "E-mail each agency that owes returns, or has an action not yet complete: once in the "
        "days before they are due and once when they are overdue; and escalate again, once, "
        "each immediate-action flag not handled within a working day. Safe to run as often as "
        "you like (e.g. daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=iso_date, help="act as if today were this date (YYYY-MM-DD)"
        )

    def handle(self, *args, **options):
        # A job for every partnership, whichever database role cron runs it as.
        with access_rls.working_in(access_rls.ALL_PARTNERSHIPS):
            self._send(options["date"])

    def _send(self, today):
        notices = reminders_send(today=today)
        unheard = 0
        for notice in notices:
            if notice.action_id:
                about = f"action due {notice.due.day} {notice.due:%B %Y}"
            elif notice.kind == NoticeKind.IMMEDIATE_ACTION_OVERDUE:
                about = f"flag on case {notice.request.case.reference}"
            else:
                owed = owed_requests(notice.audit, notice.agency_id).count()
                about = f"{owed} return{'' if owed == 1 else 's'}"
            [reach] = agencies_reach(agencies=[notice.agency], kind=notice.kind)
            if not reach.emails and FOR[notice.kind][1]:
                about += (
                    f"; nobody there can be e-mailed ({reach.why_nobody}): the coordinators only"
                )
            elif not reach.emails:
                unheard += 1
                about += f"; nobody there can be e-mailed: {reach.why_nobody}"
            self.stdout.write(
                f"Reminder ({LABELS[notice.kind]}) to {notice.agency.name} for audit "
                f"{notice.audit_id}: {about}"
            )
        self.stdout.write(f"{len(notices)} reminder{'' if len(notices) == 1 else 's'} sent.")
        if unheard:
            self.stdout.write(
                f"{unheard} of them reached nobody: the coordinators' outbox lists "
                f"{'it' if unheard == 1 else 'them'}."
            )
