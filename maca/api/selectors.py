"""A person's own API tokens: nobody else's are ever listed or revoked."""

from django.db.models import QuerySet
from django.http import Http404

from maca.accounts.models import User

from .models import ApiToken


def tokens_of(user: User) -> QuerySet[ApiToken]:
    if user is None or not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).select_related("partnership")


def token_of(user: User, token_id: int) -> ApiToken:
    try:
        return tokens_of(user).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404("No such token") from None
