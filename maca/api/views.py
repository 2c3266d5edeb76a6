"""The "API tokens" page: a person's own tokens, making one (its secret shown once, in the
response to the form, never stored or redirected), and revoking one.

A token acts as its user for up to a year, so making one asks for the password, or a code from
the authenticator app, again (allauth's reauthentication, as the two-factor pages do): a
session left open, or taken over, cannot mint one. The form's POST waits in the session while
the person confirms, and is answered, secret and all, once they have.
"""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from maca import access
from maca.errors import DomainError
from maca.forms import add_domain_error

from . import selectors, services
from .forms import TokenForm


@never_cache  # the response that shows a secret must not be kept by any cache
@access.allow(*access.ANY_MEMBER)
@reauthentication_required(allow_get=True)
def api_tokens(request):
    form, status, secret = TokenForm(), 200, None
    if request.method == "POST":
        form, status = TokenForm(request.POST), 400
        if form.is_valid():
            try:
                _, secret = services.token_create(
                    user=request.user, partnership=request.viewer.partnership, **form.cleaned_data
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                form, status = TokenForm(), 200
    context = {"form": form, "secret": secret, "tokens": selectors.tokens_of(request.user)}
    return render(request, "api/tokens.html", context, status=status)


@require_POST
@access.allow(*access.ANY_MEMBER)
def api_token_revoke(request, token_id: int):
    token = selectors.token_of(request.user, token_id)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, f"The token “{token.name}” is revoked: it no longer works.")
    return redirect("api_tokens")
