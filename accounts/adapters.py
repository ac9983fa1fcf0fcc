from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: coordinators create accounts (accounts/services.py)."""

    def is_open_for_signup(self, request) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """The city's SSO may log in existing accounts (matched by e-mail), never create them."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False
