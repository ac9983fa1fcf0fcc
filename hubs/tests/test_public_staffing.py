"""What residents see follows the roster: after the decision time (the day before at
12:00) a dagdeel still under its minimum is "onder voorbehoud" -- or closed, if the
city chooses that (settings.PUBLIC_UNDERSTAFFED)."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from hubs.constants import Dagdeel
from hubs.opening import OpeningCalendar
from scheduling.services import shifts_sync, signup_create
from tests.factories import hub_with_schedule, staff_member

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 30)  # the hub opens Monday morning (STANDARD_WEEK)


@pytest.fixture
def hub_with_shifts():
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, tzinfo=AMS)):
        hub = hub_with_schedule(name="Hillesluis", min_staff=2, max_staff=3)
        shifts_sync(hubs=[hub], last=MONDAY + dt.timedelta(days=7))
    return hub


def _monday_opening(hub, at):
    with time_machine.travel(at):
        calendar = OpeningCalendar([hub], MONDAY, MONDAY, staffing=True)
        day = calendar.day(hub.pk, MONDAY)
    return day


def test_before_the_decision_time_an_understaffed_dagdeel_is_shown_as_normal(hub_with_shifts):
    day = _monday_opening(hub_with_shifts, dt.datetime(2026, 11, 29, 11, 59, tzinfo=AMS))
    assert [o.tentative for o in day.openings] == [False]


def test_after_the_decision_time_an_understaffed_dagdeel_is_tentative(hub_with_shifts):
    day = _monday_opening(hub_with_shifts, dt.datetime(2026, 11, 29, 12, 0, tzinfo=AMS))
    assert [o.tentative for o in day.openings] == [True]
    assert day.is_open


def test_a_staffed_dagdeel_is_not_tentative(hub_with_shifts):
    shift = hub_with_shifts.shifts.get(date=MONDAY, dagdeel=Dagdeel.OCHTEND)
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, tzinfo=AMS)):
        for _ in range(2):
            signup_create(shift_id=shift.pk, user=staff_member())
    day = _monday_opening(hub_with_shifts, dt.datetime(2026, 11, 29, 18, tzinfo=AMS))
    assert [o.tentative for o in day.openings] == [False]


def test_the_city_can_show_understaffed_dagdelen_as_closed(hub_with_shifts, settings):
    settings.PUBLIC_UNDERSTAFFED = "closed"
    day = _monday_opening(hub_with_shifts, dt.datetime(2026, 11, 29, 13, tzinfo=AMS))
    assert day.openings == []
    assert [o.dagdeel for o in day.understaffed] == [Dagdeel.OCHTEND]
    assert not day.is_open


def test_staff_pages_ignore_staffing(hub_with_shifts):
    with time_machine.travel(dt.datetime(2026, 11, 29, 13, tzinfo=AMS)):
        day = OpeningCalendar([hub_with_shifts], MONDAY, MONDAY).day(hub_with_shifts.pk, MONDAY)
    assert [o.tentative for o in day.openings] == [False]


def test_public_pages_and_feeds_say_onder_voorbehoud(client, hub_with_shifts, settings):
    with time_machine.travel(dt.datetime(2026, 11, 29, 13, tzinfo=AMS)):
        page = client.get(reverse("public:hub_detail", args=[hub_with_shifts.slug]))
        data = json.loads(client.get(reverse("public:opening_json")).content)
        ical = client.get(reverse("public:hub_ical", args=[hub_with_shifts.slug])).content
    assert 'data-status="tentative"' in page.content.decode()
    monday = next(d for d in data["hubs"][0]["days"] if d["date"] == MONDAY.isoformat())
    assert monday["openings"][0]["tentative"] is True
    assert b"STATUS:TENTATIVE" in ical

    settings.PUBLIC_UNDERSTAFFED = "closed"
    with time_machine.travel(dt.datetime(2026, 11, 29, 13, tzinfo=AMS)):
        page = client.get(reverse("public:hub_detail", args=[hub_with_shifts.slug]))
        data = json.loads(client.get(reverse("public:opening_json")).content)
    assert 'data-status="understaffed"' in page.content.decode()
    monday = next(d for d in data["hubs"][0]["days"] if d["date"] == MONDAY.isoformat())
    assert monday["open"] is False
    assert monday["closed_for_staffing"] == ["ochtend"]
