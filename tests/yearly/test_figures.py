"""The yearly report's figures: which audits a period counts, and what the board may read."""

import datetime

from maca import access
from maca.audits.models import AuditStatus
from maca.yearly.document import yearly_document
from maca.yearly.models import YearlyReport
from tests import factories as f

TODAY = datetime.date.today()

START = TODAY - datetime.timedelta(days=364)


def _report(partnership, coordinator, start=START, end=TODAY):
    return YearlyReport.objects.create(
        partnership=partnership, start=start, end=end, created_by=coordinator
    )


def _document(report, coordinator):
    return yearly_document(report, access.viewer_as(coordinator, report.partnership))


def _table(document, key):
    return next(t for t in document["figures"]["tables"] if t["key"] == key)


def _section(document, key):
    return next(s for s in document["sections"] if s["key"] == key)


def test_a_period_counts_the_audits_whose_meeting_was_held_in_it(partnership, coordinator, held):
    held(title="Before", held=START - datetime.timedelta(days=1), grades=["good"] * 3)
    held(title="First day", held=START, grades=["good"] * 3)
    held(title="Last day", held=TODAY, grades=["good"] * 4)
    document = _document(_report(partnership, coordinator), coordinator)
    audits = _section(document, "audits")["blocks"]
    table = next(b for b in audits if b["kind"] == "table")
    assert [row[0] for row in table["rows"]] == ["First day", "Last day"]
    assert [row[2] for row in table["rows"]] == [3, 4]
    grades = _table(document, "grades-by-audit")
    assert [row[0].split(" (")[0] for row in grades["rows"]] == ["First day", "Last day"]


def test_an_audit_whose_report_is_not_published_is_named_not_counted(
    partnership, coordinator, held, agencies
):
    gps = f.LibraryThemeFactory(partnership=partnership, title="Information sharing with GPs")
    police = agencies["Police"]
    held(
        title="Long ago",
        held=START - datetime.timedelta(days=90),
        grades=["good"] * 3,
        library_theme=gps,
    )
    held(
        title="Published",
        held=TODAY - datetime.timedelta(days=30),
        grades=["good"] * 3,
        library_theme=gps,
        actions=[(police, TODAY, False)],
    )
    held(
        title="Still reporting",
        held=TODAY - datetime.timedelta(days=10),
        grades=["good"] * 3,
        status=AuditStatus.REPORTING,
        library_theme=gps,
        actions=[(police, TODAY, False)],
    )
    document = _document(_report(partnership, coordinator), coordinator)
    grades = _table(document, "grades-by-audit")
    assert [row[0].split(" (")[0] for row in grades["rows"]] == ["Published"]
    assert _table(document, "yearly-actions")["rows"] == [["Police", 0, 0, 1, 1]]
    texts = [b.get("text", "") for b in _section(document, "audits")["blocks"]]
    assert any("Still reporting" in text and "not yet published" in text for text in texts)


def test_small_counts_are_shown_as_the_board_reads_them(partnership, coordinator, held):
    held(
        title="Neglect",
        held=TODAY - datetime.timedelta(days=30),
        grades=["good"] * 5 + ["inadequate"],
    )
    document = _document(_report(partnership, coordinator), coordinator)
    grades = _table(document, "grades-by-audit")
    headers = grades["headers"]
    [row] = grades["rows"]
    cells = dict(zip(headers, row[1:], strict=True))
    assert cells["Inadequate"] == f"fewer than {partnership.small_count_threshold}"
    assert cells["Cases"] == 6  # known: on the audit's page and in its report
    assert "1" not in [str(cell) for cell in row[1:]]


def test_a_theme_found_before_the_period_recurs_and_actions_are_done_late_or_open(
    partnership, coordinator, held, agencies
):
    gps = f.LibraryThemeFactory(partnership=partnership, title="Information sharing with GPs")
    police = agencies["Police"]
    held(
        title="Earlier",
        held=START - datetime.timedelta(days=200),
        grades=["good"] * 3,
        library_theme=gps,
        actions=[(police, START - datetime.timedelta(days=250), True)],
    )
    held(
        title="This year",
        held=TODAY - datetime.timedelta(days=60),
        grades=["good"] * 3,
        library_theme=gps,
        actions=[
            (police, TODAY - datetime.timedelta(days=5), True),  # done
            (police, TODAY - datetime.timedelta(days=5), False),  # late
            (police, TODAY + datetime.timedelta(days=90), False),  # open
        ],
    )
    document = _document(_report(partnership, coordinator), coordinator)
    themes = _table(document, "yearly-themes")
    [row] = themes["rows"]
    cells = dict(zip(themes["headers"], row[1:], strict=True))
    assert row[0] == "Information sharing with GPs"
    assert cells["Audits"] == 1
    assert cells["Audits before"] == 1
    assert cells["Recurs"] == "Yes"
    assert cells["Cases"] == 3
    assert cells["Actions before"] == 1
    actions = _table(document, "yearly-actions")
    assert actions["rows"] == [["Police", 1, 1, 1, 3]]


def test_words_hold_no_figure(partnership, coordinator, held):
    held(title="Neglect", held=TODAY - datetime.timedelta(days=30), grades=["good"] * 3)
    document = _document(_report(partnership, coordinator), coordinator)
    for section in document["sections"]:
        assert not any(ch.isdigit() for ch in section["words"]), section["key"]


def test_re_audits_are_not_recorded_yet(partnership, coordinator):
    document = _document(_report(partnership, coordinator), coordinator)
    reaudits = _section(document, "reaudits")["blocks"]
    assert reaudits[-1]["text"] == "No re-audit was held in this period."


def test_the_people_reached_in_the_period_are_counted(partnership, coordinator, held):
    audit = held(title="Neglect", held=TODAY - datetime.timedelta(days=30), grades=["good"] * 3)
    edition = f.published_report(audit, with_pdf=False)
    f.dissemination(edition, people_reached=12, sent_on=TODAY - datetime.timedelta(days=3))
    f.dissemination(edition, people_reached=30, sent_on=START - datetime.timedelta(days=1))
    document = _document(_report(partnership, coordinator), coordinator)
    dissemination = _section(document, "dissemination")["blocks"]
    assert dissemination[-1]["text"] == (
        "As the dissemination log records them, the published reports reached 12 people and "
        "the learning briefings 0 people in this period."
    )
