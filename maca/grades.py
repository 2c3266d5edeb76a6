"""The Ofsted/CQC grading scale. Nothing else in the code spells these values."""

from django.db import models


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_SCORED = "not_scored", "Not scored"

    @classmethod
    def scale(cls) -> list["Grade"]:
        """The four grades that are scores, best first."""
        return [cls.OUTSTANDING, cls.GOOD, cls.REQUIRES_IMPROVEMENT, cls.INADEQUATE]

    @property
    def rank(self) -> int:
        """0 for outstanding … 3 for inadequate; not scored has no rank."""
        if self == Grade.NOT_SCORED:
            raise ValueError("not_scored has no rank")
        return Grade.scale().index(self)

    @property
    def is_score(self) -> bool:
        return self != Grade.NOT_SCORED


# What each grade means, in the partnership's words: these defaults (after the Ofsted
# descriptors, in short) until a coordinator writes its own (Partnership.grade_descriptors).
DEFAULT_DESCRIPTORS = {
    Grade.OUTSTANDING: (
        "Practice is exceptional and consistently makes a real difference to the child: needs "
        "are understood early, agencies work together seamlessly and the child's experience "
        "improves markedly."
    ),
    Grade.GOOD: (
        "Children's needs are identified and met; practice is consistently effective, "
        "agencies share information and act in time, and the child is safer as a result."
    ),
    Grade.REQUIRES_IMPROVEMENT: (
        "No child was left at immediate risk, but practice was not consistently good: needs "
        "were recognised late or partly met, or information was not shared or acted on in time."
    ),
    Grade.INADEQUATE: (
        "Serious failures left the child at risk of harm or without help they needed: risks "
        "were missed or not acted on, or agencies did not work together."
    ),
}
LONGEST_DESCRIPTOR = 1000


def zero_counts() -> dict[str, int]:
    """Every grade, in scale order, counted as 0: the shape of every grade table."""
    return {grade.value: 0 for grade in Grade}


def grade_check(field: str, reason_field: str, name: str, *, allow_blank: bool = False):
    """The database's own guard: a grade from the fixed set, a reason when not scored.

    `allow_blank`: an empty grade means "not graded yet" (a return in draft).
    """
    in_set = models.Q(**{f"{field}__in": [*Grade.values, *([""] if allow_blank else [])]})
    reason = ~models.Q(**{field: Grade.NOT_SCORED}) | ~models.Q(**{reason_field: ""})
    return [
        models.CheckConstraint(condition=in_set, name=f"{name}_grade_in_scale"),
        models.CheckConstraint(condition=reason, name=f"{name}_not_scored_has_reason"),
    ]
