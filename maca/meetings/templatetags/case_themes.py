"""`{% case_theme_choices audit case as choices %}`: what meetings/_case_themes.html shows."""

from django import template

from maca import access
from maca.meetings import themes

register = template.Library()


@register.simple_tag(takes_context=True)
def case_theme_choices(context, audit, case) -> dict:
    return themes.case_theme_choices(context.get("viewer", access.NOBODY), audit, case)
