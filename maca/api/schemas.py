"""What every part of the API shares: the error bodies, ids in paths, and pagination."""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Ids are positive and fit the database's 64-bit keys; anything else is refused as invalid.
MAX_ID = 2**63 - 1
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000
# Text the database can keep: PostgreSQL refuses NUL characters (the forms refuse them too).
NO_NUL = r"^[^\x00]*$"


class Message(Schema):
    """401 and 404: what went wrong, in words."""

    detail: str


class FieldError(Schema):
    loc: list[str | int] = Field(
        description='Where the problem is: ["body", "note"], ["query", "page"], '
        '["body", "cases", 3, "grade"], ["return", "grade"] (a field of the saved return), or '
        "[] for the request as a whole"
    )
    msg: str


class FieldErrors(Schema):
    """400 (a rule refused the change) and 422 (the request does not match this document)."""

    detail: list[FieldError]


class Ref(Schema):
    id: int
    name: str


class CaseRef(Schema):
    id: int
    reference: str = Field(description="The case's pseudonymous reference")


# What every token-authenticated operation may answer besides its own responses.
UNAUTHORISED = {401: Message}
INVALID = {422: FieldErrors}
MISSING = {404: Message}
FORBIDDEN = {403: Message}
REFUSED = {400: FieldErrors}


class Pages(PageNumberPagination):
    """`?page=` (from 1) and `?page_size=` (50 unless asked, at most 200); every list answers
    `{"items": [...], "count": n}` with `count` the whole list's length."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="The page, from 1")
        page_size: int = Field(
            PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 200)"
        )

    def __init__(self, **kwargs):
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)
