"""The public feeds come from the cache until opening data changes."""

import datetime as dt
from unittest import mock

import pytest
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


@pytest.mark.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
def test_json_feed_is_served_from_the_cache(client, hub, django_assert_num_queries):
    url = reverse("public:opening_json")
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
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


# --- the resident pages keep their content, not the page around it ---------------------------


@pytest.mark.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
@pytest.mark.parametrize("name", ["public:hub_list", "public:hub_detail"])
def test_resident_pages_keep_their_content_but_not_the_csrf_token(
    client, hub, name, django_assert_num_queries
):
    url = reverse(name, args=[hub.slug] if name == "public:hub_detail" else [])
    first = client.get(url)
    assert first.status_code == 200
    # From the cache, with what the page around the content needs (the list: the
    # districts for its filter; a hub's page: the hub): no query at all.
    with django_assert_num_queries(0):
        second = client.get(url)
    assert hub.name in second.content.decode()
    # The content is the same; the language form around it gets its own CSRF token.
    main = second.content.decode().split('<main id="main"')[1]
    assert main == first.content.decode().split('<main id="main"')[1]
    other = type(client)()
    token = other.get(url).content.decode().split('name="csrfmiddlewaretoken" value="')[1][:20]
    assert token not in first.content.decode()


@pytest.mark.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
def test_a_closure_shows_on_the_cached_resident_pages_at_once(client, hub):
    detail = reverse("public:hub_detail", args=[hub.slug])
    hub_list = reverse("public:hub_list")
    assert "Lekkage" not in client.get(detail).content.decode()
    assert 'data-status="open"' in client.get(hub_list).content.decode()
    Closure.objects.create(
        hub=hub, start_date=dt.date(2026, 11, 23), end_date=dt.date(2026, 11, 23), reason="Lekkage"
    )
    assert "Lekkage" in client.get(detail).content.decode()
    assert 'data-status="open"' not in client.get(hub_list).content.decode()


@pytest.mark.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
def test_a_renamed_hub_or_district_shows_on_the_cached_resident_pages_at_once(client, hub):
    detail = reverse("public:hub_detail", args=[hub.slug])
    hub_list = reverse("public:hub_list")
    client.get(detail), client.get(hub_list)
    hub.name = "Hub Nieuwe Naam"
    hub.save()
    hub.gebied.name = "Gebied Nieuwe Naam"
    hub.gebied.save()
    assert "Hub Nieuwe Naam" in client.get(detail).content.decode()
    listed = client.get(hub_list).content.decode()
    assert "Hub Nieuwe Naam" in listed and "Gebied Nieuwe Naam" in listed
    # A hub that is no longer open to residents is gone from its cached page at once.
    hub.is_active = False
    hub.save()
    assert client.get(detail).status_code == 404


def test_an_unknown_hub_is_answered_404_and_not_kept(client, hub):
    with mock.patch("hubs.feedcache.cache", wraps=cache) as spy:
        for n in range(3):
            url = reverse("public:hub_detail", args=[f"geen-hub-{n}"])
            assert client.get(url).status_code == 404
        assert not [c for c in spy.set.call_args_list if "geen-hub" in c.args[0]]


def test_an_unknown_week_is_answered_but_not_kept(client, hub):
    url = reverse("public:hub_detail", args=[hub.slug])
    with mock.patch("hubs.feedcache.cache", wraps=cache) as spy:
        for n in range(3):
            response = client.get(url, {"week": f"rubbish{n}"})
            assert response.status_code == 400
            assert f"rubbish{n}" in response.content.decode()
        assert not [c for c in spy.set.call_args_list if "hub-detail" in c.args[0]]
        client.get(url)
        assert [c for c in spy.set.call_args_list if "hub-detail" in c.args[0]]
