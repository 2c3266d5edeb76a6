from allauth.account.decorators import secure_admin_login
from allauth.socialaccount import views as socialaccount_views
from django.contrib import admin
from django.urls import include, path, re_path

from maca.accounts import two_factor
from maca.accounts import views as account_views
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
    # The sign-in page asks for the e-mail address first (decision 75).
    path("accounts/login/", account_views.login, name="account_login"),
    path("accounts/", include("allauth.account.urls")),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    # Of allauth's pages for other sign-in services, only those an OpenID Connect sign-in
    # passes through: no connecting accounts, no signing up.
    path(
        "accounts/3rdparty/login/cancelled/",
        socialaccount_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path(
        "accounts/3rdparty/login/error/",
        socialaccount_views.login_error,
        name="socialaccount_login_error",
    ),
    path(
        "accounts/oidc/<str:provider_id>/login/",
        account_views.provider_login,
        name="openid_connect_login",
    ),
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("admin/", admin.site.urls),
]
