"""The demo's story, true on any day.

The demo bundles (demo/bundles/*.json) are written as of STORY_DAY: on that day the collecting
audit's returns are due in three weeks and its immediate-action flag was raised the day before,
the audit being planned has its dates ahead of it, and the audit in monitoring has exactly two
actions overdue. Loading moves every date of those bundles by the days between STORY_DAY and
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
