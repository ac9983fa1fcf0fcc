"""allauth in our portal: closed sign-up, login by e-mail, rate limits, our layout, SSO."""

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import User

LOGIN = reverse("account_login")


def _input(html: str, input_id: str) -> str:
    """The <input> tag with ``id=input_id``."""
    match = re.search(rf'<input[^>]*\bid="{input_id}"[^>]*>', html)
    assert match, f"no input {input_id}"
    return match.group(0)


def test_signup_is_closed(client, db):
    page = client.get(reverse("account_signup"))
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.org",
            "password1": "Lang-genoeg-123",
            "password2": "Lang-genoeg-123",
        },
    )

    assert "account/signup_closed.html" in [t.name for t in page.templates]
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert "_auth_user_id" not in client.session


def test_an_address_too_long_for_its_column_is_a_form_error(client, host):
    # Found by tests/test_hostile_input.py: 255-320 characters passed allauth's field
    # and failed on PostgreSQL's varchar(254) with a server error.
    client.force_login(host)
    address = "a" * 250 + "@example.org"

    response = client.post(reverse("account_email"), {"email": address, "action_add": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not EmailAddress.objects.filter(email=address).exists()


def test_login_page_does_not_invite_to_sign_up(client, db):
    html = client.get(LOGIN).content.decode()

    assert reverse("account_signup") not in html


def test_login_by_email_is_case_insensitive(client, host, password, clear_cache):
    response = client.post(LOGIN, {"login": "HOST@example.org", "password": password})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == host.pk


def test_wrong_password_shows_the_error_on_the_form(client, host, clear_cache):
    response = client.post(LOGIN, {"login": "host@example.org", "password": "fout"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "alert-danger" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_many_failed_logins_are_blocked_even_with_the_right_password(
    client, host, password, clear_cache
):
    # ACCOUNT_RATE_LIMITS: "login_failed": "10/m/ip,5/5m/key" — five per address.
    for _ in range(5):
        client.post(LOGIN, {"login": "host@example.org", "password": "fout"})

    response = client.post(LOGIN, {"login": "host@example.org", "password": password})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    with translation.override("nl"):
        from allauth.account.adapter import get_adapter

        expected = str(get_adapter().error_messages["too_many_login_attempts"])
    assert expected in response.content.decode()


def test_other_addresses_are_not_blocked_by_someone_elses_failures(
    client, host, medewerker, password, clear_cache
):
    for _ in range(5):
        client.post(LOGIN, {"login": "host@example.org", "password": "fout"})

    client.post(LOGIN, {"login": "medewerker@example.org", "password": password})

    assert int(client.session["_auth_user_id"]) == medewerker.pk


def test_login_form_is_bootstrap_with_labels_and_errors_tied_to_fields(client, db, clear_cache):
    with translation.override("nl"):
        page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="nl")
        html = page.content.decode()
        error_page = client.post(LOGIN, {"login": "", "password": ""}).content.decode()

    assert "form-control" in _input(html, "id_login")
    assert "form-control" in _input(html, "id_password")
    assert re.search(r'<label\s+for="id_login" class="form-label', html)
    assert re.search(r'<label\s+for="id_password" class="form-label', html)
    assert 'aria-describedby="id_password_helptext"' in html  # "forgot your password?"
    assert reverse("account_reset_password") in html
    assert 'class="btn btn-primary"' in html
    # allauth's own Dutch translation provides the field labels.
    assert "E-mailadres" in html
    assert "Wachtwoord" in html
    # Errors sit under their field and the field points at them.
    login_input = _input(error_page, "id_login")
    assert 'aria-invalid="true"' in login_input
    assert 'aria-describedby="id_login_error"' in login_input
    assert "is-invalid" in login_input
    assert 'id="id_login_error"' in error_page


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_reset_password",
        "account_reset_password_done",
    ],
)
def test_anonymous_account_pages_render_in_our_layout(client, db, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert "bootstrap.min.css" in html  # our base.html
    assert 'class="skip-link' in html or "skip-link" in html
    assert '<h1 class="mb-3">' in html  # our h1 element


def test_password_reset_request_form_is_bootstrap(client, host, clear_cache):
    html = client.get(reverse("account_reset_password")).content.decode()

    assert 'name="email"' in html
    assert "form-control" in html

    response = client.post(reverse("account_reset_password"), {"email": "host@example.org"})
    assert response.status_code == 302


def test_logout_page_uses_our_buttons(client, host):
    client.force_login(host)

    html = client.get(reverse("account_logout")).content.decode()

    assert 'class="btn btn-primary"' in html
    assert "bootstrap.min.css" in html


def test_reauthenticate_page_renders_in_our_layout(client, wijkmanager):
    client.force_login(wijkmanager)  # no recent password entry: allauth asks again

    response = client.get(reverse("mfa_activate_totp"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    html = response.content.decode()
    assert "form-control" in _input(html, "id_password")
    assert "bootstrap.min.css" in html


@pytest.mark.parametrize("url_name", ["mfa_index", "mfa_activate_totp"])
def test_mfa_pages_render_in_our_layout(client, wijkmanager, password, url_name):
    # allauth asks for the password again before MFA changes (MFA_REAUTHENTICATION_REQUIRED).
    client.force_login(wijkmanager)
    reauth = client.post(reverse("account_reauthenticate"), {"password": password})
    assert reauth.status_code == 302

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert "bootstrap.min.css" in html
    if url_name == "mfa_activate_totp":
        assert 'id="authenticator_secret"' in html
        assert 'class="form-control"' in html
        assert 'aria-describedby="authenticator_secret_helptext"' in html
        assert 'name="code"' in html
    else:
        assert 'class="card mb-3"' in html  # allauth's panels as Bootstrap cards


def test_sso_provider_is_offered_when_configured(tmp_path):
    """settings.py adds the city's OpenID Connect login from environment variables.

    A fresh process, because INSTALLED_APPS and allauth's provider registry are
    fixed at start-up.
    """
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        setup_test_environment()
        call_command("migrate", verbosity=0, run_syncdb=True)
        html = Client().get("/accounts/login/").content.decode()
        print("PROVIDER" if "/accounts/oidc/gemeente/login/" in html else "MISSING")
        print("NAME" if "Gemeente Rotterdam" in html else "NO-NAME")
        """
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wijkhubs.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'sso.sqlite3'}",
        "OIDC_CLIENT_ID": "wijkhubs",
        "OIDC_CLIENT_SECRET": "geheim",
        "OIDC_SERVER_URL": "https://login.example.org/realms/rotterdam",
    }

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["PROVIDER", "NAME"]


def test_without_sso_settings_no_provider_is_offered(client, db):
    assert "/accounts/oidc/" not in client.get(LOGIN).content.decode()
