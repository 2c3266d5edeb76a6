"""Every limit on what maca is given to read, in one place. The messages that refuse a file
name the limit; docs/bundle-format.md, the pages' hints and the README repeat these numbers.

A file over a limit is refused before the costly reading starts: a hostile file costs a
fraction of a second and a few megabytes, not minutes and gigabytes (decision 37).
"""

KB = 1024
MB = 1024 * KB

# Every refused file: at most this many of its problems are listed, then "and N more".
PROBLEMS_LISTED = 20

# Any file uploaded to a page: what is kept of it (a byte more, so that the reader can say it
# is too large). The rest of a bigger upload is dropped as it arrives, never stored.
UPLOAD_MAX_BYTES = 5 * MB

# The workbook of a past audit (.xlsx, a zip archive of XML parts).
XLSX_MAX_BYTES = 5 * MB
XLSX_MAX_PARTS = 200  # files in the archive; Excel writes about 15
XLSX_MAX_PART_BYTES = 4 * MB  # each unpacked; a full template is about 1 MB
XLSX_MAX_UNPACKED_BYTES = 16 * MB
XLSX_MAX_RATIO = 100  # unpacked to packed, for parts over XLSX_RATIO_FROM; Excel's XML: 5 to 30
XLSX_RATIO_FROM = 1 * MB
XLSX_MAX_ELEMENTS = 100_000  # XML elements in all; 500 cases of 30 agencies have 51,000
XLSX_MAX_ELEMENTS_OUTSIDE_SHEETS = 20_000  # styles, shared texts, properties: parsed whole
XLSX_MAX_ATTRIBUTES = 150_000  # in all; 500 cases of 30 agencies have 35,000
XLSX_MAX_DEPTH = 64  # XML nesting; Excel's is below 20
XLSX_MAX_STRETCH_BYTES = 256 * KB  # between one ">" and the next: a tag, or a cell's text
# The sheets maca reads (Audit, Cases), each: as declared, and as found.
SHEET_MAX_ROWS = 5_000
SHEET_MAX_COLUMNS = 200
SHEET_MAX_CELLS = 30_000  # 500 cases of 60 columns
SHEET_MAX_CELL_CHARS = 10_000
HISTORY_MAX_CASES = 500

# The candidates' CSV file.
CSV_MAX_BYTES = 2 * MB
CSV_MAX_ROWS = 5_000
CSV_MAX_COLUMNS = 200

# An audit bundle (JSON): from `maca import-bundle` or the API.
BUNDLE_MAX_BYTES = 10 * MB
BUNDLE_MAX_DEPTH = 20  # objects and arrays one in another; the format nests 6
BUNDLE_MAX_VALUES = 200_000  # every object, array, text, number; a 15-case bundle has 1,500
BUNDLE_MAX_PROBLEMS = 1_000  # checking stops there

# Any other JSON body of the API: Django's DATA_UPLOAD_MAX_MEMORY_SIZE, which settings set.
API_BODY_MAX_BYTES = 2 * MB + MB // 2


def size_words(size: int) -> str:
    """5242880 as "5 MB", 2621440 as "2.5 MB", 1000 as "1,000 bytes"."""
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    if size >= KB:
        return f"{size / KB:.1f}".removesuffix(".0") + " KB"
    return f"{size:,} bytes"
