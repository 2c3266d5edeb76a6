"""Run by test_sqlite_writes.py in several processes at once, on the database DATABASE_URL
names: COUNT writes of one KIND in the partnership named NAME. Prints how many failed; a
save refused as a conflict (someone else's came first) is not a failure.

KIND: `read` appends access records (what every view of case data does); `save` changes a
partnership setting the way a coordinator's form does (read, check, write, record).
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maca.settings")
django.setup()

from maca.errors import DomainError  # noqa: E402
from maca.history.models import AccessRecord  # noqa: E402
from maca.partnerships.models import Partnership  # noqa: E402
from maca.partnerships.services import small_count_threshold_set  # noqa: E402

kind, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
failed = 0
for i in range(count):
    partnership = Partnership.objects.get(name=name)
    try:
        if kind == "read":
            AccessRecord.objects.create(
                partnership=partnership, role="", kind="return", how="view", audit_id=1
            )
        else:
            small_count_threshold_set(
                partnership=partnership,
                by=None,
                threshold=5 + i % 3,
                was=partnership.small_count_threshold,
            )
    except DomainError:
        pass  # refused as a conflict: the answer a person would see
    except Exception as error:
        failed += 1
        print(type(error).__name__, error, file=sys.stderr)
print(failed)
