"""The theme library's pages, read for a viewer: its live themes with the audits they were found
in, and one theme's findings audit by audit.

Only audits the dashboard counts (`access.dashboard_audits_for`: their cases are ratified) are
read, in a fixed number of queries whatever the number of themes and audits. Board members get
the same figures as coordinators, without case references.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from maca import access
from maca.audits.models import Audit, Case
from maca.learning.tables import suppress
from maca.meetings.models import AuditTheme
from maca.partnerships.models import LibraryTheme
from maca.reports.summary import audit_held_on

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
    """Where a library theme was found: one audit's theme linked to it."""

    audit: Audit
    held_on: datetime.date
    theme: AuditTheme  # as the audit worded it
    cases: int | str  # how many of the audit's cases evidence it ("fewer than 3" for the board)
    of_cases: int  # how many cases the audit has
    references: list[str] = field(default_factory=list)  # for coordinators only

    @property
    def evidence(self) -> str:
        """As the reports say it: "4 of the 15 cases"."""
        if self.of_cases == 1:
            return f"{self.cases} of 1 case"
        return f"{self.cases} of the {self.of_cases} cases"


def theme_findings(viewer: access.Viewer, library_theme: LibraryTheme) -> list[Finding]:
    """Every audit theme linked to `library_theme` in the audits the viewer's dashboard counts,
    latest audit first, with its count of cases out of the audit's. Case references only for
    coordinators (board members never see case-level data). One query, two for coordinators."""
    of_cases = (
        Case.objects.filter(audit=OuterRef("audit"))
        .order_by()
        .values("audit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = (
        AuditTheme.objects.filter(
            library_theme=library_theme, audit__in=access.dashboard_audits_for(viewer)
        )
        .select_related("audit")
        .annotate(
            case_count=Count("cases", distinct=True),
            of_cases=Coalesce(Subquery(of_cases, output_field=IntegerField()), 0),
        )
    )
    # Case references are case-level data: coordinators only (agency users never open this).
    show_references = viewer.is_coordinator
    if show_references:
        found = found.prefetch_related(
            Prefetch(
                "cases",
                queryset=Case.objects.filter(partnership=viewer.partnership)
                .only("pk", "reference")
                .order_by("reference"),
                to_attr="evidence_cases",
            )
        )
    threshold = viewer.partnership.small_count_threshold

    def shown(count: int) -> int | str:
        return count if access.may_see_small_counts(viewer) else suppress(count, threshold)

    findings = [
        Finding(
            audit=theme.audit,
            held_on=audit_held_on(theme.audit),
            theme=theme,
            cases=shown(theme.case_count),
            of_cases=theme.of_cases,
            references=[c.reference for c in theme.evidence_cases] if show_references else [],
        )
        for theme in found
    ]
    return sorted(findings, key=lambda f: (f.held_on, f.audit.pk, f.theme.pk), reverse=True)


def merged_from(library_theme: LibraryTheme) -> list[LibraryTheme]:
    """The themes merged into this one, the latest first."""
    return list(library_theme.merged.order_by("-merged_at", "title"))
