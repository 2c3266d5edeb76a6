"""What the report says of practice: good practice and areas for improvement, by theme (decision
68).

The meeting records its points per case (`CasePoint`: good practice, concerns); the themes say
what runs across the cases, each a strength or a concern (`AuditTheme.kind`); the agencies say
in their returns what they would develop. The report's "Good practice" and "Areas for
improvement" sections start from words drawn from these, grouped by theme (and, for the
agencies' words, by agency), so a reader meets a synthesis rather than a list of case
anecdotes in reference order. Like every section's generated words they hold no figure: the
figures (how many cases and concerns each theme has) come from the report summary.

Each point is placed once, under the theme of its case that it bears on most (the most words
in common with the theme's title and description; a strength gathers good practice, a concern
gathers concerns, where the case has one), so a case in three themes does not repeat its point
three times; a point of a case in no theme goes in a last group. A group prints a few points at
most, and each agency one: the report stays within six pages, and the coordinator edits the
words to add or choose others.
"""

import re
from dataclasses import dataclass, field

from maca.audits.models import Audit, Request, RequestStatus
from maca.meetings.models import AuditTheme, CasePoint, PointKind, ThemeKind
from maca.partnerships.ordering import partnership_order

#: How much of each the generated words print: the groups with the most points (in the
#: register's order), a few points of each, and one area for development of a few agencies.
GROUPS_AT_MOST = 4
CONCERNS_PER_THEME = 2
CONCERNS_AT_MOST = 5
GOOD_PRACTICE_GROUPS = 3
AGENCIES_AT_MOST = 2

#: The share of the shorter point's words two points have in common when one restates the other.
SAME_WORDS = 0.6

#: The last group's title, for the points of cases in no theme.
NO_THEME = "Cases in no theme"

#: Words too common to tell which theme a point bears on.
_COMMON = frozenset(
    re.findall(
        r"\w+",
        """about after again also always among and another any are because been before being
        both but by can case cases could did does each every few for from had has have her his
        how into its made many more most much nobody none not often only other over she should
        some such than that the their them then there these they this those through too under
        until very was were what when where which while who whose why will with without would""",
    )
)
_WORD = re.compile(r"[a-z0-9]+")


def one_line(text: str) -> str:
    return " ".join(text.split())


def _same(text: str) -> str:
    """What two spellings of one point have in common: case, spaces and a final full stop."""
    return one_line(text).rstrip(".").casefold()


def _words(text: str) -> set[str]:
    return {
        word[:6]  # a crude stem: "shared" and "sharing" meet
        for word in _WORD.findall(text.casefold().replace("’", "'"))
        if len(word) > 2 and word not in _COMMON
    }


@dataclass(eq=False)  # each group is itself: two are never the same by their points
class Group:
    """One theme's points (or the last group's), in the order they are printed."""

    title: str
    kind: str = ""  # the theme's kind; "" for the last group
    points: list[str] = field(default_factory=list)


@dataclass
class PracticeFacts:
    """What the two sections' words are drawn from."""

    good_practice: list[Group]
    concerns: list[Group]
    # What the agencies said they would develop, per agency in the partnership's order.
    areas_for_development: list[Group]


def practice_facts(audit: Audit) -> PracticeFacts:
    themes = list(
        AuditTheme.objects.filter(audit=audit).prefetch_related("cases").order_by("position", "pk")
    )
    points = list(
        CasePoint.objects.filter(
            case__audit=audit, kind__in=[PointKind.GOOD_PRACTICE, PointKind.CONCERN]
        )
        .order_by("case__reference", "pk")
        .values_list("case_id", "kind", "text")
    )
    said = [(case_id, text) for case_id, kind, text in points if kind == PointKind.CONCERN]
    return PracticeFacts(
        good_practice=points_by_theme(
            themes,
            [(case_id, text) for case_id, kind, text in points if kind == PointKind.GOOD_PRACTICE],
            prefer=ThemeKind.STRENGTH,
        ),
        concerns=points_by_theme(themes, said, prefer=ThemeKind.CONCERN),
        areas_for_development=_areas_by_agency(
            audit,
            [text for _, text in said],
            set().union(*(_words(f"{t.title} {t.description}") for t in themes)),
        ),
    )


def points_by_theme(
    themes: list[AuditTheme], points: list[tuple[int, str]], *, prefer: str
) -> list[Group]:
    """`points` ((case id, text), in the order to print) grouped under `themes` (in the
    register's order), each point once, under the theme of its case it bears on most, among
    the themes of kind `prefer` if its case has one; then the points of cases in no theme.
    Empty groups are left out; a point said twice (any case or spacing) is kept once."""
    themes_of: dict[int, list[AuditTheme]] = {}
    for theme in themes:
        for case in theme.cases.all():
            themes_of.setdefault(case.pk, []).append(theme)
    words = {theme.pk: _words(f"{theme.title} {theme.description}") for theme in themes}
    groups = {theme.pk: Group(theme.title, theme.kind) for theme in themes}
    rest = Group(NO_THEME)
    seen: set[str] = set()
    for case_id, text in points:
        text = one_line(text)
        if not text or _same(text) in seen:
            continue
        seen.add(_same(text))
        candidates = themes_of.get(case_id, [])
        candidates = [t for t in candidates if t.kind == prefer] or candidates
        if not candidates:
            rest.points.append(text)
            continue
        mine = _words(text)
        # The most words in common; on a tie, the first in the register.
        best = max(candidates, key=lambda t: (len(mine & words[t.pk]), -themes.index(t)))
        groups[best.pk].points.append(text)
    return [group for group in [*groups.values(), rest] if group.points]


def _areas_by_agency(audit: Audit, said: list[str], themes: set[str]) -> list[Group]:
    """What each agency said it would develop, in its submitted returns, each said once,
    leaving out what a meeting's concern (`said`) already says in much the same words: those
    bearing most on the themes' words (`themes`) first, then in case reference order."""
    concerns = [_words(text) for text in said]
    rows = (
        Request.objects.filter(
            case__audit=audit,
            status=RequestStatus.SUBMITTED,
            agency_return__isnull=False,
        )
        .order_by(*partnership_order("agency__"), "case__reference", "pk")
        .values_list("agency__name", "agency_return__areas_for_development")
    )
    groups: dict[str, Group] = {}
    seen: dict[str, set[str]] = {}
    for agency, text in rows:
        text = one_line(text or "")
        agency_said = seen.setdefault(agency, set())
        if not text or _same(text) in agency_said or _restates(_words(text), concerns):
            continue
        agency_said.add(_same(text))
        groups.setdefault(agency, Group(agency)).points.append(text)
    for group in groups.values():
        group.points.sort(key=lambda text: -len(_words(text) & themes))  # stable: then in order
    return list(groups.values())


def _restates(words: set[str], concerns: list[set[str]]) -> bool:
    """Whether a point says what one of `concerns` says: most of the shorter's words shared."""
    return any(
        len(words & concern) >= SAME_WORDS * min(len(words), len(concern))
        for concern in concerns
        if words and concern
    )


# The words ------------------------------------------------------------------------------------


def _in_sentence(text: str) -> str:
    """A point as it reads after a colon: its first letter lowered unless it starts an
    abbreviation ("the school…", but "CAMHS…", "GP…"); without its final full stop."""
    text = text.rstrip(".")
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _grouped(
    groups: list[Group],
    *,
    prefer: str,
    most: int = 1,
    total: int = GROUPS_AT_MOST,
    count=GROUPS_AT_MOST,
) -> list[str]:
    """Each group (of the `count` themes of kind `prefer` first, then with the most points) as
    one bullet: its title, then at most `most` of its points, and `total` in all: each group's
    first point, then its second..."""
    chosen = _most_said(groups, count, prefer=prefer)
    taken = dict.fromkeys(range(len(chosen)), 0)
    left = total
    for rank in range(most):
        for n, group in enumerate(chosen):
            if left and rank < len(group.points):
                taken[n] += 1
                left -= 1
    return [_bullet(group, taken[n]) for n, group in enumerate(chosen) if taken[n]]


def _bullet(group: Group, points: int) -> str:
    """ "- Theme: point; point." A point of a case in no theme stands as its own sentence: a
    board reads "Cases in no theme" as a heading, not as practice."""
    if group.title == NO_THEME:
        return "- " + " ".join(f"{p.rstrip('.')}." for p in group.points[:points])
    return f"- {group.title}: " + "; ".join(_in_sentence(p) for p in group.points[:points]) + "."


def _most_said(groups: list[Group], most: int, prefer: str = "") -> list[Group]:
    """The `most` groups, those of kind `prefer` first, then those with the most points (on a
    tie, the first), in their own order."""
    chosen = sorted(groups, key=lambda g: (g.kind != prefer, -len(g.points), groups.index(g)))[
        :most
    ]
    return [group for group in groups if group in chosen]


def good_practice_words(facts: PracticeFacts) -> str:
    if not facts.good_practice:
        return "No good practice has been recorded for this audit yet."
    groups = _grouped(facts.good_practice, prefer=ThemeKind.STRENGTH, count=GOOD_PRACTICE_GROUPS)
    return "\n".join(groups)


def areas_for_improvement_words(facts: PracticeFacts) -> str:
    if not facts.concerns and not facts.areas_for_development:
        return "No concerns or areas for development have been recorded for this audit yet."
    chunks = []
    if facts.concerns:
        chunks.append(
            "\n".join(
                _grouped(
                    facts.concerns,
                    prefer=ThemeKind.CONCERN,
                    most=CONCERNS_PER_THEME,
                    total=CONCERNS_AT_MOST,
                )
            )
        )
    agencies = _most_said(facts.areas_for_development, AGENCIES_AT_MOST)
    if agencies:
        chunks.append(
            " ".join(
                [
                    "The agencies' own returns named areas for development too.",
                    *(f"{group.title}: {group.points[0].rstrip('.')}." for group in agencies),
                ]
            )
        )
    return "\n\n".join(chunks)


# The figures ----------------------------------------------------------------------------------

KIND_WORDS: dict[str, str] = {
    ThemeKind.STRENGTH: "A strength",
    ThemeKind.CONCERN: "An area for improvement",
}


def theme_kind_note(kind: str | None) -> str:
    """What the report says of a theme: "A strength." or "An area for improvement." (a
    summary made before decision 68 has no kind: a concern)."""
    return f"{KIND_WORDS.get(kind or '', KIND_WORDS[ThemeKind.CONCERN])}."


def areas_for_improvement_figures(summary: dict) -> list[dict]:
    """How many of the themes are strengths and how many areas for improvement: from the
    summary, as every figure."""
    kinds = [theme.get("kind") or ThemeKind.CONCERN for theme in summary["themes"]]
    if not kinds:
        return []
    concerns = kinds.count(ThemeKind.CONCERN)
    strengths = len(kinds) - concerns
    themes = f"{len(kinds)} {'theme' if len(kinds) == 1 else 'themes'}"
    if not strengths:
        text = f"Of the {themes}, all are areas for improvement and none is a strength."
    elif not concerns:
        text = f"Of the {themes}, all are strengths and none is an area for improvement."
    else:
        text = (
            f"Of the {themes}, {concerns} {'is an area' if concerns == 1 else 'are areas'} for "
            f"improvement and {strengths} {'is a strength' if strengths == 1 else 'are strengths'}."
        )
    return [{"kind": "paragraph", "text": text, "source": "data"}]
