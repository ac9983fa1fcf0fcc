"""Security measures that are settings or conventions, checked by a test so they
cannot quietly disappear. (Others live with their feature: the permission matrix,
MFA and login limits in accounts/tests, the audit log and AVG rights in audit/tests,
hostile input in tests/test_hostile_input.py, accessibility in tests/browser.)"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STATIC_JS = Path(settings.BASE_DIR) / "static" / "js"


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_every_page_sends_a_strict_content_security_policy(client, cast, hub, who):
    if who != "anonymous":
        client.force_login(cast[who])
    for url in (reverse("public:hub_list"), reverse("public:hub_detail", args=[hub.slug])):
        policy = _csp(client.get(url))
        for directive in ("default-src", "script-src", "style-src"):
            assert policy[directive] == ["'self'"], (url, directive, policy[directive])
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        header = " ".join(sum(policy.values(), []))
        assert "unsafe-inline" not in header and "unsafe-eval" not in header


INLINE = [
    # Data blocks (JSON-LD, json_script) are not run, so the policy does not apply.
    (
        re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json\"))[^>]*>", re.I),
        "inline <script>",
    ),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "inline event handler"),
    (re.compile(r"href\s*=\s*[\"']\s*javascript:", re.I), "javascript: link"),
]


def test_no_template_needs_an_inline_exception_to_the_policy():
    """The CSP forbids inline script and style; a template that relied on them
    would break silently in the browser. E-mails are not pages: they are exempt."""
    offences = []
    for path in TEMPLATES.rglob("*.html"):
        if "emails" in path.parts:
            continue
        text = path.read_text()
        text = re.sub(r"{#.*?#}|{% comment %}.*?{% endcomment %}", "", text, flags=re.S)
        for pattern, what in INLINE:
            if pattern.search(text):
                offences.append(f"{path.relative_to(TEMPLATES)}: {what}")
    assert offences == []


def test_session_and_csrf_cookies_are_locked_down():
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF
    assert settings.SECURE_REFERRER_POLICY == "same-origin"


def test_the_back_office_admin_is_not_reachable_for_staff(client, wijkmanager):
    client.force_login(wijkmanager)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- idle and long sessions ----------------------------------------------------------------


def _travel(minutes: float):
    import datetime as dt

    import time_machine

    return time_machine.travel(
        dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes), tick=False
    )


def _home_status(client) -> int:
    return client.get(reverse("scheduling:mine")).status_code


def test_an_idle_session_ends_after_the_idle_time(client, medewerker, settings):
    settings.SESSION_IDLE_MINUTES = 60
    with _travel(0):
        client.force_login(medewerker)
        assert _home_status(client) == 200
    with _travel(59):
        assert _home_status(client) == 200  # and that counts as activity
    with _travel(59 + 61):
        response = client.get(reverse("scheduling:mine"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert "_auth_user_id" not in client.session
    with _travel(59 + 62):
        assert _home_status(client) == 302


def test_an_active_session_ends_after_the_longest_session(client, medewerker, settings):
    settings.SESSION_IDLE_MINUTES = 60
    settings.SESSION_MAX_HOURS = 10
    with _travel(0):
        client.force_login(medewerker)
    for minute in range(30, 10 * 60, 30):  # a request every half hour all day
        with _travel(minute):
            assert _home_status(client) == 200, minute
    with _travel(10 * 60 + 1):
        assert _home_status(client) == 302


def test_last_seen_is_written_at_most_once_a_minute(client, medewerker):
    from accounts.middleware import LAST_SEEN_KEY

    with _travel(0):
        client.force_login(medewerker)
        first = client.session[LAST_SEEN_KEY]
    with _travel(0.5):
        client.get(reverse("scheduling:mine"))
        assert client.session[LAST_SEEN_KEY] == first
    with _travel(2):
        client.get(reverse("scheduling:mine"))
        assert client.session[LAST_SEEN_KEY] == first + 120
