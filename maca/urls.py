from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from maca.accounts import two_factor
from maca.actions import urls as actions_urls
from maca.api.api import api, unknown_path
from maca.audits import urls as audits_urls
from maca.bundles import urls as bundles_urls
from maca.front import urls as front_urls
from maca.meetings import urls as meetings_urls
from maca.reports import urls as reports_urls
from maca.returns import urls as returns_urls

# The admin signs in through allauth's sign-in page, second factor and all.
# allauth's documented wrapping of the admin's login view; mypy refuses any assignment to a
# method, which this is.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

# Drawn without the database, and saying so when the database is what failed.
handler500 = "maca.front.faults.server_error"

# An audit's pages, each app's routes from its own urls.py, in one namespace (`audits:report`):
# the stages in order.
audit_urlpatterns = [
    *front_urls.audit_urlpatterns,
    *audits_urls.audit_urlpatterns,
    *bundles_urls.audit_urlpatterns,
    *returns_urls.audit_urlpatterns,
    *meetings_urls.audit_urlpatterns,
    *reports_urls.audit_urlpatterns,
    *actions_urls.audit_urlpatterns,
]

urlpatterns = [
    path("", include("maca.front.urls")),
    path("audits/", include((audit_urlpatterns, "audits"))),
    path("requests/", include("maca.returns.urls")),
    path("actions/", include("maca.actions.urls")),
    path("agencies/", include("maca.notices.urls_agencies")),
    path("outbox/", include("maca.notices.urls")),
    path("", include("maca.learning.urls")),
    path("", include("maca.partnerships.urls_names")),
    path("", include("maca.reports.urls")),
    path("yearly-reports/", include("maca.yearly.urls")),
    path("account/tokens/", include("maca.api.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", unknown_path, name="api_not_found"),
    # Before allauth's own: the same page, which also counts the code typed as the second
    # factor of this session.
    path(
        "accounts/2fa/totp/activate/",
        two_factor.ActivateTOTPView.as_view(),
        name="mfa_activate_totp",
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
