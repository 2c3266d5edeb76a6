"""The error pages, drawn without the database.

Django's own handler would draw 500.html, but it cannot tell a database that is down from a
bug. A database that cannot be reached (or cannot be written: a full disk) is said plainly,
with 503 and Retry-After, so people wait rather than report a fault, and a load balancer knows
to. Neither page is given the request: its context processors would ask the database who is
signed in, the very thing that failed. Neither shows anything of the error.

Under /api/ the same answers are JSON, `{"detail": "..."}` as the API's other errors, since a
program reads them: an HTML page there would only break its parser.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

RETRY_AFTER_SECONDS = 60
API_UNAVAILABLE = "maca cannot use its database just now; try again later."
API_FAILED = "Server error"
# As ninja answers the API's other errors.
API_CONTENT_TYPE = "application/json; charset=utf-8"


def server_error(request):
    """handler500: called by Django while it handles the exception, so it can see it."""
    # OperationalError covers a full disk too: SQLite's "database or disk is full",
    # PostgreSQL's DiskFull (53100, "could not extend file").
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    if request.path_info.startswith("/api/"):
        detail = API_UNAVAILABLE if unavailable else API_FAILED
        response = JsonResponse({"detail": detail}, status=status, content_type=API_CONTENT_TYPE)
    else:
        response = HttpResponse(loader.render_to_string(f"{status}.html"), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
