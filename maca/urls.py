from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("maca.front.urls")),
    path("audits/", include("maca.audits.urls")),
    path("requests/", include("maca.returns.urls")),
    path("actions/", include("maca.actions.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
