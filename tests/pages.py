"""Reading pages as a user reads them."""

import html
import re

TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def text_of(response) -> str:
    """The page's text (what a screen reader reads): no tags, entities decoded, spaces joined."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", page))).replace(" :", ":").strip()
