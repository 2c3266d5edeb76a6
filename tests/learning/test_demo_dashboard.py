"""The issue's proof on the demo: its two closed audits plus the 2015 audit uploaded from the
Excel template show "Information sharing" recurring across all three, with case counts; the
board member reads the same page with small counts suppressed."""

import json

import openpyxl
import pytest
from django.conf import settings

from maca.accounts.models import User
from maca.audits.lifecycle import stages_allowing
from maca.audits.models import AuditStatus
from maca.demo.management.commands.load_demo import DEMO
from maca.learning import figures
from maca.partnerships.models import Partnership
from tests.pages import text_of
from tests.support import once
from tests.support.demo import WORKBOOK, demo_with_the_2015_upload

pytestmark = pytest.mark.django_db

SHARING = "Information sharing"


def expected_counts() -> dict[str, int]:
    """Cases evidencing the library theme in each audit, counted from the files themselves: the
    bundles' case tags and the workbook's Themes column."""
    counts = {}
    for path in sorted((settings.BASE_DIR / "demo" / "bundles").glob("*.json")):
        bundle = json.loads(path.read_text(encoding="utf-8"))
        titles = {t["title"] for t in bundle["themes"] if t.get("library_theme") == SHARING}
        if titles:
            tagged = [c for c in bundle["cases"] if titles & set(c.get("themes", []))]
            counts[bundle["audit"]["title"]] = len(tagged)
    book = openpyxl.load_workbook(WORKBOOK, read_only=True)
    title = next(r[1] for r in book["Audit"].iter_rows(values_only=True) if r[0] == "Title")
    header, *rows = book["Cases"].iter_rows(values_only=True)
    themes = header.index("Themes")
    counts[title] = sum(
        SHARING.lower() in [t.strip().lower() for t in (row[themes] or "").split(";")]
        for row in rows
        if any(row)
    )
    return counts


# Loaded once for the module (tests/support/once.py); each test runs in a savepoint within it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with once.rolled_back(django_db_blocker):
        yield demo_with_the_2015_upload()


def test_information_sharing_recurs_across_the_closed_audits_and_the_uploaded_one(demo):
    response = demo.get(f"/dashboard/{figures.THEME_MATRIX}.csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = [cell.strip('"') for cell in lines[0].split('","')]
    sharing = next(line for line in lines if line.startswith('"Information sharing"'))
    cells = dict(zip(header, [cell.strip('"') for cell in sharing.split('","')], strict=True))

    demo_partnership = Partnership.objects.get(name=DEMO)
    closed = demo_partnership.audits.filter(status=AuditStatus.CLOSED)
    assert closed.count() == 3  # the two closed demo audits and the uploaded 2015 one
    expected = expected_counts()
    counted = {}
    for audit in demo_partnership.audits.filter(status__in=stages_allowing("count_in_learning")):
        column = next(name for name in header if name.startswith(f"{audit.title} ("))
        counted[audit.title] = int(cells[column])
    assert counted == expected
    assert all(counted[audit.title] > 0 for audit in closed)
    assert int(cells["Audits"]) == len(expected)

    page = text_of(demo.get("/dashboard/themes/"))
    assert f"Found in {len(expected)} audits" in page


def test_the_board_member_reads_the_demo_dashboard_with_small_counts_suppressed(demo, client_for):
    board = client_for(User.objects.get(email="board@example.org"))
    page = board.get("/dashboard/grades/").content.decode()
    page += board.get("/dashboard/themes/").content.decode()
    assert "fewer than 3" in page
    assert "Information sharing" in page
