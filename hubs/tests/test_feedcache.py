"""The public feeds come from the cache until opening data changes."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from hubs.models import Closure

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def fresh_cache(settings):
    settings.PUBLIC_FEED_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
def test_json_feed_is_served_from_the_cache(client, hub, django_assert_num_queries):
    url = reverse("public:opening_json")
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
def test_a_closure_makes_the_cached_feeds_stale_at_once(client, hub):
    ical = reverse("public:hub_ical", args=[hub.slug])
    before = client.get(ical)
    Closure.objects.create(
        hub=hub, start_date=dt.date(2026, 11, 24), end_date=dt.date(2026, 11, 24), reason="Lekkage"
    )
    after = client.get(ical)
    assert after.content != before.content
    assert "Lekkage" in after.content.decode() or after.content.decode().count("VEVENT") < (
        before.content.decode().count("VEVENT")
    )
    assert after["Content-Disposition"] == before["Content-Disposition"]


def test_the_cache_expires_after_its_time(client, hub, settings):
    # Real time, not time_machine: Redis (in CI) keeps its own clock for expiry.
    import time

    settings.PUBLIC_FEED_CACHE_SECONDS = 1
    url = reverse("public:opening_json")
    first = client.get(url)
    assert client.get(url).content == first.content
    time.sleep(1.5)
    later = client.get(url)
    # generated_at is part of the body: a fresh response differs.
    assert later.content != first.content
