"""The demo's story, true on any day.

The demo bundles (demo/bundles/*.json) are written as of STORY_DAY: on that day the collecting
audit's returns are due in three weeks and its immediate-action flag was raised the day before,
the audit being planned has its dates ahead of it, and the audit in monitoring has exactly two
actions overdue; its re-audit (06), in reporting, held its meeting two weeks before, and
finds one of the two success measures set on the earlier audit's recommendations met and one not
yet. Loading moves every date of those bundles by the days between STORY_DAY and
today, so the demo tells the same story whenever it is loaded. Closed audits keep their
historic dates: they happened when they happened.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from maca.audits.models import AuditStatus
from maca.bundles.shifting import bundle_shift_dates

BUNDLES = Path(settings.BASE_DIR) / "demo" / "bundles"
STORY_DAY = datetime.date(2026, 12, 1)


def days_moved(status: str, *, today: datetime.date) -> int:
    """How many days a demo bundle of this status moves to be told on `today`."""
    return 0 if status == AuditStatus.CLOSED else (today - STORY_DAY).days


def demo_bundle(name: str, *, today: datetime.date | None = None) -> dict:
    """The demo bundle `name` (e.g. "03-neglect.json") with its dates moved to `today`."""
    data = json.loads((BUNDLES / name).read_text(encoding="utf-8"))
    days = days_moved(data["audit"]["status"], today=today or timezone.localdate())
    return bundle_shift_dates(data, days=days) if days else data


def demo_bundle_names() -> list[str]:
    return sorted(path.name for path in BUNDLES.glob("*.json"))


def demo_earlier(name: str) -> list[str]:
    """The demo bundles to load before `name`, oldest first: the audit it is a re-audit of
    (`reaudit_of`), and that audit's own earlier one, if any."""
    titles = {_title(other): other for other in demo_bundle_names()}
    earlier: list[str] = []
    spec = json.loads((BUNDLES / name).read_text(encoding="utf-8"))["audit"]
    while spec.get("reaudit_of") in titles:
        before = titles[spec["reaudit_of"]]
        earlier.insert(0, before)
        spec = json.loads((BUNDLES / before).read_text(encoding="utf-8"))["audit"]
    return earlier


def _title(name: str) -> str:
    return json.loads((BUNDLES / name).read_text(encoding="utf-8"))["audit"]["title"]


def demo_import(name: str, **options):
    """Import the demo bundle `name` (its dates moved to today), after the audits it is a
    re-audit of: a re-audit's bundle names its earlier audit, which must be there."""
    from maca.bundles.services import bundle_import

    for before in demo_earlier(name):
        bundle_import(data=demo_bundle(before), **options)
    return bundle_import(data=demo_bundle(name), **options)
