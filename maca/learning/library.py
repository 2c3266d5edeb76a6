"""The partnership's theme library: adding, changing and merging its themes.

Rules enforced here:
- a library theme's title is needed, is at most 200 characters, and is unique in the partnership
  whatever its capitals, merged themes included: a merged theme's title still finds the theme
  it went into (an old bundle naming it links to the right place), so no other theme may take it;
- a change names the version it started from; an older one is refused (`LibraryThemeConflict`),
  so two coordinators editing at once cannot overwrite each other;
- a merged theme is kept as it was, pointing at the theme it went into: it is not changed or
  merged again;
- merging moves every audit theme of one library theme to another, in one transaction,
  recorded in the change history with the reason.
"""

from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from maca.errors import DomainError
from maca.forms import max_length
from maca.history import tracking
from maca.partnerships.models import LibraryTheme, Partnership

TITLE_MAX = max_length(LibraryTheme, "title")


class LibraryThemeConflict(DomainError):
    """Someone else changed the theme since this person opened it."""

    def __init__(self, current: LibraryTheme):
        super().__init__(
            "Someone else changed this theme after you opened it, so your change was not saved. "
            "Check the theme as it is now, then make your change again."
        )
        self.current = current


def _merged_message(theme: LibraryTheme) -> str:
    live = theme.live()
    on = dateformat.format(timezone.localtime(theme.merged_at), "j F Y")
    return f"“{theme.title}” was merged into “{live.title}” on {on}"


def _checked_title(partnership_id: int, title: str, exclude: LibraryTheme | None = None) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError("Enter the theme's title", field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            f"The theme's title must be {TITLE_MAX} characters or fewer", field="title"
        )
    same = LibraryTheme.objects.filter(partnership_id=partnership_id, title__iexact=title)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    taken = same.select_related("merged_into").first()
    if taken is None:
        return title
    if taken.merged_into_id is None:
        raise DomainError(f"The library already has a theme called “{taken.title}”", field="title")
    live = taken.live()
    if exclude is not None and live.pk == exclude.pk:
        raise DomainError(
            f"“{taken.title}” was merged into this theme, and its title still finds this theme: "
            "choose another title",
            field="title",
        )
    raise DomainError(
        f"“{taken.title}” was merged into “{live.title}”, which this title now finds: "
        f"use “{live.title}”, or choose another title",
        field="title",
    )


@transaction.atomic
def library_theme_add(
    *, partnership: Partnership, by, title: str, description: str = ""
) -> LibraryTheme:
    """Add a theme to the partnership's library. Its title is needed, at most 200 characters,
    and unique in the library whatever its capitals, merged themes' titles included."""
    title = _checked_title(partnership.pk, title)
    with tracking.actor(by, via="web"):
        try:
            with transaction.atomic():
                return LibraryTheme.objects.create(
                    partnership=partnership, title=title, description=(description or "").strip()
                )
        except IntegrityError:  # the same title added at the same moment
            raise DomainError(
                f"The library already has a theme called “{title}”", field="title"
            ) from None


def _locked(theme: LibraryTheme) -> LibraryTheme:
    """The theme as it is now, locked until the end of the transaction."""
    return (
        LibraryTheme.objects.select_for_update(of=("self",))
        .select_related("merged_into")
        .get(pk=theme.pk)
    )


@transaction.atomic
def library_theme_update(
    *, theme: LibraryTheme, by, title: str, description: str = "", version: int
) -> LibraryTheme:
    """Change a theme's title or description. Refused when someone else saved it since
    `version` (nothing is overwritten) and when it has been merged into another theme."""
    current = _locked(theme)
    if current.merged_into_id is not None:
        raise DomainError(f"{_merged_message(current)}: change that theme instead")
    if current.version != version:
        raise LibraryThemeConflict(current)
    title = _checked_title(current.partnership_id, title, exclude=current)
    description = (description or "").strip()
    if (title, description) == (current.title, current.description):
        return current
    with tracking.actor(by, via="web"):
        current.title = title
        current.description = description
        current.version += 1
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            raise DomainError(
                f"The library already has a theme called “{title}”", field="title"
            ) from None
    return current


@transaction.atomic
def library_theme_merge(
    *, source: LibraryTheme, target: LibraryTheme, by, reason: str
) -> LibraryTheme:
    """Merge `source` into `target`: every audit theme linked to the source moves to the
    target, and so do the themes merged into the source before; the source is kept, marked as
    merged, so its title still finds the target. Both must be themes in use of the same
    library, not the same one; the reason is needed and is recorded with every change."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for merging the themes", field="reason")
    if source.pk == target.pk:
        raise DomainError("Choose another theme to merge this one into", field="target")
    if source.partnership_id != target.partnership_id:
        raise DomainError("Choose a theme of the partnership's library", field="target")
    # Locked in the order of their ids, so two merges of the same pair cannot deadlock.
    locked = {
        theme.pk: theme
        for theme in LibraryTheme.objects.select_for_update(of=("self",))
        .select_related("merged_into")
        .filter(pk__in=[source.pk, target.pk])
        .order_by("pk")
    }
    if len(locked) != 2:
        raise DomainError("One of the themes is no longer in the library", field="target")
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id is not None:
        raise DomainError(_merged_message(source))
    if target.merged_into_id is not None:
        raise DomainError(f"{_merged_message(target)}: choose a theme in use", field="target")
    with tracking.actor(by, reason=reason, via="web"):
        # One save per row (never QuerySet.update), so the history records each move.
        for audit_theme in source.audit_themes.order_by("pk"):
            audit_theme.library_theme = target
            audit_theme.save()
        for earlier in source.merged.order_by("pk"):
            earlier.merged_into = target
            earlier.version += 1
            earlier.save()
        source.merged_into = target
        source.merged_at = timezone.now()
        source.version += 1
        source.save()
    return target
