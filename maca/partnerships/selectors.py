"""Reads of the partnership's own rows that other apps share."""

import difflib
import re

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


# Near enough to be the same theme (decision 54): difflib's ratio of the normalised titles.
CLOSE_RATIO = 0.85
_WORD = re.compile(r"[a-z0-9]+")
_LITTLE = frozenset({"a", "an", "the", "of", "and", "to", "in", "on", "for", "by"})


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def theme_words(title: str) -> tuple[str, ...]:
    """A theme's title as the words that say it: small letters, no punctuation, no little words
    ("a", "the", "of"…), each word singular ("The GPs' information-sharing" -> gp,
    information, sharing)."""
    words = _WORD.findall((title or "").casefold())
    return tuple(_singular(word) for word in words if word not in _LITTLE)


def titles_close(one: str, other: str) -> bool:
    """Whether two theme titles name what is probably the same theme: the same words whatever
    their order, capitals, punctuation and plurals; or spelt nearly alike (difflib's ratio of
    the normalised titles at least `CLOSE_RATIO`) with every word of each nearly matching a word
    of the other, so that a typing slip is close but "with GPs" and "with schools" are not."""
    a, b = theme_words(one), theme_words(other)
    if not a or not b:
        return False
    if sorted(a) == sorted(b):
        return True
    if difflib.SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() < CLOSE_RATIO:
        return False
    return all(
        difflib.get_close_matches(word, others, n=1, cutoff=0.75)
        for words, others in ((a, b), (b, a))
        for word in words
    )


def library_theme_close_to(partnership: Partnership | int, title: str) -> LibraryTheme | None:
    """The partnership's live library theme closest to `title` among those close to it
    (`titles_close`), or None. One query."""
    partnership_id = partnership.pk if isinstance(partnership, Partnership) else partnership
    words = " ".join(theme_words(title))
    close = [
        theme
        for theme in LibraryTheme.objects.filter(partnership_id=partnership_id).live()
        if titles_close(theme.title, title)
    ]
    ratio = lambda theme: difflib.SequenceMatcher(  # noqa: E731
        None, " ".join(theme_words(theme.title)), words
    ).ratio()
    return max(close, key=ratio, default=None)
