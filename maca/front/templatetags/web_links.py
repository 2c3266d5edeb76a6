"""`{{ value|web_href }}`: the value when it may be a link's target (an http or https address),
else nothing, so a template shows anything else as text (maca/links.py says why)."""

from django import template

from maca.links import is_web_address

register = template.Library()


@register.filter
def web_href(value) -> str:
    return value if is_web_address(value) else ""
