"""One date format everywhere: the GOV.UK style's full month names ("5 December 2026"), never
an abbreviation or day/month numbers, in every template and in the text the code writes."""

import re
from pathlib import Path

import maca

ROOT = Path(maca.__file__).parent
# A Django date format with an abbreviated month (M, b, N) or a numeric one (m, n).
TEMPLATE_DATE = re.compile(r"""\|date:["']([^"']*)["']""")
ABBREVIATED_OR_NUMERIC = re.compile(r"(?<!\\)[MbNmn]")
# In Python: an abbreviated month (%b, %h) or day and month as numbers with slashes; ISO dates
# (%Y-%m-%d) in file names and command output are for machines and stay.
PYTHON_DATE = re.compile(r"%[bh]\b|%-?d/%-?m|%-?m/%-?d")
MACHINE_FORMATS = {"c", "Y-m-d", "U"}  # for <time datetime>, not for reading
READERS = {"bundles/spreadsheet.py"}  # reads the dates people typed, in the formats they typed


def test_templates_write_dates_with_full_month_names():
    found = []
    for template in sorted(ROOT.glob("templates/**/*.html")):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            for fmt in TEMPLATE_DATE.findall(line):
                if fmt not in MACHINE_FORMATS and ABBREVIATED_OR_NUMERIC.search(fmt):
                    found.append(f"{template.relative_to(ROOT)}:{number}: {fmt}")
    assert found == []


def test_the_code_writes_dates_with_full_month_names():
    found = [
        f"{source.relative_to(ROOT)}:{number}"
        for source in sorted(ROOT.rglob("*.py"))
        if str(source.relative_to(ROOT)) not in READERS
        for number, line in enumerate(source.read_text().splitlines(), start=1)
        if PYTHON_DATE.search(line)
    ]
    assert found == []
