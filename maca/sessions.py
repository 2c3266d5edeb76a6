"""When a session ends, and what every signed-in answer carries. The only place that decides it.

- Idle: 30 minutes without a request signs the person out (`MACA_SESSION_IDLE_MINUTES`). The
  last-seen time is refreshed at most once a minute, so a page costs no session write.
- Absolute: 10 hours after signing in, signed out whatever the activity
  (`MACA_SESSION_ABSOLUTE_HOURS`).
- Disabled: a user made inactive is signed out at their next request, and their sessions are
  deleted as soon as the change is saved.

A request whose session has just ended goes on as a signed-out one: pages send the person to
sign in and back (`next`), the return's autosave keeps what was typed (`returns.views`), and
an htmx request that would be redirected to the sign-in page gets a 401 line it shows instead.
Every answer to a signed-in user, and every API answer, is `Cache-Control: no-store`.
"""

import datetime

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.shortcuts import render, resolve_url
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

SIGNED_IN_AT = "maca_signed_in_at"  # session keys: POSIX timestamps
SEEN_AT = "maca_seen_at"
# Writing the session on every request would cost a write per page; a minute's precision is
# plenty for a 30-minute limit.
SEEN_REFRESH = datetime.timedelta(minutes=1)
API_PREFIX = "/api/"


def idle_limit() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.MACA_SESSION_IDLE_MINUTES)


def absolute_limit() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.MACA_SESSION_ABSOLUTE_HOURS)


def ended_because(session, now: datetime.datetime) -> str | None:
    """Why a signed-in session has ended, as the person is told; None while it holds."""
    signed_in = session.get(SIGNED_IN_AT)
    if signed_in is None:  # from before these limits, or not made by signing in
        return "Your session has ended. Sign in again to carry on."
    seen = session.get(SEEN_AT, signed_in)
    if now.timestamp() - signed_in > absolute_limit().total_seconds():
        hours = settings.MACA_SESSION_ABSOLUTE_HOURS
        return f"You were signed out {hours} hours after signing in. Sign in again to carry on."
    if now.timestamp() - seen > idle_limit().total_seconds():
        minutes = settings.MACA_SESSION_IDLE_MINUTES
        return (
            f"You were signed out after {minutes} minutes without activity. "
            "Sign in again to carry on where you were."
        )
    return None


@receiver(user_logged_in)
def _stamp_sign_in(sender, request, user, **kwargs):
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


def sessions_end(user) -> int:
    """Delete every session of `user` (database sessions: each is decoded to find its user,
    which is cheap for the few hundred live sessions an installation has)."""
    now = timezone.now()
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if session.get_decoded().get(auth.SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _end_sessions_of_disabled(sender, instance, created, update_fields=None, **kwargs):
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    sessions_end(instance)


@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def _end_sessions_of_deleted(sender, instance, **kwargs):
    sessions_end(instance)


class SessionLimitsMiddleware:
    """Ends sessions past their limits; marks signed-in and API answers `no-store`.

    Goes after the authentication, messages and htmx middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_signed_in = request.user.is_authenticated
        ended = self._check(request)
        response = self.get_response(request)
        if ended and request.htmx and _to_sign_in(response):
            # htmx would follow the redirect and swap the sign-in page in: say it instead.
            page = request.htmx.current_url_abs_path or resolve_url(settings.LOGIN_REDIRECT_URL)
            context = {"message": ended, "next": page}
            response = render(request, "includes/signed_out.html", context, status=401)
        if was_signed_in or request.user.is_authenticated or request.path.startswith(API_PREFIX):
            add_never_cache_headers(response)
        return response

    def _check(self, request) -> str | None:
        if not request.user.is_authenticated:
            if auth.SESSION_KEY in request.session:
                # The session's user is disabled or gone: end it, not just ignore it.
                request.session.flush()
            return None
        now = timezone.now()
        ended = ended_because(request.session, now)
        if ended:
            auth.logout(request)
            messages.info(request, ended)
            return ended
        if now.timestamp() - request.session.get(SEEN_AT, 0) >= SEEN_REFRESH.total_seconds():
            request.session[SEEN_AT] = now.timestamp()
        return None


def _to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    )
