from django.contrib import admin
from django.urls import include, path, re_path

from maca.api.api import api, unknown_path

# Drawn without the database, and saying so when the database is what failed.
handler500 = "maca.front.faults.server_error"

urlpatterns = [
    path("", include("maca.front.urls")),
    path("audits/", include("maca.audits.urls")),
    path("requests/", include("maca.returns.urls")),
    path("actions/", include("maca.actions.urls")),
    path("", include("maca.learning.urls")),
    path("account/tokens/", include("maca.api.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", unknown_path, name="api_not_found"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
