"""A case's profile: the few facts about the child a partnership may choose to record, so that
its reports can describe the sample and show whether some children are served worse
(disproportionality). Decision 69.

Every field is optional twice over: a partnership chooses which fields it uses
(`Partnership.profile_fields`), and a case's field left blank is "not recorded". Nothing else
in the code spells these values; each enumeration has its order and labels here.

Ethnicity is the ONS 2021 census's five high-level groups, not its 19 detailed ones: an audit
samples about 15 cases, and 19 categories would make nearly every count a small one.

It imports nothing of maca: the partnerships' and the audits' models both read it.
"""

import re

from django.db import models


class AgeBand(models.TextChoices):
    UNDER_1 = "under_1", "Under 1"
    AGE_1_TO_4 = "1_to_4", "1 to 4"
    AGE_5_TO_9 = "5_to_9", "5 to 9"
    AGE_10_TO_15 = "10_to_15", "10 to 15"
    AGE_16_TO_17 = "16_to_17", "16 to 17"


class LevelOfNeed(models.TextChoices):
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    LOOKED_AFTER = "looked_after", "Looked after"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """The ONS 2021 census's high-level ethnic groups (England and Wales), and "not known"."""

    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or Multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_KNOWN = "not_known", "Not known"


class Send(models.TextChoices):
    """Special educational needs and disability."""

    NONE = "none", "None"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "EHC plan"
    DISABILITY = "disability", "Disability"
    NOT_KNOWN = "not_known", "Not known"


class ProfileField(models.TextChoices):
    """The fields of a case's profile, in the order every page and report shows them; each
    value is also the name of the case's field."""

    AGE_BAND = "age_band", "Age band"
    LEVEL_OF_NEED = "level_of_need", "Level of need"
    GENDER = "gender", "Gender"
    ETHNICITY = "ethnicity", "Ethnicity"
    SEND = "send", "Disability or SEND"

    @property
    def choices_class(self) -> type[models.TextChoices]:
        return CHOICES[self]


CHOICES: dict[str, type[models.TextChoices]] = {
    ProfileField.AGE_BAND: AgeBand,
    ProfileField.LEVEL_OF_NEED: LevelOfNeed,
    ProfileField.GENDER: Gender,
    ProfileField.ETHNICITY: Ethnicity,
    ProfileField.SEND: Send,
}

#: A field left blank.
NOT_RECORDED = "Not recorded"
#: The longest stored value (the case's columns' length).
LONGEST_VALUE = 20

# Other headings a candidates file may give a field's column (besides its label and its value).
_HEADINGS = {
    ProfileField.SEND: ("send", "disability", "disability/send", "send or disability"),
    ProfileField.AGE_BAND: ("age", "age group"),
    ProfileField.LEVEL_OF_NEED: ("need",),
}


def key(text: str) -> str:
    """How a heading or a value is compared: case and spacing ignored, an underscore read as a
    space and a dash between figures as "to" ("1-4", "1–4", "1_to_4" are "1 to 4")."""
    text = re.sub(r"(?<=\d)\s*[-\u2013\u2014]\s*(?=\d)", " to ", text.replace("_", " "))
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def field_for_heading(heading: str) -> ProfileField | None:
    """The profile field a candidates file's column heading names, if any."""
    wanted = key(heading)
    for field in ProfileField:
        names = (field.label, field.value, *_HEADINGS.get(field, ()))
        if wanted in {key(name) for name in names}:
            return field
    return None


def value_for(field: str, text: str) -> str | None:
    """The stored value a typed one means (its label or its value, as `key` compares them);
    "" for an empty one; None when it is none of the field's."""
    wanted = key(text)
    if not wanted:
        return ""
    for value, label in CHOICES[field].choices:
        if wanted in (key(value), key(label)):
            return value
    return None


def labels(field: str) -> str:
    """The field's values as a reader types them: "Under 1, 1 to 4, … or 16 to 17"."""
    names = [label for _, label in CHOICES[field].choices]
    return ", ".join(names[:-1]) + " or " + names[-1]


def label_of(field: str, value: str) -> str:
    """The label of a stored value; "Not recorded" for a blank one."""
    if not value:
        return NOT_RECORDED
    return dict(CHOICES[field].choices).get(value, value)


def chosen(fields) -> list[ProfileField]:
    """The fields named, in the fixed order, without any that is not a field."""
    names = set(fields or ())
    return [field for field in ProfileField if field.value in names]


def all_labels() -> list[str]:
    """Every field's and value's label: words a report prints that are nobody's name."""
    return [
        *ProfileField.labels,
        NOT_RECORDED,
        *(label for choices in CHOICES.values() for label in choices.labels),
    ]
