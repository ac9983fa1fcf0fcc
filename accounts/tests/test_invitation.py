"""The invitation e-mail and the way a new colleague gets in: link → password → login."""

import re

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.constants import Role
from accounts.emails import render_templated_email, send_templated_email
from accounts.services import invitation_url, user_create

NEW_PASSWORD = "Wijkhub-Feijenoord-2026"  # noqa: S105


def _create(coordinator, hub, callbacks_fixture):
    with callbacks_fixture(execute=True):
        return user_create(
            email="sanne@rotterdam.nl",
            first_name="Sanne",
            last_name="Dekker",
            cluster=None,
            roles={Role.HOST: [hub]},
            created_by=coordinator,
        )


def _link(message) -> str:
    [url] = re.findall(r"https?://\S+/accounts/password/reset/key/\S+/", message.body)
    return url


def test_invitation_mail_has_text_and_html_and_an_absolute_link(
    coordinator, hub, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://wijkhubs.example.org"

    user = _create(coordinator, hub, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.to == ["sanne@rotterdam.nl"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "\n" not in message.subject
    link = _link(message)
    assert link.startswith("https://wijkhubs.example.org/accounts/password/reset/key/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert "Sanne" in message.body
    assert "Feijenoord" in message.body  # the roles are listed
    assert not user.has_usable_password()


def test_following_the_link_sets_a_password_and_allows_login(
    client, coordinator, hub, django_capture_on_commit_callbacks
):
    user = _create(coordinator, hub, django_capture_on_commit_callbacks)
    path = _link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]

    # allauth moves the key into the session and redirects to a key-less URL.
    page = client.get("/" + path, follow=True)
    assert page.status_code == 200
    assert page.context["form"] is not None
    assert 'name="password1"' in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert done.url == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.has_usable_password()

    login = client.post(
        reverse("account_login"), {"login": "Sanne@Rotterdam.nl", "password": NEW_PASSWORD}
    )

    assert login.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_link_works_once(client, coordinator, hub, django_capture_on_commit_callbacks):
    user = _create(coordinator, hub, django_capture_on_commit_callbacks)
    url = invitation_url(user)
    page = client.get(url, follow=True)
    client.post(page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(url, follow=True)

    assert again.context["token_fail"] is True


def test_the_link_expires_after_the_invitation_days(
    client, coordinator, hub, settings, django_capture_on_commit_callbacks
):
    assert settings.PASSWORD_RESET_TIMEOUT == settings.INVITATION_VALID_DAYS * 24 * 3600
    with time_machine.travel("2026-03-02 09:00 +01:00", tick=False):
        user = _create(coordinator, hub, django_capture_on_commit_callbacks)
        url = invitation_url(user)
    days = settings.INVITATION_VALID_DAYS

    with time_machine.travel(f"2026-03-{1 + days:02d} 09:00 +01:00", tick=False):
        valid = client.get(url, follow=True)
        assert not valid.context.get("token_fail")
        assert 'name="password1"' in valid.content.decode()
    with time_machine.travel(f"2026-03-{3 + days:02d} 09:00 +01:00", tick=False):
        assert client.get(url, follow=True).context["token_fail"] is True


def test_no_mail_when_the_transaction_is_rolled_back(coordinator, hub):
    from django.db import transaction

    try:
        with transaction.atomic():
            user_create(
                email="weg@rotterdam.nl",
                first_name="Weg",
                last_name="",
                cluster=None,
                roles={Role.KCC: []},
                created_by=coordinator,
            )
            raise RuntimeError("import failed further on")
    except RuntimeError:
        pass

    assert mail.outbox == []


def test_send_templated_email_renders_in_the_requested_language(db):
    send_templated_email(
        "invitation",
        "iemand@rotterdam.nl",
        {
            "user": type("U", (), {"first_name": "Iemand", "email": "iemand@rotterdam.nl"})(),
            "invitation_url": "https://example.org/x/",
            "valid_days": 7,
            "valid_until": None,
            "login_url": "https://example.org/login/",
            "roles": [],
        },
        language="en",
    )

    [message] = mail.outbox
    assert message.to == ["iemand@rotterdam.nl"]
    assert message.subject == "Your account for the Wijkhubs Rotterdam portal"
    assert "valid for 7 days" in message.body


def test_default_language_is_the_site_language(db, settings):
    context = {
        "user": type("U", (), {"first_name": "A", "email": "a@b.nl"})(),
        "invitation_url": "https://example.org/x/",
        "valid_days": 1,
        "valid_until": None,
        "login_url": "https://example.org/login/",
        "roles": [],
    }
    with translation.override("en"):
        subject, _text, html = render_templated_email("invitation", context)
    with translation.override(settings.LANGUAGE_CODE):
        expected = translation.gettext("Your account for the Wijkhubs Rotterdam portal")
    assert subject == expected
    assert f'lang="{settings.LANGUAGE_CODE}"' in html
    assert "valid for 1 day," in _text or "1 dag" in _text
