from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.validators import MaxLengthValidator


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: coordinators create accounts (accounts/services.py)."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def clean_email(self, email: str) -> str:
        # allauth's e-mail field takes up to 320 characters, its column 254: a longer
        # address (on the "add an address" page) was a database error on PostgreSQL.
        limit = EmailAddress._meta.get_field("email").max_length
        MaxLengthValidator(limit)(email)
        return super().clean_email(email)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """The city's SSO may log in existing accounts (matched by e-mail), never create them."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False
