"""The audit's stages and what each allows: the table the pages, the services and the scoping
read (`audit.allows.ratify`, or `stages_allowing("collect_returns")` for a query), never an
audit's status. How an audit moves from one stage to the next is `lifecycle` (decision 45).

It imports nothing of maca: the audit's models and the scoping module read it, and
`lifecycle`, which reads the models, builds on it.
"""

from django.db import models


class AuditStatus(models.TextChoices):
    """The audit's life, in order. Moving on is a service that checks the conditions."""

    PLANNING = "planning", "Planning"
    COLLECTING = "collecting", "Collecting returns"
    MODERATION = "moderation", "Moderation"
    REPORTING = "reporting", "Reporting"
    MONITORING = "monitoring", "Monitoring actions"
    CLOSED = "closed", "Closed"


PLANNING = AuditStatus.PLANNING
COLLECTING = AuditStatus.COLLECTING
MODERATION = AuditStatus.MODERATION
REPORTING = AuditStatus.REPORTING
MONITORING = AuditStatus.MONITORING
CLOSED = AuditStatus.CLOSED

# --- What each stage allows ------------------------------------------------------------------

ALLOWS: dict[str, frozenset[str]] = {
    # Planning: the audit is the coordinators' alone.
    "change_tool": frozenset({PLANNING}),  # its questions: requests are built from them
    "change_sample": frozenset({PLANNING}),  # the sample plan, the candidates, the cases
    # A case's profile is corrected until the audit closes (its report's next edition counts it).
    "change_profiles": frozenset({PLANNING, COLLECTING, MODERATION, REPORTING, MONITORING}),
    "send_requests": frozenset({PLANNING}),
    "edit_details": frozenset({PLANNING, COLLECTING}),  # title, theme, dates
    # Once the requests have gone out, the agencies taking part (and the board) see the audit.
    "show_to_members": frozenset({COLLECTING, MODERATION, REPORTING, MONITORING, CLOSED}),
    # Returns are written, submitted and chased while they can still arrive: collecting, and
    # in moderation until their case is ratified (decision 17).
    "collect_returns": frozenset({COLLECTING, MODERATION}),
    # Immediate-action flags are followed until reporting (decision 43).
    "follow_flags": frozenset({COLLECTING, MODERATION}),
    "arrange_meeting": frozenset({COLLECTING, MODERATION}),  # its date, place and attendees
    "start_moderation": frozenset({COLLECTING}),
    # The meeting's work on a case: points, immediate actions, ratification and its lock.
    "ratify": frozenset({MODERATION}),
    "start_reporting": frozenset({MODERATION}),
    # From the meeting on: the meeting's page, the themes, the report's page; agency users
    # read the multi-agency case summaries of their agency's cases.
    "see_meeting": frozenset({MODERATION, REPORTING, MONITORING, CLOSED}),
    "read_summaries": frozenset({MODERATION, REPORTING, MONITORING, CLOSED}),
    "record_themes": frozenset({MODERATION, REPORTING}),
    # The report is written once every case is graded; a new edition may follow closing.
    "write_report": frozenset({REPORTING, MONITORING, CLOSED}),
    # The audit counts on the dashboard and in the theme library once every case is ratified.
    "count_in_learning": frozenset({REPORTING, MONITORING, CLOSED}),
    # Recommendations and actions are agreed once the cases are graded, until monitoring ends;
    # their owners are reminded over the same stages.
    "agree_actions": frozenset({REPORTING, MONITORING}),
    "remind_action_owners": frozenset({REPORTING, MONITORING}),
    # Actions change (progress, owner, due date) until the audit closes.
    "change_actions": frozenset({PLANNING, COLLECTING, MODERATION, REPORTING, MONITORING}),
    "start_monitoring": frozenset({REPORTING}),  # approving the report moves it on
    # So from monitoring on, the report has been approved (the audit's page says so).
    "report_approved": frozenset({MONITORING, CLOSED}),
    "close": frozenset({MONITORING}),
    # Closed: the retention period runs from the day it closed.
    "run_retention": frozenset({CLOSED}),
}


def stages_allowing(name: str) -> frozenset[str]:
    """The stages in which `name` holds, for a query (`status__in=`)."""
    return ALLOWS[name]


class Allows:
    """What an audit's stage allows, one boolean attribute per name of `ALLOWS`
    (`audit.allows.ratify`). A name not in the table is an AttributeError, not a quiet False."""

    __slots__ = ("status",)

    def __init__(self, status: str):
        self.status = status

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):  # copy and pickle look for their hooks before __init__ ran
            raise AttributeError(name)
        try:
            return self.status in ALLOWS[name]
        except KeyError:
            raise AttributeError(f"The audit's life has no rule {name!r}") from None

    def __repr__(self) -> str:
        return f"Allows({self.status!r})"
