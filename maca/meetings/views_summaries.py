"""The case summaries: every agency's return on a case, side by side, for the meeting.

Coordinators read them at any time; agency users read those of their agency's cases once the
audit is in moderation or later (`access.summary_cases_for`); board members never.
"""

from django.http import Http404
from django.shortcuts import render

from maca import access, profiles
from maca.history.access_log import AccessKind, seen

from .summary import case_summaries, case_summary

LOOKED = 100  # the latest views of a case shown on its summary page


@access.audit_view(access.COORDINATOR, *access.AGENCY_ROLES)
def audit_case_summaries(request, audit):
    viewer = request.viewer
    if not access.may_read_summaries(viewer, audit):
        raise Http404("The case summaries open at the meeting")
    context = {"audit": audit, "summaries": case_summaries(viewer, audit)}
    response = render(request, "meetings/case_summaries.html", context)
    return seen(request, response, AccessKind.CASE_SUMMARIES, audit=audit)


@access.audit_view(access.COORDINATOR, *access.AGENCY_ROLES)
def case_summary_page(request, audit, case_id: int):
    viewer = request.viewer
    case = access.summary_case_for(viewer, audit, case_id)
    context = {
        "audit": audit,
        "summary": case_summary(viewer, audit, case),
        # The fields of its profile the partnership records: seen by whoever may read the case.
        "profile": [
            (field.label, profiles.label_of(field, getattr(case, field)))
            for field in viewer.partnership.profile_field_list()
        ],
        # Who has looked at this case: coordinators only (empty for everyone else).
        "looked": access.access_log_for(viewer, audit, case).select_related("user")[:LOOKED],
    }
    response = render(request, "meetings/case_summary.html", context)
    return seen(request, response, AccessKind.CASE_SUMMARY, audit=audit, case=case, obj=case)
