"""maca's pages plus the load benchmark's baseline: the least a Django view can do."""

from django.http import HttpResponse
from django.urls import path

from maca.urls import urlpatterns as maca_urlpatterns


def trivial(request):
    """The baseline: the whole middleware stack (sessions, the signed-in user, CSP), no query
    of ours, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *maca_urlpatterns]
