"""No status reads as a grade: not by its word, and not by its colour (decision 44).

Every grade's and every status's tag is drawn by the partials the pages include, and its colour
is looked up in the compiled stylesheet the pages load, so what is compared is what a person
sees, whatever class names the templates use.
"""

import re
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from maca.audits.models import AuditStatus, RequestStatus
from maca.grades import Grade
from maca.tag_colours import STATE

STYLESHEET = Path(settings.BASE_DIR) / "maca/static/govuk/govuk-frontend.min.css"


def class_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """The top-level rules whose selector is one bare class, in source order (at-rules such as
    `@media print` are left out: the screen is what is compared)."""
    rules, i = [], 0
    while (start := css.find("{", i)) != -1:
        selector = css[i:start].strip()
        depth, end = 1, start + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        if not selector.startswith("@"):
            body = css[start + 1 : end - 1]
            declarations = dict(
                part.split(":", 1) for part in body.split(";") if ":" in part and "{" not in part
            )
            for one in selector.split(","):
                if re.fullmatch(r"\.[\w-]+", one.strip()):
                    rules.append((one.strip()[1:], declarations))
        i = end
    return rules


RULES = class_rules(STYLESHEET.read_text(encoding="utf-8-sig"))


def colour_of(html: str) -> tuple[str, str] | None:
    """The text and background colour of the tag in `html`; None when it is plain text."""
    found = re.search(r'<strong class="([^"]*govuk-tag[^"]*)"', html)
    if found is None:
        return None
    classes, colour = found.group(1).split(), {}
    for name, declarations in RULES:
        if name in classes:
            colour.update(
                {k: v for k, v in declarations.items() if k in {"color", "background-color"}}
            )
    return colour["color"], colour["background-color"]


def grade_colours() -> dict[str, tuple[str, str]]:
    return {
        grade.label: colour_of(
            render_to_string(
                "includes/grade_tag.html", {"grade": grade.value, "label": grade.label}
            )
        )
        for grade in Grade
    }


def status_colours() -> dict[str, tuple[str, str] | None]:
    shown = [(status.value, status.label) for status in [*RequestStatus, *AuditStatus]]
    shown += [(state, state) for state in STATE]  # "Awaiting sign-off", "Unlocked: re-ratify"
    return {
        label: colour_of(
            render_to_string("includes/status_tag.html", {"status": status, "label": label})
        )
        for status, label in shown
    }


def test_every_grade_has_a_colour_of_its_own():
    colours = grade_colours()

    assert None not in colours.values()
    assert len(set(colours.values())) == len(Grade)


def test_no_status_is_shown_in_a_grade_colour():
    grades = {colour: label for label, colour in grade_colours().items()}

    clashes = {
        status: grades[colour] for status, colour in status_colours().items() if colour in grades
    }

    assert clashes == {}


def test_a_status_that_needs_nothing_more_is_plain_text():
    colours = status_colours()

    assert colours[RequestStatus.SUBMITTED.label] is None
    assert colours[AuditStatus.CLOSED.label] is None
    assert colours[RequestStatus.OUTSTANDING.label] is not None


def test_no_status_reads_as_a_grade():
    statuses = {*RequestStatus.labels, *AuditStatus.labels}

    assert statuses.isdisjoint(Grade.labels)
    assert RequestStatus.OUTSTANDING.label == "Not returned"
