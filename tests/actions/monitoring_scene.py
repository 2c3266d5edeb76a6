"""The actions the monitoring tests look at, across agencies, audits and partnerships."""

import datetime

from django.utils import timezone

from maca.actions.models import ActionStatus, ActionUpdate
from maca.audits.models import AuditStatus
from tests import factories as f

DAY = datetime.timedelta(days=1)

LATE = "Police to review missing-episode handover"  # red: due 10 days ago
SOON = "Health to add GP contact to review template"  # amber: open, due in 5 days
LATER = "Police to train officers on GP contact"  # green: in progress, due in 90 days
IMMEDIATE = "CSC to visit the child this week"  # green: immediate, due in 40 days
DONE = "Police to update the referral form"  # complete
ELSEWHERE_AUDIT = "Police to brief the neglect panel"  # green: another audit, due in 20 days
OTHER_PARTNERSHIP = "Elsewhere's own action"
GPS = "Information sharing with GPs"  # the `audit` fixture's theme
LIBRARY = "Information sharing"  # the library theme it links to
NEGLECT = "Health needs overlooked"


def action(recommendation, agency, description, due, status=ActionStatus.IN_PROGRESS):
    return f.ActionFactory(
        recommendation=recommendation,
        agency=agency,
        description=description,
        due=due,
        status=status,
    )


def build(audit, agencies, other_audit=None) -> dict:
    """Put the `audit` fixture into monitoring with the actions above (and one in the other
    partnership's audit, when given). Returns the actions by description."""
    today = timezone.localdate()
    audit.status = AuditStatus.MONITORING
    audit.save()
    gps = audit.themes.get(title=GPS)
    gps.library_theme = f.LibraryThemeFactory(partnership=audit.partnership, title=LIBRARY)
    gps.save()
    gps.cases.add(audit.cases.get(reference="T-E-01"))
    neglect = f.AuditThemeFactory(audit=audit, title=NEGLECT)
    first = f.RecommendationFactory(audit=audit, text="Share with GPs.")
    first.themes.set([gps])
    second = f.RecommendationFactory(audit=audit, text="Look after health needs.")
    second.themes.set([neglect])
    police, health, csc = (
        agencies[n] for n in ("Police", "Health Provider", "Children's Social Care")
    )
    made = {
        LATE: action(first, police, LATE, today - 10 * DAY),
        SOON: action(second, health, SOON, today + 5 * DAY, ActionStatus.OPEN),
        LATER: action(second, police, LATER, today + 90 * DAY),
        DONE: action(first, police, DONE, today - 30 * DAY, ActionStatus.COMPLETE),
    }
    made[IMMEDIATE] = f.ActionFactory(
        recommendation=None,
        audit=audit,
        partnership=audit.partnership,
        case=audit.cases.get(reference="T-E-01"),
        immediate=True,
        agency=csc,
        description=IMMEDIATE,
        due=today + 40 * DAY,
    )
    ActionUpdate.objects.create(
        partnership=audit.partnership,
        action=made[LATER],
        note="Two sessions held.",
        status=ActionStatus.IN_PROGRESS,
    )
    elsewhere = f.AuditFactory(
        partnership=audit.partnership, title="Neglect audit", status=AuditStatus.MONITORING
    )
    made[ELSEWHERE_AUDIT] = action(
        f.RecommendationFactory(audit=elsewhere), police, ELSEWHERE_AUDIT, today + 20 * DAY
    )
    if other_audit is not None:
        made[OTHER_PARTNERSHIP] = action(
            f.RecommendationFactory(audit=other_audit),
            f.AgencyFactory(partnership=other_audit.partnership, name="Police"),
            OTHER_PARTNERSHIP,
            today - 5 * DAY,
        )
    return made
