"""The audit's themes: the findings that emerge across its cases, and the cases that evidence
them.

Themes are recorded from the meeting on: they change while the audit is in moderation or
reporting, and are closed once its actions are being monitored (the report has said what it
found). Every write records who made it (`tracking.actor`); tagging a case changes the theme's
cases, so the change history shows each case tagged or untagged. A theme may link to a theme in
the partnership's library, so the same finding can be followed across audits.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Prefetch
from django.template.defaultfilters import pluralize

from maca import access
from maca.audits.models import Audit, Case
from maca.audits.rules import audit_held_on
from maca.errors import DomainError
from maca.forms import max_length
from maca.history import tracking
from maca.partnerships.models import LibraryTheme
from maca.partnerships.selectors import library_theme_close_to, library_theme_named

from .models import AuditTheme, ThemeKind

THEMES_NOT_YET = "Themes are recorded from the meeting on: this audit has not reached moderation"
THEMES_CLOSED = "The audit's themes cannot change once its actions are being monitored"


def recurring_in(audit: Audit, library_theme_ids: set[int]) -> dict[int, list[str]]:
    """For each library theme, the titles of the audits held before `audit` whose themes link
    to it, oldest first, each once. One query (none without library themes).

    The audit theme register uses it too, so the page and the report say the same thing.
    """
    this_date = audit_held_on(audit)
    earlier: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
    for other in (
        AuditTheme.objects.filter(library_theme_id__in=library_theme_ids)
        .exclude(audit=audit)
        .select_related("audit")
    ):
        held_on = audit_held_on(other.audit)
        # Linked to a library theme, as the query asks.
        assert other.library_theme_id is not None
        if held_on < this_date:
            earlier[other.library_theme_id].append((held_on, other.audit.title))
    return {
        library_id: list(dict.fromkeys(title for _, title in sorted(found)))
        for library_id, found in earlier.items()
    }


def themes_open(audit: Audit) -> bool:
    return audit.allows.record_themes


def themes_closed_reason(audit: Audit) -> str:
    """Why the audit's themes cannot change now ("" while they can)."""
    if not audit.allows.see_meeting:
        return THEMES_NOT_YET
    return "" if themes_open(audit) else THEMES_CLOSED


def _check_open(audit: Audit) -> None:
    if reason := themes_closed_reason(audit):
        raise DomainError(reason)


# --- The register ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRow:
    """One line of the audit's theme register."""

    theme: AuditTheme
    cases: list[Case]  # the cases that evidence it, as far as the viewer may see them
    of_cases: int  # how many cases the audit has (that the viewer may see)
    recurring_in: list[str]  # earlier audits whose themes link to the same library theme

    @property
    def count(self) -> int:
        return len(self.cases)

    @property
    def evidence(self) -> str:
        """As the reports say it: "4 of the 15 cases"."""
        if self.of_cases == 1:
            return f"{self.count} of 1 case"
        return f"{self.count} of the {self.of_cases} cases"

    @property
    def library_theme(self) -> LibraryTheme | None:
        return self.theme.library_theme


def themes_register(viewer: access.Viewer, audit: Audit) -> list[ThemeRow]:
    """The audit's themes in order, each with its cases (references in order), their count out
    of the audit's cases, its library theme, and the earlier audits it was also found in."""
    cases = access.cases_for(viewer, audit)
    themes = list(
        AuditTheme.objects.filter(audit=audit)
        .select_related("library_theme")
        .prefetch_related(Prefetch("cases", queryset=cases.order_by("reference")))
        .order_by("position", "pk")
    )
    earlier = recurring_in(audit, {t.library_theme_id for t in themes if t.library_theme_id})
    total = cases.count()
    return [
        ThemeRow(
            theme=theme,
            cases=list(theme.cases.all()),
            of_cases=total,
            recurring_in=(
                earlier.get(theme.library_theme_id, [])
                if theme.library_theme_id is not None
                else []
            ),
        )
        for theme in themes
    ]


def case_theme_choices(viewer: access.Viewer, audit: Audit, case: Case) -> dict:
    """What a case's theme controls show: the themes it is tagged with, the audit's others to
    choose from, and whether this viewer may change them now (coordinators, while open)."""
    themes = list(audit.themes.order_by("position", "pk"))
    tagged = set(case.themes.values_list("pk", flat=True))
    may_change = access.may_coordinate(viewer) and themes_open(audit)
    linked = {t.library_theme_id for t in themes if t.library_theme_id}
    library = (
        [
            theme
            for theme in access.library_themes_for(viewer).live().order_by("title")
            if theme.pk not in linked
        ]
        if may_change
        else []
    )
    return {
        "tagged": [t for t in themes if t.pk in tagged],
        "others": [t for t in themes if t.pk not in tagged],
        "library": library,  # the library's themes the audit has not used yet
        "may_change": may_change,
    }


class NearLibraryTheme(DomainError):
    """A new theme's title is close to a theme of the library: use it, or confirm a new one."""

    def __init__(self, close: LibraryTheme, field: str = "title"):
        super().__init__(
            f"A library theme ‘{close.title}’ is close to this: use it, or confirm a new theme",
            field=field,
        )
        self.close = close


def library_theme_named_or_not_close(
    partnership_id: int, title: str, *, confirmed: bool, field: str = "title"
) -> LibraryTheme | None:
    """The library theme named `title` (any capitals), if there is one. Otherwise None, once
    no library theme is close to it (`titles_close`) or a new one is `confirmed`: a title close
    to a library theme's is refused with `NearLibraryTheme`, naming `field`."""
    named = library_theme_named(partnership_id, title)
    if named is None and not confirmed:
        close = library_theme_close_to(partnership_id, title)
        if close is not None:
            raise NearLibraryTheme(close, field=field)
    return named


# --- The themes -----------------------------------------------------------------------------


@transaction.atomic
def theme_create(
    *,
    audit: Audit,
    by,
    title: str,
    description: str = "",
    kind: str = ThemeKind.CONCERN,
    library_theme: LibraryTheme | None = None,
    new_library_title: str = "",
    confirm_new_library: bool = False,
) -> AuditTheme:
    """Add a theme at the end of the audit's register. Its title is needed and unique in the
    audit (whatever the capitals). It may link to a theme of the partnership's library, or to a
    new one named `new_library_title` (an existing one of that name is reused), not both. A new
    library title close to an existing one's (`titles_close`) is refused with
    `NearLibraryTheme` unless `confirm_new_library`. It is a concern (an area for
    improvement) unless `kind` says it is a strength."""
    _check_open(audit)
    title = _checked_title(audit, title)
    kind = _checked_kind(kind)
    last = audit.themes.aggregate(last=Max("position"))["last"]
    with tracking.actor(by, via="web"):
        library = _library_theme(audit, library_theme, new_library_title, confirm_new_library)
        return AuditTheme.objects.create(
            partnership_id=audit.partnership_id,
            audit=audit,
            title=title,
            description=description.strip(),
            kind=kind,
            library_theme=library,
            position=0 if last is None else last + 1,
        )


@transaction.atomic
def theme_update(
    *,
    theme: AuditTheme,
    by,
    title: str,
    description: str = "",
    kind: str = ThemeKind.CONCERN,
    library_theme: LibraryTheme | None = None,
    new_library_title: str = "",
    confirm_new_library: bool = False,
) -> AuditTheme:
    """Change a theme's title, description, kind or library theme, on the rules of
    `theme_create`."""
    audit = theme.audit
    _check_open(audit)
    title = _checked_title(audit, title, exclude=theme)
    kind = _checked_kind(kind)
    with tracking.actor(by, via="web"):
        library = _library_theme(audit, library_theme, new_library_title, confirm_new_library)
        theme.title = title
        theme.description = description.strip()
        theme.kind = kind
        theme.library_theme = library
        theme.save()
    return theme


@transaction.atomic
def theme_delete(*, theme: AuditTheme, by) -> None:
    """Remove a theme from the audit. Refused while a recommendation answers it, so that no
    recommendation loses its theme unseen. Its cases are untagged first, so the history keeps
    which cases evidenced it."""
    _check_open(theme.audit)
    answering = theme.recommendations.count()
    if answering:
        them = "it" if answering == 1 else "them"
        raise DomainError(
            f"The theme “{theme.title}” is answered by {answering} "
            f"recommendation{pluralize(answering)}: take the theme off {them} first"
        )
    with tracking.actor(by, via="web"):
        theme.cases.clear()
        theme.delete()


def _checked_kind(kind: str) -> str:
    if kind not in ThemeKind.values:
        raise DomainError(
            "Choose whether the theme is a strength or an area for improvement", field="kind"
        )
    return kind


def _checked_title(audit: Audit, title: str, exclude: AuditTheme | None = None) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError("Enter the theme's title", field="title")
    if len(title) > max_length(AuditTheme, "title"):
        raise DomainError("The theme's title must be 200 characters or fewer", field="title")
    others = audit.themes.filter(title__iexact=title)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise DomainError("The audit already has a theme with this title", field="title")
    return title


def _library_theme(
    audit: Audit,
    library_theme: LibraryTheme | None,
    new_library_title: str,
    confirm_new_library: bool = False,
) -> LibraryTheme | None:
    """The library theme to link to, as it lives now (a merged theme gives the theme it was
    merged into); a new title names an existing theme (any capitals) or makes a new one."""
    new_library_title = (new_library_title or "").strip()
    if library_theme is not None and new_library_title:
        raise DomainError(
            "Choose a theme from the library or name a new one, not both",
            field="new_library_title",
        )
    if library_theme is not None:
        if library_theme.partnership_id != audit.partnership_id:
            raise DomainError(
                "Choose a theme from the partnership's library", field="library_theme"
            )
        return library_theme.live()
    if not new_library_title:
        return None
    if len(new_library_title) > max_length(LibraryTheme, "title"):
        raise DomainError(
            "The library theme's title must be 200 characters or fewer", field="new_library_title"
        )
    library = library_theme_named_or_not_close(
        audit.partnership_id,
        new_library_title,
        confirmed=confirm_new_library,
        field="new_library_title",
    )
    return library or LibraryTheme.objects.create(
        partnership_id=audit.partnership_id, title=new_library_title
    )


# --- A case's themes ------------------------------------------------------------------------


@transaction.atomic
def case_theme_tag(*, case: Case, theme: AuditTheme, by) -> AuditTheme:
    """Record that a case evidences one of its audit's themes (again is harmless)."""
    _check_same_audit(case, theme)
    _check_open(case.audit)
    with tracking.actor(by, via="web"):
        # From the theme's side: the history records changes to a theme's cases.
        theme.cases.add(case)
    return theme


@transaction.atomic
def case_theme_untag(*, case: Case, theme: AuditTheme, by) -> AuditTheme:
    """Record that a case no longer evidences the theme (untagged already is harmless)."""
    _check_same_audit(case, theme)
    _check_open(case.audit)
    with tracking.actor(by, via="web"):
        theme.cases.remove(case)
    return theme


@transaction.atomic
def case_theme_create_and_tag(
    *,
    case: Case,
    by,
    title: str = "",
    library_theme: LibraryTheme | None = None,
    confirmed_new: bool = False,
) -> AuditTheme:
    """Tag a case with a theme named on the spot: the audit's theme of that title (whatever the
    capitals) if it has one, else a new theme at the end of the register.

    A theme chosen from the partnership's library (`library_theme`, its title unless another is
    given) becomes the audit's theme linked to it: the audit's theme already linked to it if it
    has one. A title that is a library theme's (any capitals) links to that library theme. A
    title close to a library theme's (`titles_close`: the same words, or nearly the same
    spelling) is refused with `NearLibraryTheme` unless `confirmed_new`: no near-duplicate of a
    library theme is made silently.
    """
    audit = case.audit
    _check_open(audit)
    title = (title or "").strip()
    if library_theme is not None:
        if library_theme.partnership_id != audit.partnership_id:
            raise DomainError("Choose a theme from the partnership's library", field="title")
        library_theme = library_theme.live()
        linked = audit.themes.filter(library_theme=library_theme).order_by("position").first()
        if linked is not None:
            return case_theme_tag(case=case, theme=linked, by=by)
        title = title or library_theme.title
    theme = audit.themes.filter(title__iexact=title).first() if title else None
    if theme is not None and library_theme is not None and theme.library_theme_id is None:
        with tracking.actor(by, via="web"):
            theme.library_theme = library_theme
            theme.save()
    if theme is None:
        if library_theme is None and title:
            library_theme = library_theme_named_or_not_close(
                audit.partnership_id, title, confirmed=confirmed_new
            )
        theme = theme_create(audit=audit, by=by, title=title, library_theme=library_theme)
    return case_theme_tag(case=case, theme=theme, by=by)


def _check_same_audit(case: Case, theme: AuditTheme) -> None:
    if theme.audit_id != case.audit_id:
        raise DomainError("Choose one of the audit's themes", field="theme")
