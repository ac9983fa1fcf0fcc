"""The cast every test can use: one person per role, plus an outsider.

``hub`` is the hub the host, wijkmanager and wijkraad member belong to;
``other_hub`` belongs to none of them (for "not your hub" tests).
"""

import os

import pytest
import time_machine

from accounts.constants import Role
from tests.factories import PASSWORD, UserFactory, give_role, hub_with_schedule

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by fixtures around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _travel(request):
    """``@pytest.mark.travel(moment, tick=...)``: the test runs at ``moment`` from before its
    first fixture (autouse fixtures come first). ``time_machine.travel`` as a decorator
    starts only after the fixtures have made their data at the real time: a proposal "60
    days ahead" or a question "of today" then belonged to another day than the test's."""
    marker = request.node.get_closest_marker("travel")
    if marker is None:
        yield
        return
    with time_machine.travel(*marker.args, **marker.kwargs):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MFA_REQUIRED_FOR_MANAGERS = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Hashing is not what these tests are about; the real hasher costs 0.5 s a user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads of a test never land in the developer's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Feeds are fetched many times across the suite from one address; the limits
    # have their own tests (audit/tests/test_ratelimits.py).
    settings.PUBLIC_FEED_RATE_LIMIT = ""
    settings.PERSONAL_FEED_RATE_LIMIT = ""
    # A cached feed would outlive the test data it was made from (hubs/tests/test_feedcache.py).
    settings.PUBLIC_FEED_CACHE_SECONDS = 0
    settings.REPORT_CACHE_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def hub(db):
    return hub_with_schedule(name="Feijenoord")


@pytest.fixture
def other_hub(db):
    return hub_with_schedule(name="Bloemhof")


@pytest.fixture
def host(hub):
    return give_role(UserFactory(email="host@example.org"), Role.HOST, hub)


@pytest.fixture
def medewerker(db):
    return give_role(UserFactory(email="medewerker@example.org"), Role.MEDEWERKER)


@pytest.fixture
def kcc(db):
    return give_role(UserFactory(email="kcc@example.org"), Role.KCC)


@pytest.fixture
def wijkmanager(hub):
    return give_role(UserFactory(email="wijkmanager@example.org"), Role.WIJKMANAGER, hub)


@pytest.fixture
def wijkraad(hub):
    return give_role(UserFactory(email="wijkraad@example.org"), Role.WIJKRAAD, hub)


@pytest.fixture
def coordinator(db):
    return give_role(UserFactory(email="coordinator@example.org"), Role.COORDINATOR)


@pytest.fixture
def outsider(other_hub):
    """Staff of another hub: a wijkmanager of ``other_hub`` only."""
    return give_role(UserFactory(email="outsider@example.org"), Role.WIJKMANAGER, other_hub)


@pytest.fixture
def cast(host, medewerker, kcc, wijkmanager, wijkraad, coordinator, outsider):
    return {
        "host": host,
        "medewerker": medewerker,
        "kcc": kcc,
        "wijkmanager": wijkmanager,
        "wijkraad": wijkraad,
        "coordinator": coordinator,
        "outsider": outsider,
    }


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright. CI installs it; elsewhere the
    browser tests are skipped when it is missing (CI=true makes that a failure)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs it")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live_server):
    """Opens a fresh browser context (its own cookies) per call: ``new_page(width, height)``."""
    contexts = []

    def make(width=1280, height=900, **kwargs):
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            base_url=live_server.url,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            **kwargs,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def login(password):
    """Logs ``user`` in through the real login form of ``page``."""

    def do_login(page, user):
        page.goto("/accounts/login/")
        page.get_by_label("E-mailadres").fill(user.email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        return page

    return do_login
