"""The database's second wall: on PostgreSQL, row-level security holds the application's
database role to the rows of one partnership (decisions 31 and 41).

`maca.access` decides what a user may see and do; this module only tells the database which
partnership's rows the work in hand may touch: a request (`DatabaseScopeMiddleware`, from the
viewer `access.ViewerMiddleware` found), a task or a command (`working_in`). A query that
forgets its scope then gets no other partnership's rows rather than leaking them.
"""

from contextlib import contextmanager
from typing import Protocol

from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse

# On PostgreSQL, row-level security (migration partnerships/0003) lets the application's
# database role see and write only the rows of the partnership this session setting names: a
# partnership's id, ALL_PARTNERSHIPS, or anything else (NO_PARTNERSHIP) for none. The rules
# above still decide what a user may see; the database catches a query that forgot to ask.
SCOPE_SETTING = "maca.partnership"
ALL_PARTNERSHIPS = "all"
NO_PARTNERSHIP = "none"


class _Viewer(Protocol):
    """What this module reads of `access.Viewer` (which a base module may not import)."""

    @property
    def partnership(self) -> Model | None: ...


class ViewedRequest(HttpRequest):
    """A request once `access.ViewerMiddleware` has set its `viewer` (on Django's own request
    object: this class only tells the type checker the attribute is there)."""

    viewer: _Viewer


def database_scope(request: ViewedRequest) -> str:
    """The partnership whose rows a request may touch: the viewer's; every partnership for
    the installation's staff in Django's admin (whose pages keep the partnerships, agencies,
    areas and memberships of all of them); none for anyone else."""
    user = request.user
    if user.is_active and user.is_staff and request.path.startswith(reverse("admin:index")):
        return ALL_PARTNERSHIPS
    partnership = request.viewer.partnership
    return str(partnership.pk) if partnership is not None else NO_PARTNERSHIP


def work_in(scope: int | str) -> str:
    """Let this database session touch the rows of `scope` (a partnership's id,
    ALL_PARTNERSHIPS or NO_PARTNERSHIP) until told otherwise; returns the scope it replaces.
    SQLite has no row-level security: there it does nothing."""
    if connection.vendor != "postgresql":
        return NO_PARTNERSHIP
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting(%s, true), set_config(%s, %s, false)",
            [SCOPE_SETTING, SCOPE_SETTING, str(scope)],
        )
        previous = cursor.fetchone()[0]
    return previous or NO_PARTNERSHIP


@contextmanager
def working_in(scope: int | str):
    """Background work in the rows of one partnership (a task about one of its things), or of
    ALL_PARTNERSHIPS (a job for every one); the session's scope is put back afterwards, as a
    task run inline within a request must leave the request's."""
    previous = work_in(scope)
    try:
        yield
    finally:
        work_in(previous)


class DatabaseScopeMiddleware:
    """On PostgreSQL, the partnership the database lets the request touch (`database_scope`),
    closed again once the answer is made: connections outlive requests. Goes right after
    `access.ViewerMiddleware`, whose viewer names the partnership."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        scope = _RequestScope(request)
        try:
            with connection.execute_wrapper(scope):
                return self.get_response(request)
        finally:
            scope.close()


class _RequestScope:
    """Sets the request's scope just before its first query, so that a request which never
    asks the database (the API's document, a refused call) never touches it."""

    def __init__(self, request):
        self.request = request
        self.state = "unset"

    def __call__(self, execute, sql, params, many, context):
        # The viewer's own queries (`access.viewer_for`) come first: the scope is theirs.
        if self.state == "unset" and not getattr(self.request, "working_out_viewer", False):
            self.state = "setting"  # the queries that find the scope pass straight through
            work_in(database_scope(self.request))
            self.state = "set"
        return execute(sql, params, many, context)

    def close(self):
        if self.state == "set" and connection.connection is not None:  # a new one has none
            work_in(NO_PARTNERSHIP)
