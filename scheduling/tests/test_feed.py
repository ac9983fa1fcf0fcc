"""The personal calendar feed (scheduling:feed): reachable without logging in, with the
token as the key, and correct Europe/Amsterdam times across the end of summer time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from hubs.constants import Dagdeel
from scheduling import services
from scheduling.models import CalendarFeed
from tests.factories import HubFactory, make_shift, staff_member

AMS = ZoneInfo("Europe/Amsterdam")
# Tuesday before summer time ends (Sunday 25 October 2026, 03:00 -> 02:00).
NOW = dt.datetime(2026, 10, 20, 10, 0, tzinfo=AMS)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def person():
    return staff_member()


@pytest.fixture
def feed_url(person):
    return reverse("scheduling:feed", args=[CalendarFeed.objects.create(user=person).token])


@pytest.fixture
def hub():
    return HubFactory(name="Feijenoord", address="Oranjeboomstraat 169", postcode="3071 SJ")


def _events(response) -> dict[str, object]:
    cal = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_the_feed_needs_no_login_and_is_icalendar(client, feed_url):
    response = client.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"


def test_an_unknown_token_is_not_found(client, feed_url):
    assert client.get(reverse("scheduling:feed", args=["geraden-token"])).status_code == 404


def test_the_feed_of_a_deactivated_account_is_gone(client, person, feed_url):
    person.is_active = False
    person.save()
    assert client.get(feed_url).status_code == 404


def test_the_feed_cannot_be_posted_to(client, feed_url):
    assert client.post(feed_url).status_code == 405


def test_places_keep_nine_oclock_local_time_across_the_end_of_summer_time(
    client, person, feed_url, hub
):
    friday = make_shift(hub=hub, day=dt.date(2026, 10, 23), dagdeel=Dagdeel.OCHTEND)
    monday = make_shift(hub=hub, day=dt.date(2026, 10, 26), dagdeel=Dagdeel.OCHTEND)
    before = services.signup_create(shift_id=friday.pk, user=person)
    after = services.signup_create(shift_id=monday.pk, user=person)

    events = _events(client.get(feed_url))

    start = events[f"signup-{before.pk}@wijkhubs"]["DTSTART"]
    assert start.params["TZID"] == "Europe/Amsterdam"
    assert start.dt.replace(tzinfo=None) == dt.datetime(2026, 10, 23, 9, 0)
    assert start.dt.utcoffset() == dt.timedelta(hours=2)
    assert start.dt == dt.datetime(2026, 10, 23, 7, 0, tzinfo=dt.UTC)
    start = events[f"signup-{after.pk}@wijkhubs"]["DTSTART"]
    assert start.params["TZID"] == "Europe/Amsterdam"
    assert start.dt.replace(tzinfo=None) == dt.datetime(2026, 10, 26, 9, 0)
    assert start.dt.utcoffset() == dt.timedelta(hours=1)
    assert start.dt == dt.datetime(2026, 10, 26, 8, 0, tzinfo=dt.UTC)
    end = events[f"signup-{after.pk}@wijkhubs"]["DTEND"]
    assert end.dt.replace(tzinfo=None) == dt.datetime(2026, 10, 26, 12, 30)


def test_an_event_names_the_hub_and_dagdeel_and_has_its_address(client, person, feed_url, hub):
    shift = make_shift(hub=hub, day=dt.date(2026, 10, 23), dagdeel=Dagdeel.MIDDAG)
    place = services.signup_create(shift_id=shift.pk, user=person)
    event = _events(client.get(feed_url))[f"signup-{place.pk}@wijkhubs"]
    assert str(event["SUMMARY"]) == f"Wijkhub Feijenoord – {Dagdeel.MIDDAG.label}"
    assert str(event["LOCATION"]) == "Oranjeboomstraat 169, 3071 SJ Rotterdam"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_uid_stays_the_same_and_a_cancelled_place_is_marked_cancelled(
    client, person, feed_url, hub
):
    shift = make_shift(hub=hub, day=dt.date(2026, 10, 30))
    place = services.signup_create(shift_id=shift.pk, user=person)
    uid = f"signup-{place.pk}@wijkhubs"
    assert str(_events(client.get(feed_url))[uid]["STATUS"]) == "CONFIRMED"
    services.signup_cancel(signup_id=place.pk, user=person)
    event = _events(client.get(feed_url))[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_a_closed_dagdeel_is_cancelled_in_the_calendar(client, person, feed_url, hub):
    shift = make_shift(hub=hub, day=dt.date(2026, 10, 30))
    place = services.signup_create(shift_id=shift.pk, user=person)
    services.shift_cancel(shift=shift, reason="Verbouwing")
    event = _events(client.get(feed_url))[f"signup-{place.pk}@wijkhubs"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Verbouwing" in str(event["DESCRIPTION"])


def test_the_feed_has_only_my_places_from_thirty_days_back(client, person, feed_url, hub):
    old = make_shift(hub=hub, day=dt.date(2026, 9, 10))
    recent = make_shift(hub=hub, day=dt.date(2026, 9, 25))
    full = make_shift(hub=hub, day=dt.date(2026, 10, 27), min_staff=1, max_staff=1)
    someone_elses = make_shift(hub=hub, day=dt.date(2026, 10, 28))
    frozen_back = dt.datetime(2026, 9, 1, 10, 0, tzinfo=AMS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: frozen_back)
        too_old = services.signup_create(shift_id=old.pk, user=person)
        kept = services.signup_create(shift_id=recent.pk, user=person)
    services.signup_create(shift_id=full.pk, user=staff_member())
    waiting = services.waitlist_join(shift_id=full.pk, user=person)
    other = services.signup_create(shift_id=someone_elses.pk, user=staff_member())

    uids = set(_events(client.get(feed_url)))

    assert f"signup-{kept.pk}@wijkhubs" in uids
    assert f"signup-{too_old.pk}@wijkhubs" not in uids
    assert f"signup-{waiting.pk}@wijkhubs" not in uids
    assert f"signup-{other.pk}@wijkhubs" not in uids
