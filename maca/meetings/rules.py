"""The rule by which the system proposes a case's overall grade from its agencies' grades."""

from collections.abc import Iterable

from maca.grades import Grade


def propose_grade(agency_grades: Iterable[str | None]) -> Grade | None:
    """The median of the agencies' scored grades; between two middle grades, the worse one.

    Returns and grades that are not scored are left out; with no scored grade at all there is
    nothing to propose. Taking the worse grade on a tie errs on the side of the child.
    """
    ranks = sorted(Grade(g).rank for g in agency_grades if g and Grade(g).is_score)
    if not ranks:
        return None
    return Grade.scale()[ranks[len(ranks) // 2]]
