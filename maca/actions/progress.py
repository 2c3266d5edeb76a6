"""How the recommendations' actions are progressing across audits, counted: for the board and
the coordinators (`access.may_see_action_progress`), read through
`access.progress_actions_for`. Counts only, never an action's words: the board reads audits at
the level of figures.

Each action is counted under its RAG status for the day (`rules.rag`): complete, on track, at
risk or overdue, by audit and by agency.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from maca import access
from maca.audits.models import Audit
from maca.partnerships.models import Agency
from maca.partnerships.ordering import in_partnership_order

from . import rules, selectors

#: The columns, in the order the page prints them.
STATUSES = (rules.COMPLETE, rules.GREEN, rules.AMBER, rules.RED)


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts[status] for status in STATUSES]


@dataclass
class Progress:
    everything: Tally
    by_audit: list[tuple[Audit, Tally]]
    by_agency: list[tuple[Agency, Tally]]
    published_only: bool  # counted for the audits whose report is published (the board's)

    @property
    def headers(self) -> list[str]:
        return [rules.LABELS[status] for status in STATUSES]

    @property
    def in_words(self) -> str:
        """ "12 actions: 5 complete, 4 on track, 2 at risk and 1 overdue." """
        total = self.everything.total
        parts = [
            f"{n} {label.lower()}"
            for n, label in zip(self.everything.cells, self.headers, strict=True)
        ]
        return (
            f"{total} action{'' if total == 1 else 's'}: {', '.join(parts[:-1])} and {parts[-1]}."
        )


def action_progress(viewer: access.Viewer, today: datetime.date) -> Progress:
    """Every action the viewer may count, by its RAG status on `today`: in all, by audit
    (newest meeting first) and by agency (in the partnership's order). One query."""
    actions = selectors.with_progress_dates(access.progress_actions_for(viewer)).select_related(
        "audit", "agency"
    )
    everything = Tally()
    audits: dict[int, tuple[Audit, Tally]] = {}
    agencies: dict[int, tuple[Agency, Tally]] = {}
    for action in actions:
        status = rules.rag(action, today, **selectors.progress_dates(action))
        everything.counts[status] += 1
        audits.setdefault(action.audit_id, (action.audit, Tally()))[1].counts[status] += 1
        agencies.setdefault(action.agency_id, (action.agency, Tally()))[1].counts[status] += 1
    by_audit = sorted(
        audits.values(),
        key=lambda pair: (-(pair[0].meeting_date or datetime.date.min).toordinal(), pair[0].title),
    )
    by_agency = sorted(agencies.values(), key=lambda pair: in_partnership_order(pair[0]))
    return Progress(everything, by_audit, by_agency, not access.may_coordinate(viewer))
