"""The demo's yearly assurance report (`maca load-demo`): the last twelve months to the day the
demo is loaded, which holds the demo's audit in monitoring (its report published as the demo
loads) and, before it, the closed audits its themes recur from. Written, sent and published as
its coordinators would: one sends, the other approves."""

import datetime

from maca import access
from maca.accounts.models import User
from maca.partnerships.models import Partnership

from .document import yearly_document
from .models import YearlyEdition, YearlyReport
from .selectors import yearly_state
from .services import (
    yearly_report_approve,
    yearly_report_create,
    yearly_report_publish,
    yearly_report_send,
    yearly_section_save,
)

CHANGES = (
    "Practitioners now record the child's voice more often, and information sharing with GPs "
    "is part of every strategy discussion.\n\n"
    "- The quality assurance sub-group will re-audit neglect in the coming year.\n"
    "- Agencies will report their actions' progress to the board each quarter."
)


def demo_yearly_report(
    partnership: Partnership, *, author: User, approver: User, today: datetime.date
) -> YearlyEdition | None:
    """The last twelve months' report, published; None when the demo already holds a yearly
    report overlapping them (loaded before: a published edition is kept)."""
    start = today - datetime.timedelta(days=364)
    if YearlyReport.objects.filter(partnership=partnership, start__lte=today, end__gte=start):
        return None
    report = yearly_report_create(partnership=partnership, start=start, end=today, by=author)
    yearly_section_save(report=report, key="changes", text=CHANGES, version=0, by=author)
    yearly_report_send(report=report, by=author)
    viewer = access.viewer_as(approver, partnership)
    digest = yearly_state(report, yearly_document(report, viewer)).digest
    yearly_report_approve(report=report, digest=digest, by=approver)
    return yearly_report_publish(report=report, digest=digest, by=author)
