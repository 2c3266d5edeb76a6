from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from maca.accounts import two_factor
from maca.api.api import api, unknown_path

# The admin signs in through allauth's sign-in page, second factor and all.
admin.site.login = secure_admin_login(admin.site.login)

# Drawn without the database, and saying so when the database is what failed.
handler500 = "maca.front.faults.server_error"

urlpatterns = [
    path("", include("maca.front.urls")),
    path("audits/", include("maca.audits.urls")),
    path("requests/", include("maca.returns.urls")),
    path("actions/", include("maca.actions.urls")),
    path("agencies/", include("maca.partnerships.urls")),
    path("outbox/", include("maca.notices.urls")),
    path("", include("maca.learning.urls")),
    path("", include("maca.partnerships.urls_names")),
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
