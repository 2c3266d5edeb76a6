"""The theme library's pages, read for a viewer: its live themes with the audits they were found
in, and one theme's findings audit by audit.

Only audits the dashboard counts (`access.dashboard_audits_for`: their cases are ratified; for
board members, their report is published) are read, in a fixed number of queries whatever the
number of themes and audits. Board members read a theme's findings audit by audit, as the
dashboard's theme matrix counts them and the disclosure policy protects them
(`disclosure.protect`), with the audit's themes as its published report printed them: never
case references, and never words the report did not print (decision 38).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from maca import access, disclosure
from maca.audits.models import Audit, Case
from maca.audits.rules import audit_held_on
from maca.meetings.models import AuditTheme
from maca.partnerships.models import LibraryTheme
from maca.tables import Cell, Column, Row, Table, Withheld

from .facts import small_count_threshold
from .published import NOTHING, published_words

# Found in this many audits or more, a theme is recurring.
RECURRING = 2


@dataclass(frozen=True)
class LibraryRow:
    """One live theme of the library, as the library page lists it."""

    theme: LibraryTheme
    audits: int  # how many audits it was found in
    latest: Audit | None  # the latest of them
    latest_held_on: datetime.date | None

    @property
    def recurring(self) -> bool:
        return self.audits >= RECURRING


def _held(audit: Audit) -> tuple[datetime.date, int]:
    return audit_held_on(audit), audit.pk


def library_rows(viewer: access.Viewer) -> list[LibraryRow]:
    """The library's live themes by title, each with the number of audits it was found in and
    the latest of them. Two queries."""
    found = AuditTheme.objects.filter(audit__in=access.dashboard_audits_for(viewer)).select_related(
        "audit"
    )
    themes = (
        access.library_themes_for(viewer)
        .live()
        .order_by("title", "pk")
        .prefetch_related(Prefetch("audit_themes", queryset=found, to_attr="found"))
    )
    rows = []
    for theme in themes:
        audits = {audit_theme.audit_id: audit_theme.audit for audit_theme in theme.found}
        latest = max(audits.values(), key=_held, default=None)
        rows.append(
            LibraryRow(
                theme=theme,
                audits=len(audits),
                latest=latest,
                latest_held_on=audit_held_on(latest) if latest else None,
            )
        )
    return rows


@dataclass(frozen=True)
class Finding:
    """Where a library theme was found: one audit's theme linked to it (for the board: all the
    audit's themes linked to it, as one finding)."""

    audit: Audit
    held_on: datetime.date
    themes: tuple[tuple[str, str], ...]  # each theme's title and description, as worded
    cases: Cell  # how many of the audit's cases evidence it ("fewer than 3" for the board)
    of_cases: int  # how many cases the audit has
    references: list[str] = field(default_factory=list)  # for coordinators only

    @property
    def evidence(self) -> str:
        """As the reports say it: "4 of the 15 cases"."""
        of = "1 case" if self.of_cases == 1 else f"the {self.of_cases} cases"
        if isinstance(self.cases, Withheld):
            return f"Not shown, of {of}"
        return f"{self.cases} of {of}"


def _of_cases() -> Coalesce:
    return Coalesce(
        Subquery(
            Case.objects.filter(audit=OuterRef("audit"))
            .order_by()
            .values("audit")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def theme_findings(viewer: access.Viewer, library_theme: LibraryTheme) -> list[Finding]:
    """Every audit theme linked to `library_theme` in the audits the viewer's dashboard counts,
    latest audit first, with its count of cases out of the audit's. Case references only for
    coordinators (board members never see case-level data): one query, two for coordinators;
    board members read `board_findings`."""
    if not access.may_coordinate(viewer):
        return board_findings(viewer, library_theme)
    found = (
        AuditTheme.objects.filter(
            library_theme=library_theme, audit__in=access.dashboard_audits_for(viewer)
        )
        .select_related("audit")
        .annotate(case_count=Count("cases", distinct=True), of_cases=_of_cases())
        .prefetch_related(
            Prefetch(
                "cases",
                queryset=Case.objects.filter(partnership=viewer.partnership)
                .only("pk", "reference")
                .order_by("reference"),
                to_attr="evidence_cases",
            )
        )
    )
    findings = [
        Finding(
            audit=theme.audit,
            held_on=audit_held_on(theme.audit),
            themes=((theme.title, theme.description),),
            cases=theme.case_count,
            of_cases=theme.of_cases,
            references=[c.reference for c in theme.evidence_cases],
        )
        for theme in found
    ]
    return sorted(findings, key=lambda f: (f.held_on, f.audit.pk), reverse=True)


def board_findings(viewer: access.Viewer, library_theme: LibraryTheme) -> list[Finding]:
    """For a board member: one finding per audit, its count the dashboard's (the distinct cases
    of the audit's themes linked to the library theme, protected by `disclosure`), and the
    audit's themes only as its latest published edition printed them. Three queries."""
    audits = access.dashboard_audits_for(viewer)
    themes = list(
        AuditTheme.objects.filter(library_theme=library_theme, audit__in=audits)
        .select_related("audit")
        .annotate(of_cases=_of_cases())
        .order_by("position", "pk")
    )
    cases = defaultdict(set)
    for audit_id, case_id in AuditTheme.cases.through.objects.filter(
        audittheme__in=[theme.pk for theme in themes]
    ).values_list("audittheme__audit_id", "case_id"):
        cases[audit_id].add(case_id)
    by_audit = {theme.audit_id: theme for theme in themes}  # one of its themes, for the audit
    words = published_words(viewer, audits.filter(pk__in=list(by_audit))) if themes else {}
    order = sorted(by_audit, key=lambda id: (audit_held_on(by_audit[id].audit), id), reverse=True)
    table = Table(
        "theme-matrix",
        library_theme.title,
        "Theme",
        tuple(Column(str(id)) for id in order),
        (Row(library_theme.title, tuple(len(cases[id]) for id in order)),),
    )
    # As on the dashboard: a theme's cases in an audit are no more than the audit's cases.
    bounds = [
        disclosure.at_most([(table.key, 0, c)], plus=by_audit[id].of_cases)
        for c, id in enumerate(order)
    ]
    threshold = small_count_threshold(viewer)
    (shown,) = disclosure.protect([table], bounds, threshold=threshold)
    findings = []
    for c, id in enumerate(order):
        audit, printed = by_audit[id].audit, words.get(id, NOTHING)
        titles = [t.title for t in themes if t.audit_id == id]
        findings.append(
            Finding(
                audit=audit,
                held_on=audit_held_on(audit),
                themes=tuple(theme for theme in map(printed.theme, titles) if theme),
                cases=shown.rows[0].cells[c],
                of_cases=by_audit[id].of_cases,
            )
        )
    return findings


def merged_from(library_theme: LibraryTheme) -> list[LibraryTheme]:
    """The themes merged into this one, the latest first."""
    return list(library_theme.merged.order_by("-merged_at", "title"))
