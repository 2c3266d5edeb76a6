import contextlib
import io

from django.core.management.base import BaseCommand
from django.utils import timezone

from maca.access import needs_second_factor
from maca.accounts.models import User
from maca.accounts.two_factor import has_authenticator_app, set_up_authenticator_app
from maca.actions.dissemination import dissemination_add
from maca.actions.models import Channel
from maca.audits.models import Audit, AuditStatus
from maca.bundles.services import AuditKept, bundle_import
from maca.demo.story import STORY_DAY, days_moved, demo_bundle, demo_bundle_names
from maca.partnerships.models import Agency, Partnership, Role
from maca.partnerships.services import membership_grant
from maca.reports.briefing_services import briefing_draft, briefing_publish, briefing_save
from maca.reports.document import report_document
from maca.reports.selectors import report_state
from maca.reports.services import report_approve, report_publish, report_send
from maca.yearly.demo import demo_yearly_report

PASSWORD = "maca-demo-password"  # noqa: S105 — demo data only, printed for the newcomer
DEMO = "Demo Safeguarding Children Partnership"
NEIGHBOUR = "Northshire Safeguarding Children Partnership"

# (e-mail, name, role, agency) — one user per role, in the demo partnership.
CAST = [
    ("coordinator@example.org", "Casey Coordinator", Role.COORDINATOR, None),
    ("coordinator2@example.org", "Corin Second-Coordinator", Role.COORDINATOR, None),
    ("police.auditor@example.org", "Pat Police-Auditor", Role.AGENCY_AUDITOR, "Police"),
    ("health.auditor@example.org", "Hari Health-Auditor", Role.AGENCY_AUDITOR, "Health Provider"),
    ("csc.lead@example.org", "Lee Social-Care-Lead", Role.AGENCY_LEAD, "Children's Social Care"),
    ("board@example.org", "Bo Board-Member", Role.BOARD_MEMBER, None),
]


class Command(BaseCommand):
    help = "Load the demo: the bundles in demo/bundles and one user per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "replace the demo audits already loaded, but for those with a published report "
                "or on legal hold, which are kept"
            ),
        )
        parser.add_argument(
            "--without-feedback-packs",
            action="store_true",
            help=(
                "publish the closed audits' reports without making each agency's feedback "
                "pack (seconds each): a coordinator makes them on the audit's feedback page"
            ),
        )

    def handle(self, *args, **options):
        imported, kept = [], []
        today = timezone.localdate()
        for name in demo_bundle_names():
            data = demo_bundle(name, today=today)
            title = data["audit"]["title"]
            if (
                Audit.objects.filter(partnership__name=data["partnership"], title=title).exists()
                and not options["reset"]
            ):
                self.stdout.write(f"Already loaded: {title}")
                continue
            days = days_moved(data["audit"]["status"], today=today)
            try:
                audit = bundle_import(
                    data=data,
                    replace=options["reset"],
                    via="cli:load-demo",
                    reason=_why(days, today),
                )
            except AuditKept as refused:
                # A published edition is never deleted, not even the demo's (decision 41).
                kept.append(title)
                self.stdout.write(f"Kept as it was: {title} ({refused.why})")
                continue
            imported.append(audit)
            moved = f"; dates moved {days:+d} days" if days else ""
            self.stdout.write(
                f"Imported audit {audit.pk}: {audit.title} ({audit.cases.count()} cases{moved})"
            )

        demo = Partnership.objects.get(name=DEMO)
        for email, name, role, agency_name in CAST:
            user = _user(email, name)
            agency = Agency.objects.get(partnership=demo, name=agency_name) if agency_name else None
            membership_grant(user=user, partnership=demo, role=role, agency=agency)
            _with_second_factor(user)
        # The police auditor also serves a neighbouring partnership: the header's switcher.
        neighbour, _ = Partnership.objects.get_or_create(name=NEIGHBOUR)
        police, _ = Agency.objects.get_or_create(partnership=neighbour, name="Police")
        membership_grant(
            user=User.objects.get(email="police.auditor@example.org"),
            partnership=neighbour,
            role=Role.AGENCY_AUDITOR,
            agency=police,
        )
        for audit in imported:
            if audit.status in (AuditStatus.MONITORING, AuditStatus.CLOSED):
                # The approval e-mail would be printed (the local mail goes to the console).
                with contextlib.redirect_stdout(io.StringIO()):
                    edition = _publish(audit, packs=not options["without_feedback_packs"])
                self.stdout.write(f"Published edition {edition.number} of {audit.title}")
                if audit.title == BRIEFED:
                    briefing = _brief(audit, edition)
                    self.stdout.write(
                        f"Published edition {briefing.number} of its learning briefing"
                    )
        # The yearly assurance report of the last twelve months, published (its files are made
        # when they are downloaded).
        yearly = demo_yearly_report(
            demo,
            author=User.objects.get(email=CAST[0][0]),
            approver=User.objects.get(email=CAST[1][0]),
            today=today,
        )
        if yearly is not None:
            self.stdout.write(f"Published the yearly assurance report of {yearly.report.title}")
        admin = _user("admin@example.org", "Ada Admin")
        admin.is_staff = admin.is_superuser = True
        admin.save()
        _with_second_factor(admin)

        if kept:
            self.stdout.write(
                f"\n{len(kept)} demo audit{'s' if len(kept) > 1 else ''} kept as they were: a "
                "published edition of a report is never replaced or deleted, nor an audit on "
                "legal hold. For the demo as new, load it into an empty database (under make "
                "demo: remove var/maca.sqlite3 first)."
            )
        self.stdout.write(f"\nDemo logins (password for all: {PASSWORD}):")
        for email, _, role, agency in CAST:
            where = f", {agency}" if agency else ""
            self.stdout.write(f"  {email:<30} {Role(role).label}{where}")
        self.stdout.write(f"  {'admin@example.org':<30} Admin (Django admin at /admin/)")
        self.stdout.write(
            "\nEveryone but the board member signs in with a second factor, a code from an "
            "authenticator app.\nThe demo's accounts have apps nobody holds, so under "
            "`make demo` the code page shows the code of the moment."
        )
        self.stdout.write(
            "\nTo try planning: sign in as the coordinator, open “Children missing from "
            "education”, and upload demo/candidates.csv on its “Cases and sample” page."
        )


def _why(days: int, today) -> str:
    """The change history's reason for a demo import: the dates' move is recorded with it."""
    if not days:
        return "the demo, imported from its audit bundle"
    return (
        f"the demo, imported from its audit bundle with every date moved {days:+d} days "
        f"(written as of {STORY_DAY.isoformat()}, loaded on {today.isoformat()})"
    )


def _publish(audit: Audit, *, packs: bool):
    """A closed audit's report, as its coordinators would have published it: written and sent
    by one, approved by the other."""
    author = User.objects.get(email=CAST[0][0])
    approver = User.objects.get(email=CAST[1][0])
    report_send(audit=audit, by=author)
    digest = report_state(audit, report_document(audit)).digest
    report_approve(audit=audit, digest=digest, by=approver)
    return report_publish(audit=audit, digest=digest, by=author, feedback_packs=packs)


#: The demo audit given a published learning briefing and a dissemination log (decision 71).
BRIEFED = "Children living with domestic abuse"


def _brief(audit: Audit, edition):
    """The learning briefing of a published report, drafted, one part edited and published by
    the coordinator, then shared: the report to the board, the briefing at a team meeting, in
    the newsletter and at training. Its files are made when downloaded (nothing rendered here)."""
    coordinator = User.objects.get(email=CAST[0][0])
    lead = User.objects.get(email=CAST[4][0])
    briefing = briefing_draft(audit=audit, by=coordinator)
    parts = briefing.parts()
    parts["why_it_matters"] = (
        "Domestic abuse is the most common factor in the assessments of children in need. A "
        "child who lives with it is harmed by it, whoever it is aimed at; their voice and "
        "their safety must stay at the centre of our plans."
    )
    briefing = briefing_save(audit=audit, parts=parts, version=briefing.version, by=coordinator)
    published = briefing_publish(audit=audit, version=briefing.version, by=coordinator)
    today = timezone.localdate()
    csc = Agency.objects.get(partnership=audit.partnership, name="Children's Social Care")
    for what, channel, words, agency, by, people in (
        (edition, Channel.OTHER, "The partnership board", None, coordinator, 14),
        (published, Channel.TEAM_MEETING, "Assessment team, North", csc, lead, 11),
        (published, Channel.NEWSLETTER, "Partnership newsletter", None, coordinator, 240),
        (published, Channel.TRAINING, "Domestic abuse refresher", None, coordinator, 32),
    ):
        dissemination_add(
            audit=audit,
            what=what,
            channel=channel,
            recipient=words,
            agency=agency,
            sent_on=today,
            people_reached=people,
            by=by,
        )
    return published


def _user(email: str, name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"name": name})
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _with_second_factor(user: User) -> None:
    if needs_second_factor(user) and not has_authenticator_app(user):
        set_up_authenticator_app(user)
