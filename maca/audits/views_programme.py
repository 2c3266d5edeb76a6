"""The audit programme page: a year's audits and why each is held (programme.py)."""

import re

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from maca import access

from .models import AuditReason
from .programme import Year, programme_for

EARLIEST, LATEST = 2000, 2100


@require_safe
@access.allow(access.COORDINATOR, access.BOARD_MEMBER)
def programme(request):
    this_year = Year.of(timezone.localdate())
    asked = request.GET.get("year", "").strip()
    error = ""
    year = this_year
    if asked:
        if re.fullmatch(r"[0-9]{4}", asked) and EARLIEST <= int(asked) <= LATEST:
            year = Year(int(asked))
        else:
            error = f"Year must be a year from {EARLIEST} to {LATEST}, like {this_year.first}"
    context = {
        "programme": programme_for(request.viewer, year),
        "this_year": this_year,
        "before": Year(year.first - 1),
        "after": Year(year.first + 1),
        "reasons": AuditReason,
        "error": error,
    }
    return render(request, "audits/programme.html", context, status=400 if error else 200)
