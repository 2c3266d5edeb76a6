"""Collecting returns: sending the requests, tracking the returns, chasing an agency."""

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize

from maca import access
from maca.errors import DomainError

from .models import AuditStatus
from .sending import RequestsNotReady, agency_chase, requests_send, send_checklist, send_preview
from .tracking import involved_agency_for, tracking_grid


@access.allow(access.COORDINATOR)
def audit_send(request, audit_id: int):
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    refused = False
    if request.method == "POST":
        try:
            requests_send(audit=audit, by=request.user)
        except RequestsNotReady:
            refused = True
        else:
            agencies = send_preview(viewer, audit).agencies
            messages.success(
                request, f"Requests sent to {agencies} agenc{pluralize(agencies, 'y,ies')}"
            )
            return redirect("audits:tracking", audit.pk)
    context = {
        "audit": audit,
        "missing": send_checklist(audit),
        "preview": send_preview(viewer, audit),
        "refused": refused,
    }
    return render(request, "audits/send.html", context)


@access.allow(access.COORDINATOR)
def audit_tracking(request, audit_id: int):
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    if audit.status == AuditStatus.PLANNING:
        messages.info(request, "The requests have not been sent yet")
        return redirect("audits:detail", audit.pk)
    context = {
        "audit": audit,
        "grid": tracking_grid(viewer, audit),
        "may_chase": audit.status == AuditStatus.COLLECTING,
    }
    return render(request, "audits/tracking.html", context)


@access.allow(access.COORDINATOR)
def audit_agency_chase(request, audit_id: int, agency_id: int):
    viewer = request.viewer
    audit = access.audit_for(viewer, audit_id)
    agency = involved_agency_for(viewer, audit, agency_id)
    # Checked after scoping, so another partnership's ids answer 404 whatever the method.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        owed = agency_chase(audit=audit, agency=agency, by=request.user)
    except DomainError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request, f"Chased {agency.name} ({owed} return{pluralize(owed)} still owed)"
        )
    return redirect("audits:tracking", audit.pk)
