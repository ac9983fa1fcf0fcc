import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_KEY = "mfa_checked"


class RequireMFAMiddleware:
    """Sends coordinators and wijkmanagers without TOTP to the set-up page.

    Only the account pages (including logout and MFA set-up), static files and
    the language switch stay reachable until they have activated it.
    """

    exempt_prefixes = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_FOR_MANAGERS
            and request.user.is_authenticated
            and not request.session.get(SESSION_KEY)
            and not request.path.startswith(self.exempt_prefixes)
            and request.user.access.requires_mfa
        ):
            from allauth.mfa.models import Authenticator

            if Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists():
                request.session[SESSION_KEY] = True
            else:
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


LAST_SEEN_KEY = "last_seen"
LOGGED_IN_KEY = "logged_in_at"
# How often the "last seen" time is written back: not on every request, so that a
# page view does not cost a session write.
TOUCH_SECONDS = 60


def start_session_clock(sender, request, user, **kwargs):
    """user_logged_in receiver: the session's clocks start at login."""
    now = int(time.time())
    request.session[LOGGED_IN_KEY] = now
    request.session[LAST_SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """Ends a staff session after SESSION_IDLE_MINUTES without a request, and at the
    latest SESSION_MAX_HOURS after logging in (BIO: sessions do not stay open)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            last_seen = session.get(LAST_SEEN_KEY, now)
            logged_in = session.get(LOGGED_IN_KEY, now)
            idle = now - last_seen > settings.SESSION_IDLE_MINUTES * 60
            too_long = now - logged_in > settings.SESSION_MAX_HOURS * 3600
            if idle or too_long:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)s minutes without activity.")
                    % {"minutes": settings.SESSION_IDLE_MINUTES}
                    if idle
                    else _("You were logged out: a session lasts at most %(hours)s hours.")
                    % {"hours": settings.SESSION_MAX_HOURS},
                )
                return redirect_to_login(request.get_full_path(), reverse("account_login"))
            if LOGGED_IN_KEY not in session:
                session[LOGGED_IN_KEY] = now
            if LAST_SEEN_KEY not in session or now - last_seen >= TOUCH_SECONDS:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)
