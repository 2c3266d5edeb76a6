"""An audit's own words as its latest published edition prints them: all that board members read
of what an audit found (decision 38).

Board members never read an audit's live rows: an audit theme's title or description, or an
action's description, may have been typed at the meeting, with a name in it, and only
publication checks them for identifiers. So the pages they read (the dashboard's recurring
themes, a library theme's findings) show a theme or an action only as the latest published
edition of its audit printed it, and nothing where it printed none. Audits loaded from past
records were published before maca: they have no edition here, so none of their words show.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from maca import access
from maca.audits.models import Audit
from maca.reports.models import SectionKey


@dataclass(frozen=True)
class PublishedWords:
    themes: dict[str, str]  # each theme's title, as printed, to its description
    actions: frozenset[tuple[str, str]]  # each action's agency and description, as printed

    def theme(self, title: str) -> tuple[str, str] | None:
        """The theme of this title as printed: (title, description); None if not printed."""
        title = _one_line(title)
        return (title, self.themes[title]) if title in self.themes else None

    def action(self, agency: str, description: str) -> str | None:
        """The action's description as printed; None if the edition does not print it so."""
        description = _one_line(description)
        return description if (agency, description) in self.actions else None


NOTHING = PublishedWords({}, frozenset())


def published_words(viewer: access.Viewer, audits: QuerySet[Audit]) -> dict[int, PublishedWords]:
    """The words of each audit's latest published edition, by audit id. One query."""
    editions = access.latest_editions_for(viewer, audits).only("audit_id", "document")
    return {edition.audit_id: words_of(edition.document) for edition in editions}


def words_of(document: dict) -> PublishedWords:
    sections = {section["key"]: section for section in document.get("sections", [])}
    themes, actions = {}, set()
    for item in _numbered(sections.get(SectionKey.THEMES.value)):
        themes[_one_line(item["title"])] = item["text"]
    for item in _numbered(sections.get(SectionKey.RECOMMENDATIONS.value)):
        table = item.get("table") or {}
        for row in table.get("rows", []):
            agency, description, *_ = row
            actions.add((str(agency), str(description)))
    return PublishedWords(themes, frozenset(actions))


def _numbered(section: dict | None) -> list[dict]:
    if section is None:
        return []
    return [
        item
        for block in section["blocks"]
        if block["kind"] == "numbered" and block.get("source") == "data"
        for item in block["items"]
    ]


def _one_line(text: str) -> str:
    # As the report prints it (`reports.document`): whitespace runs made one space.
    return " ".join(text.split())
