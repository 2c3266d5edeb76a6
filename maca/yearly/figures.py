"""The yearly report's figures: what the partnership's audits of one period found, as tables
protected by the board's small-count rules (decision 38), and the counts its sentences say.

Which audits count (decision 72): those the dashboard counts whose report is published
(`access.yearly_audits_for`, as the board's dashboard), held in the period: the day an audit is
placed at (`audits.rules.audit_held_on`, its meeting date) falls on or between the period's
first and last days. Audits held before the period are read too, to say whether a theme recurs.

- Grades over time: each audit's ratified cases by grade, in held order (the dashboard's
  `grades_by_audit`); return rates by agency: the dashboard's `return_rates`, of the period's
  audits only.
- Themes: each library theme found in the period's audits, in how many of them, its cases
  there (protected), in how many audits held before the period it was found, whether it
  recurs (found in two or more audits up to the period's end), and for each time it was found
  again in the period, the actions raised on it before and how many were completed before.
- Actions: the recommendations' actions of the period's audits, by agency: done (complete),
  late (not complete, due before today) and open (the rest); and their RAG status today
  (`actions.rules.rag`, as the action progress page counts them). Counts of actions describe
  the partnership's work, not a child: shown whole, as on the dashboard.

- Re-audits: each re-audit held in the period, as its published report compared it with the
  audit it looked at again (`reaudit_results`, decision 70). People reached: the
  dissemination log's, for the published reports and the learning briefings (decision 71's
  `reached_between`).

Every count of cases or returns goes through `disclosure.protect`, the three tables together.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from maca import access, disclosure
from maca.actions import rules
from maca.actions.dissemination import reached_between
from maca.actions.selectors import progress_dates, with_progress_dates
from maca.audits.models import Audit
from maca.audits.rules import audit_held_on
from maca.learning import figures as dashboard
from maca.learning.facts import Facts, facts_of
from maca.partnerships.ordering import in_partnership_order
from maca.tables import NUMBER, TEXT, Column, Row, Table

THEMES = "yearly-themes"
ACTIONS = "yearly-actions"
PROGRESS = "yearly-action-progress"

DONE, LATE, OPEN, TOTAL = "Done", "Late", "Open", "Total"
IN_PERIOD, CASES, EARLIER, RECURS = "Audits", "Cases", "Audits before", "Recurs"
EARLIER_ACTIONS, COMPLETED_BEFORE = "Actions before", "Completed before"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def holds(self, audit: Audit) -> bool:
        return self.start <= audit_held_on(audit) <= self.end


@dataclass(frozen=True)
class YearlyFigures:
    audits: list[Audit]  # counted: held in the period, report published; held order
    not_counted: list[Audit]  # held in the period, counted by the dashboard, not yet published
    cases: dict[int, int]  # each counted audit's cases (known: on its page and its report)
    tables: dict[str, Table]  # by key: the protected tables, then the actions' (whole)
    threshold: int
    recommendations: int
    actions: Counter  # DONE, LATE, OPEN
    progress: Counter  # rules.COMPLETE, GREEN, AMBER, RED
    reaudits: list[dict]
    people_reached: dict[str, int]  # "reports", "briefings": people reached in the period


def yearly_figures(viewer: access.Viewer, period: Period, today: datetime.date) -> YearlyFigures:
    """The period's figures, as the partnership's coordinators read its data, protected for
    the board (the report is published to it)."""
    partnership = viewer.partnership
    assert partnership is not None  # only members reach a yearly report
    counted = [a for a in access.yearly_audits_for(viewer) if audit_held_on(a) <= period.end]
    every = facts_of(viewer, counted)
    facts = _within(every, period)
    ids = {audit.pk for audit in facts.audits}
    not_counted = sorted(
        (
            audit
            for audit in access.dashboard_audits_for(viewer).exclude(pk__in=[a.pk for a in counted])
            if period.holds(audit)
        ),
        key=lambda a: (audit_held_on(a), a.pk),
    )
    cases = Counter(case.audit_id for case in facts.cases)
    grades = dashboard.grades_by_audit(facts)
    rates = dashboard.return_rates(facts)
    themes = themes_table(every, facts, period)
    threshold = partnership.small_count_threshold
    shown = disclosure.protect(
        (grades, rates, themes), theme_relations(themes, facts, cases), threshold=threshold
    )
    actions_table, actions, progress = actions_tables(viewer, ids, today)
    tables = {table.key: replace(table, threshold=threshold) for table in shown}
    tables |= {table.key: table for table in actions_table}
    return YearlyFigures(
        audits=facts.audits,
        not_counted=not_counted,
        cases={audit.pk: cases[audit.pk] for audit in facts.audits},
        tables=tables,
        threshold=threshold,
        recommendations=access.yearly_recommendations_for(viewer).filter(audit__in=ids).count(),
        actions=actions,
        progress=progress,
        reaudits=reaudit_results(viewer, facts.audits),
        people_reached=people_reached(partnership, period),
    )


def _within(facts: Facts, period: Period) -> Facts:
    audits = [audit for audit in facts.audits if period.holds(audit)]
    ids = {audit.pk for audit in audits}
    return Facts(
        audits=audits,
        library_themes=facts.library_themes,
        cases=[case for case in facts.cases if case.audit_id in ids],
        requests=[request for request in facts.requests if request.audit_id in ids],
        themes=[theme for theme in facts.themes if theme.audit_id in ids],
        actions=[action for action in facts.actions if action.audit_id in ids],
    )


def themes_table(every: Facts, facts: Facts, period: Period) -> Table:
    """Each library theme found in the period's audits: see the module's notes."""
    occurrences = dashboard.theme_occurrences(every)
    recurring = {r.theme.pk: r for r in dashboard.recurring_themes(every, occurrences)}
    in_period = {audit.pk for audit in facts.audits}
    rows = []
    for library_id, found in occurrences.items():
        here = [o for o in found if o.audit.pk in in_period]
        if not here:
            continue
        before = [o for o in found if audit_held_on(o.audit) < period.start]
        raised = before_done = 0
        if library_id in recurring:
            for occurrence, actions in recurring[library_id].recurrences:
                if occurrence.audit.pk in in_period:
                    raised += len(actions)
                    before_done += sum(action.completed_before for action in actions)
        rows.append(
            Row(
                every.library_themes[library_id].title,
                (
                    len(here),
                    sum(o.cases for o in here),
                    len(before),
                    "Yes" if len(found) > 1 else "No",
                    raised,
                    before_done,
                ),
            )
        )
    columns = (
        Column(IN_PERIOD, NUMBER),
        Column(CASES),
        Column(EARLIER, NUMBER),
        Column(RECURS, TEXT),
        Column(EARLIER_ACTIONS, NUMBER),
        Column(COMPLETED_BEFORE, NUMBER),
    )
    note = (
        "Audits and cases: the period's audits that found the theme, and the cases evidencing "
        "it. Audits before: earlier audits that found it. Recurs: found in two or more audits "
        "up to the end of the period. Actions before: raised on the theme in earlier audits, "
        "each time it was found again in the period; completed before: on or before the day "
        "of the later audit's meeting."
    )
    return Table(THEMES, "Themes and whether they recur", "Theme", columns, tuple(rows), note)


def theme_relations(themes: Table, facts: Facts, cases: Counter) -> list[disclosure.Relation]:
    """A theme's cases are no more than the cases of the audits it was found in (known)."""
    found: dict[str, set[int]] = defaultdict(set)
    titles = facts.library_themes
    for theme in facts.themes:
        found[titles[theme.library_theme_id].title].add(theme.audit_id)
    index = themes.index(CASES)
    return [
        disclosure.at_most(
            [(themes.key, r, index)], plus=sum(cases[audit] for audit in found[row.label])
        )
        for r, row in enumerate(themes.rows)
    ]


def actions_tables(
    viewer: access.Viewer, audit_ids: set[int], today: datetime.date
) -> tuple[list[Table], Counter, Counter]:
    """The period's recommendations' actions by agency: done, late and open; and their RAG
    status on `today`. One query."""
    actions = (
        with_progress_dates(access.yearly_theme_actions_for(viewer).filter(audit__in=audit_ids))
        .select_related("agency")
        .order_by()
    )
    by_agency: dict = {}
    totals: Counter = Counter()
    progress: Counter = Counter()
    for action in actions:
        state = _state(action, today)
        rag = rules.rag(action, today, **progress_dates(action))
        counts = by_agency.setdefault(action.agency, (Counter(), Counter()))
        counts[0][state] += 1
        counts[1][rag] += 1
        totals[state] += 1
        progress[rag] += 1
    agencies = sorted(by_agency, key=in_partnership_order)
    states = (DONE, LATE, OPEN)
    statuses = (rules.COMPLETE, rules.GREEN, rules.AMBER, rules.RED)
    done_late_open = Table(
        ACTIONS,
        "Actions by agency: done, late and open",
        "Agency",
        (*(Column(name, NUMBER) for name in states), Column(TOTAL, NUMBER)),
        tuple(
            Row(a.name, (*(by_agency[a][0][s] for s in states), sum(by_agency[a][0].values())))
            for a in agencies
        ),
        "Done: complete. Late: not complete, and its due date has passed. Open: the rest.",
    )
    by_status = Table(
        PROGRESS,
        "Action progress by agency",
        "Agency",
        (*(Column(rules.LABELS[s], NUMBER) for s in statuses), Column(TOTAL, NUMBER)),
        tuple(
            Row(a.name, (*(by_agency[a][1][s] for s in statuses), sum(by_agency[a][1].values())))
            for a in agencies
        ),
        "As the action progress page counts them, on the day the report was made.",
    )
    return [done_late_open, by_status], totals, progress


def _state(action, today: datetime.date) -> str:
    if action.status == "complete":
        return DONE
    return LATE if action.due < today else OPEN


def reaudit_results(viewer: access.Viewer, audits: list[Audit]) -> list[dict]:
    """The re-audits held in the period, each as its published report compared it with the
    audit it looked at again (decision 70): {"title", "earlier", "text"}. Read from the
    re-audit's latest published edition, as the board reads it: the figures it repeats are
    that edition's own, already published whole."""
    reaudits = [audit for audit in audits if audit.reaudit_of_id is not None]
    if not reaudits:
        return []
    ids = [audit.pk for audit in reaudits]
    editions = access.latest_editions_for(viewer, Audit.objects.filter(pk__in=ids))
    published = {edition.audit_id: edition.document.get("summary", {}) for edition in editions}
    results = []
    for audit in reaudits:
        comparison = published.get(audit.pk, {}).get("comparison")
        if comparison:
            results.append(
                {
                    "title": audit.title,
                    "earlier": comparison["earlier"]["title"],
                    "text": reaudit_sentence(audit.title, comparison),
                }
            )
    return results


def reaudit_sentence(title: str, comparison: dict) -> str:
    """ "Children living with domestic abuse: re-audit, a re-audit of Children living with
    domestic abuse: 5 of the 9 cases graded were good or better, against 3 of 9 before; 1 of
    the 2 success measures was met; 2 of the earlier themes were found again and 3 no longer." """
    (everything,) = [row for row in comparison["grades"] if row["by"] == "all"]
    before, after = everything["before"], everything["after"]
    parts = [
        f"{after['good_or_better']} of the {after['graded']} cases graded were good or better, "
        f"against {before['good_or_better']} of {before['graded']} before"
    ]
    measured = [r["success"] for r in comparison["recommendations"] if r.get("success")]
    if measured:
        met = sum(1 for success in measured if success["met"] is True)
        untold = sum(1 for success in measured if success["met"] is None)
        said = f"{met} of the {len(measured)} success measures {'was' if met == 1 else 'were'} met"
        if untold:
            said += f" ({untold} could not be told: a count it needs is not shown)"
        parts.append(said)
    themes = comparison["themes"]
    again, gone = len(themes["found_again"]), len(themes["no_longer_found"])
    parts.append(
        f"{again} of the earlier themes {'was' if again == 1 else 'were'} found again and "
        f"{gone} no longer"
    )
    return f"{title}, a re-audit of {comparison['earlier']['title']}: " + "; ".join(parts) + "."


def people_reached(partnership, period: Period) -> dict[str, int]:
    """How many people the published reports and the learning briefings reached in the
    period, as the dissemination log records them (decision 71): people at work, not children,
    so shown whole."""
    return {
        what: reached_between(partnership, period.start, period.end, what=what)
        for what in ("reports", "briefings")
    }
