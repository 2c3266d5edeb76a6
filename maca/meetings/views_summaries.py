"""The case summaries: every agency's return on a case, side by side, for the meeting.

Coordinators read them at any time; agency users read those of their agency's cases once the
audit is in moderation or later (`access.summary_cases_for`); board members never.
"""

from django.http import Http404
from django.shortcuts import render

from maca import access

from .summary import case_summaries, case_summary


@access.allow(access.COORDINATOR, *access.AGENCY_ROLES)
def audit_case_summaries(request, audit_id: int):
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    if viewer.is_agency_user and audit.status not in access.SUMMARIES_OPEN:
        raise Http404("The case summaries open at the meeting")
    context = {"audit": audit, "summaries": case_summaries(viewer, audit)}
    return render(request, "meetings/case_summaries.html", context)


@access.allow(access.COORDINATOR, *access.AGENCY_ROLES)
def case_summary_page(request, audit_id: int, case_id: int):
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    case = access.summary_case_for(viewer, audit, case_id)
    context = {"audit": audit, "summary": case_summary(viewer, audit, case)}
    return render(request, "meetings/case_summary.html", context)
