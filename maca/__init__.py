"""maca: multi-agency case audits for safeguarding children partnerships."""

import os

# openpyxl reads XML with the standard library's expat, through defusedxml, rather than lxml:
# the parser maca.uploads.workbook checks an uploaded workbook with, so that what the checks
# count is what openpyxl reads (decision 37). openpyxl reads this as it is first imported.
os.environ.setdefault("OPENPYXL_LXML", "False")
