"""The colour of every tag that shows a grade or a status, in one place (decision 44).

A grade's colour is the grade's alone: no status is shown in a colour a grade uses. A request
"Not returned" in yellow beside a return graded "Requires improvement" in yellow, or "Submitted"
in green beside "Outstanding" in green, reads as one more grade. `tests/front/test_tag_colours.py`
draws every tag from the compiled stylesheet and holds that rule.

The colours are GOV.UK Frontend's tag colours (`govuk-tag--<colour>`); blue is the tag's own,
without a modifier. A status that needs nothing more from anyone (a submitted return, a closed
audit) is plain text, as GOV.UK's task list shows "Completed": the tags left are the ones to act
on, and there are only four colours no grade uses (blue, purple, orange, magenta; magenta's
pink is too close to the red of "Inadequate" to stand beside it).

Left out, because their colour is their meaning or they never stand beside a grade: the
actions' RAG rating (red, amber, green), the report's way to publication, files being made.
"""

from django.core.exceptions import ImproperlyConfigured

from maca.audits.models import AuditStatus, RequestStatus
from maca.grades import Grade

GRADE: dict[str, str] = {
    Grade.OUTSTANDING: "green",
    Grade.GOOD: "teal",
    Grade.REQUIRES_IMPROVEMENT: "yellow",
    Grade.INADEQUATE: "red",
    Grade.NOT_SCORED: "grey",
}

REQUEST_STATUS: dict[str, str | None] = {
    RequestStatus.OUTSTANDING: "purple",  # "Not returned"
    RequestStatus.DRAFT: "blue",
    RequestStatus.RETURNED: "orange",
    RequestStatus.SUBMITTED: None,
}

AUDIT_STATUS: dict[str, str | None] = {
    AuditStatus.PLANNING: "blue",
    AuditStatus.COLLECTING: "blue",
    AuditStatus.MODERATION: "blue",
    AuditStatus.REPORTING: "blue",
    AuditStatus.MONITORING: "blue",
    AuditStatus.CLOSED: None,
}

# States shown as a tag beside a grade or a request's status.
STATE: dict[str, str] = {
    "awaiting_sign_off": "purple",  # a return waiting for its agency lead
    "unlocked": "purple",  # a ratified case unlocked: the meeting must ratify it again
}

# `includes/status_tag.html` is given a request's or an audit's status as a plain string.
STATUS: dict[str, str | None] = {**REQUEST_STATUS, **AUDIT_STATUS, **STATE}
if len(STATUS) != len(REQUEST_STATUS) + len(AUDIT_STATUS) + len(STATE):
    raise ImproperlyConfigured("A request's status and an audit's share a name: tell them apart.")


def tag_class(colour: str) -> str:
    """The classes of a GOV.UK tag in `colour`."""
    return "govuk-tag" if colour == "blue" else f"govuk-tag govuk-tag--{colour}"
