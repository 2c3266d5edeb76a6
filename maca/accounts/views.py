from allauth.account.views import LoginView as AllauthLoginView
from allauth.socialaccount.providers.openid_connect import views as openid_connect_views
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import redirect
from django.utils.csp import CSP

from . import single_sign_on

ENTER_EMAIL = "Enter your e-mail address"
EMAIL_FORMAT = "Enter an e-mail address in the correct format, like name@example.com"


class LoginView(AllauthLoginView):
    """The sign-in page, which asks for the e-mail address first (decision 75).

    An address whose domain has a sign-in provider goes to that provider, with or without a
    password typed; any other is asked for its password on the same page, and then signs in as
    allauth's page does (the password posted with the address, in one step, works as before).
    """

    def post(self, request, *args, **kwargs):
        email = request.POST.get("login", "").strip()
        provider = single_sign_on.provider_for(email)
        if provider is not None:
            return single_sign_on.start(request, provider, email, self.get_next_url())
        if "password" in request.POST:
            return super().post(request, *args, **kwargs)
        error = _email_error(email)
        form = self.get_form_class()(request=request, initial={"login": email})
        context = self.get_context_data(form=form, email_error=error)
        context["step"] = "email" if error else "password"
        return self.render_to_response(context, status=200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context.setdefault("step", "password" if form is not None and form.is_bound else "email")
        context.setdefault("email_error", "")
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        origins = single_sign_on.provider_origins()
        if origins:
            # The address step's answer redirects to the person's provider: the browser
            # holds that redirect to the page's `form-action`.
            policy = dict(settings.SECURE_CSP)
            policy["form-action"] = [CSP.SELF, *origins]
            response._csp_config = policy
        return response


def _email_error(email: str) -> str:
    if not email:
        return ENTER_EMAIL
    try:
        validate_email(email)
    except ValidationError:
        return EMAIL_FORMAT
    return ""


login = LoginView.as_view()


@login_not_required
def provider_login(request, provider_id: str):
    """A sign-in through a provider starts on the sign-in page, from the address typed there:
    allauth's own start page (a button, for any provider) is not offered."""
    if request.method == "POST":
        return openid_connect_views.login(request, provider_id)
    return redirect("account_login")
