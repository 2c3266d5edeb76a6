"""JSON read within maca's limits: its size, how deep it nests and how many values it holds are
checked as it streams past (ijson), before Python builds any of it. Building costs up to 70
bytes of memory for each byte of JSON (`[{},{},…]`), and checking a bundle against its schema
costs more for every value and every problem; a value nested a few thousand deep overflows
the parser's recursion."""

import json

import ijson

from maca.errors import DomainError

from .limits import BUNDLE_MAX_BYTES, BUNDLE_MAX_DEPTH, BUNDLE_MAX_VALUES, size_words

STARTS = {"start_map", "start_array"}
ENDS = {"end_map", "end_array"}
VALUES = STARTS | {"string", "number", "boolean", "null"}


class JsonRefused(DomainError):
    """The JSON was not read: the message says why, naming the limit it met."""

    def __init__(self, message: str):
        super().__init__(message, field="body")


def json_read(
    data: bytes,
    *,
    what: str = "The bundle",
    max_bytes: int = BUNDLE_MAX_BYTES,
    max_depth: int = BUNDLE_MAX_DEPTH,
    max_values: int = BUNDLE_MAX_VALUES,
):
    """The JSON document in `data` (UTF-8), or `JsonRefused`; `what` names it in the message."""
    if len(data) > max_bytes:
        raise JsonRefused(f"{what} is larger than {size_words(max_bytes)}, more than maca reads")
    depth = values = 0
    try:
        for event, _ in ijson.basic_parse(data, use_float=True):
            if event in VALUES:
                values += 1
                if values > max_values:
                    raise JsonRefused(
                        f"{what} has more than {max_values:,} values, more than maca reads"
                    )
            if event in STARTS:
                depth += 1
                if depth > max_depth:
                    raise JsonRefused(
                        f"{what} nests more than {max_depth} deep, more than maca reads"
                    )
            elif event in ENDS:
                depth -= 1
    except JsonRefused:
        raise
    except (ijson.JSONError, ValueError) as error:  # ValueError: a number too long, say
        raise JsonRefused(f"{what} is not JSON ({error})") from None
    # Within the limits, so cheap to build: with the standard library's parser, as elsewhere.
    try:
        return json.loads(data)
    except ValueError as error:
        raise JsonRefused(f"{what} is not JSON ({error})") from None
