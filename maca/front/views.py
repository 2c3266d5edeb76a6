from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from maca import access
from maca.audits.selectors import audit_list_for

from .attention import attention_for
from .forms import SwitchPartnershipForm


@access.signed_in
def home(request):
    """What needs the person's attention, most urgent first, then their audits."""
    viewer = request.viewer
    context = {"attention": attention_for(viewer), "audits": audit_list_for(viewer)}
    return render(request, "front/home.html", context)


@require_POST
@access.signed_in
def switch_partnership(request):
    form = SwitchPartnershipForm(request.POST)
    if form.is_valid():
        access.choose_partnership(request, form.cleaned_data["partnership"])
    return redirect("home")


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
