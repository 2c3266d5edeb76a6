"""Reads of the partnership's own rows that other apps share."""

from django.db.models import F

from .models import LibraryTheme, Partnership


def library_theme_named(partnership: Partnership | int, title: str) -> LibraryTheme | None:
    """The partnership's library theme of this title (whatever its capitals), as it lives now:
    the theme it was merged into when it was merged. None when the library has no such title."""
    partnership_id = partnership.pk if isinstance(partnership, Partnership) else partnership
    found = (
        LibraryTheme.objects.filter(
            partnership_id=partnership_id, title__iexact=(title or "").strip()
        )
        .select_related("merged_into")
        .order_by(F("merged_into").asc(nulls_first=True), "pk")
        .first()
    )
    return found.live() if found else None
