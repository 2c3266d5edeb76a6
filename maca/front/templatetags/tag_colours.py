"""`{{ grade|grade_tag }}`, `{{ status|status_tag }}`: the classes of a grade's or a status's tag,
from `maca.tag_colours` (empty for a status shown as plain text)."""

from django import template

from maca import tag_colours

register = template.Library()


@register.filter
def grade_tag(grade: str) -> str:
    return tag_colours.tag_class(tag_colours.GRADE[grade])


@register.filter
def status_tag(status: str) -> str:
    colour = tag_colours.STATUS[status]
    return tag_colours.tag_class(colour) if colour else ""
