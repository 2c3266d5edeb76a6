"""The error pages, drawn without the database.

Django's own handler would draw 500.html, but it cannot tell a database that is down from a
bug. A database that cannot be reached (or cannot be written: a full disk) is said plainly,
with 503 and Retry-After, so people wait rather than report a fault, and a load balancer knows
to. Neither page is given the request: its context processors would ask the database who is
signed in, the very thing that failed. Neither shows anything of the error.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

RETRY_AFTER_SECONDS = 60


def server_error(request):
    """handler500: called by Django while it handles the exception, so it can see it."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
