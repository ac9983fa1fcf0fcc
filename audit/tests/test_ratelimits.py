"""The feeds anyone can fetch are rate-limited per client address."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from scheduling.models import CalendarFeed


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_public_json_feed_answers_429_over_the_limit(client, hub, settings):
    settings.PUBLIC_FEED_RATE_LIMIT = "3/m"
    url = reverse("public:opening_json")
    codes = [client.get(url, REMOTE_ADDR="10.0.0.1").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get(url, REMOTE_ADDR="10.0.0.1")
    assert limited["Retry-After"] == "60"
    # Another address has its own count.
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_hub_calendar_feed_is_limited(client, hub, settings):
    settings.PUBLIC_FEED_RATE_LIMIT = "2/m"
    url = reverse("public:hub_ical", args=[hub.slug])
    codes = [client.get(url, REMOTE_ADDR="10.0.0.3").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_guessing_personal_feed_addresses_is_limited(client, medewerker, settings):
    settings.PERSONAL_FEED_RATE_LIMIT = "5/m"
    real = CalendarFeed.objects.create(user=medewerker)
    guesses = [
        client.get(reverse("scheduling:feed", args=[f"guess{i}"]), REMOTE_ADDR="10.0.0.4")
        for i in range(5)
    ]
    assert [r.status_code for r in guesses] == [404] * 5
    # Even the right token is refused now, from this address.
    assert (
        client.get(
            reverse("scheduling:feed", args=[real.token]), REMOTE_ADDR="10.0.0.4"
        ).status_code
        == 429
    )


def test_forwarded_for_counts_only_when_trusted(client, hub, settings):
    settings.PUBLIC_FEED_RATE_LIMIT = "1/m"
    url = reverse("public:opening_json")
    settings.TRUST_X_FORWARDED_FOR = True
    first = client.get(url, REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = client.get(url, REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert (first.status_code, second.status_code) == (200, 200)
    settings.TRUST_X_FORWARDED_FOR = False
    third = client.get(url, REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    fourth = client.get(url, REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert (third.status_code, fourth.status_code) == (200, 429)
