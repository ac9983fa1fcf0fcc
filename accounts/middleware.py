from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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
