"""The machine-readable opening hours: the JSON feed, iCalendar per hub, JSON-LD."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from hubs.constants import Dagdeel
from tests.factories import (
    ClosingDayFactory,
    ClosureFactory,
    HubFactory,
    MobileStopFactory,
    OpeningSlotFactory,
    ScheduleVersionFactory,
    hub_with_schedule,
)

AMS = ZoneInfo("Europe/Amsterdam")
JSON_URL = "/wijkhubs/openingstijden.json"
# Tuesday in the week summer time ends (Sunday 25 October 2026, 03:00 -> 02:00).
OCTOBER = dt.datetime(2026, 10, 20, 10, 0, tzinfo=AMS)
# Monday in the week summer time starts (Sunday 28 March 2027, 02:00 -> 03:00).
MARCH = dt.datetime(2027, 3, 22, 10, 0, tzinfo=AMS)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    hubs = {
        "feijenoord": hub_with_schedule(name="Feijenoord"),
        "bloemhof": hub_with_schedule(name="Bloemhof"),
        "crooswijk": hub_with_schedule(name="Crooswijk"),
    }
    hub_with_schedule(name="Gesloten hub", is_active=False)
    mobile = HubFactory(name="Mobiele wijkhub", is_mobile=True, address="")
    MobileStopFactory(
        hub=mobile,
        date=dt.date(2026, 10, 27),
        dagdeel=Dagdeel.OCHTEND,
        place="Afrikaandermarkt",
        address="Afrikaanderplein",
    )
    hubs["mobiele-wijkhub"] = mobile
    ClosureFactory(
        hub=hubs["bloemhof"],
        start_date=dt.date(2026, 10, 22),
        end_date=dt.date(2026, 10, 22),
        reason="Verbouwing",
    )
    return hubs


def _days(data, slug):
    (hub,) = [h for h in data["hubs"] if h["slug"] == slug]
    return {d["date"]: d for d in hub["days"]}


# --- JSON -----------------------------------------------------------------------------------


def test_json_feed_has_fourteen_days_for_every_active_hub(client, city):
    with time_machine.travel(OCTOBER, tick=False):
        response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert {h["slug"] for h in data["hubs"]} == set(city)
    assert (data["from"], data["until"]) == ("2026-10-20", "2026-11-02")
    for hub in data["hubs"]:
        dates = [d["date"] for d in hub["days"]]
        assert len(dates) == 14
        assert dates[0] == "2026-10-20"
        assert dates[-1] == "2026-11-02"


def test_json_feed_gives_local_times_with_the_right_offset_across_october(client, city):
    with time_machine.travel(OCTOBER, tick=False):
        data = json.loads(client.get(JSON_URL).content)
    days = _days(data, "feijenoord")
    # Thursday before the switch: summer time.
    assert [(o["start"], o["end"]) for o in days["2026-10-22"]["openings"]] == [
        ("2026-10-22T09:00:00+02:00", "2026-10-22T12:30:00+02:00"),
        ("2026-10-22T13:00:00+02:00", "2026-10-22T17:00:00+02:00"),
    ]
    # Monday after the switch: standard time, the same local hours.
    assert days["2026-10-26"]["openings"] == [
        {
            "dagdeel": "ochtend",
            "start": "2026-10-26T09:00:00+01:00",
            "end": "2026-10-26T12:30:00+01:00",
            "tentative": False,
        }
    ]
    assert days["2026-10-25"] == {
        "date": "2026-10-25",
        "open": False,
        "closed_reason": None,
        "openings": [],
        "closed_for_staffing": [],
    }


def test_json_feed_gives_local_times_with_the_right_offset_across_march(client, city):
    with time_machine.travel(MARCH, tick=False):
        data = json.loads(client.get(JSON_URL).content)
    days = _days(data, "feijenoord")
    assert days["2027-03-22"]["openings"][0]["start"] == "2027-03-22T09:00:00+01:00"
    assert days["2027-03-29"]["openings"][0]["start"] == "2027-03-29T09:00:00+02:00"
    assert days["2027-03-30"]["openings"][0]["start"] == "2027-03-30T13:00:00+02:00"


def test_json_feed_shows_closures_and_holidays(client, city):
    ClosingDayFactory(date=dt.date(2026, 10, 26), name="Stadsbrede studiedag")
    with time_machine.travel(OCTOBER, tick=False):
        data = json.loads(client.get(JSON_URL).content)
    closed = _days(data, "bloemhof")["2026-10-22"]
    assert (closed["open"], closed["closed_reason"], closed["openings"]) == (
        False,
        "Verbouwing",
        [],
    )
    assert _days(data, "feijenoord")["2026-10-22"]["open"] is True
    for slug in city:
        assert _days(data, slug)["2026-10-26"]["closed_reason"] == "Stadsbrede studiedag"


def test_json_feed_gives_the_mobile_hubs_place(client, city):
    with time_machine.travel(OCTOBER, tick=False):
        data = json.loads(client.get(JSON_URL).content)
    (mobile,) = [h for h in data["hubs"] if h["slug"] == "mobiele-wijkhub"]
    assert mobile["mobile"] is True
    opened = [d for d in mobile["days"] if d["open"]]
    assert [d["date"] for d in opened] == ["2026-10-27"]
    assert opened[0]["openings"][0] == {
        "dagdeel": "ochtend",
        "start": "2026-10-27T09:00:00+01:00",
        "end": "2026-10-27T12:30:00+01:00",
        "tentative": False,
        "place": "Afrikaandermarkt",
        "address": "Afrikaanderplein",
    }


def test_json_feed_refuses_post(client, city):
    assert client.post(JSON_URL).status_code == 405


# --- iCalendar ----------------------------------------------------------------------------------


def _events(response):
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_ical_events_carry_the_amsterdam_timezone_and_local_times(client, city):
    with time_machine.travel(OCTOBER, tick=False):
        response = client.get("/wijkhubs/feijenoord/openingstijden.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, events = _events(response)
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Amsterdam"

    before = events["feijenoord-2026-10-22-ochtend@wijkhubs"]
    after = events["feijenoord-2026-10-26-ochtend@wijkhubs"]
    for event in (before, after):
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert event["DTEND"].params["TZID"] == "Europe/Amsterdam"
    assert before["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2026, 10, 22, 9, 0)
    assert after["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2026, 10, 26, 9, 0)
    assert after["DTEND"].dt.replace(tzinfo=None) == dt.datetime(2026, 10, 26, 12, 30)
    # The same wall-clock time is one hour later in UTC after summer time ends.
    assert before["DTSTART"].dt.utcoffset() == dt.timedelta(hours=2)
    assert after["DTSTART"].dt.utcoffset() == dt.timedelta(hours=1)
    assert after["DTSTART"].dt == dt.datetime(2026, 10, 26, 8, 0, tzinfo=dt.UTC)
    assert str(after["LOCATION"]) == city["feijenoord"].full_address


def test_ical_leaves_out_closed_days(client, city):
    with time_machine.travel(OCTOBER, tick=False):
        _, events = _events(client.get("/wijkhubs/bloemhof/openingstijden.ics"))
    assert not any("2026-10-22" in uid for uid in events)
    assert "bloemhof-2026-10-26-ochtend@wijkhubs" in events


def test_ical_of_the_mobile_hub_is_at_its_stop(client, city):
    with time_machine.travel(OCTOBER, tick=False):
        _, events = _events(client.get("/wijkhubs/mobiele-wijkhub/openingstijden.ics"))
    assert list(events) == ["mobiele-wijkhub-2026-10-27-ochtend@wijkhubs"]
    event = events["mobiele-wijkhub-2026-10-27-ochtend@wijkhubs"]
    assert str(event["LOCATION"]) == "Afrikaandermarkt, Afrikaanderplein"


def test_ical_vtimezone_covers_a_range_into_next_year(client):
    hub_with_schedule(name="Feijenoord")
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, tzinfo=AMS), tick=False):
        response = client.get("/wijkhubs/feijenoord/openingstijden.ics")
    calendar, events = _events(response)
    assert "feijenoord-2027-02-11-ochtend@wijkhubs" in events
    (vtimezone,) = calendar.walk("VTIMEZONE")
    # The March 2027 switch is described, so clients can place the events after it.
    daylight = b"".join(c.to_ical() for c in vtimezone.walk("DAYLIGHT"))
    assert b"20270328T" in daylight


@pytest.mark.parametrize("slug", ["gesloten-hub", "bestaat-niet"])
def test_ical_of_an_inactive_or_unknown_hub_is_not_found(client, city, slug):
    assert client.get(f"/wijkhubs/{slug}/openingstijden.ics").status_code == 404


def test_ical_refuses_post(client, city):
    assert client.post("/wijkhubs/feijenoord/openingstijden.ics").status_code == 405


# --- JSON-LD on the hub page ---------------------------------------------------------------------

_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _json_ld(response):
    (raw,) = _LD.findall(response.content.decode())
    return json.loads(raw)


def test_json_ld_is_schema_org_opening_hours_with_closures_as_special_hours(client, city):
    with time_machine.travel(OCTOBER, tick=False):
        data = _json_ld(client.get("/wijkhubs/bloemhof/"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentOffice"
    assert data["url"] == "http://testserver/wijkhubs/bloemhof/"
    assert data["address"]["@type"] == "PostalAddress"
    regular = data["openingHoursSpecification"]
    assert {s["@type"] for s in regular} == {"OpeningHoursSpecification"}
    assert [(s["dayOfWeek"], s["opens"], s["closes"]) for s in regular] == [
        ("https://schema.org/Monday", "09:00", "12:30"),
        ("https://schema.org/Tuesday", "13:00", "17:00"),
        ("https://schema.org/Thursday", "09:00", "12:30"),
        ("https://schema.org/Thursday", "13:00", "17:00"),
    ]
    assert data["specialOpeningHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-10-22",
            "validThrough": "2026-10-22",
            "opens": "00:00",
            "closes": "00:00",
            "description": "Verbouwing",
        }
    ]


def test_json_ld_announces_a_planned_schedule_change(client, city):
    hub = city["feijenoord"]
    new = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 11, 2))
    OpeningSlotFactory(version=new, weekday=4, dagdeel=Dagdeel.MIDDAG)
    with time_machine.travel(OCTOBER, tick=False):
        regular = _json_ld(client.get("/wijkhubs/feijenoord/"))["openingHoursSpecification"]
    old = [s for s in regular if s["validFrom"] == "2020-01-06"]
    assert len(old) == 4
    assert {s["validThrough"] for s in old} == {"2026-11-01"}
    (friday,) = [s for s in regular if s["validFrom"] == "2026-11-02"]
    assert friday["dayOfWeek"] == "https://schema.org/Friday"
    assert "validThrough" not in friday


def test_json_ld_of_the_mobile_hub_lists_its_stops(client, city):
    with time_machine.travel(OCTOBER, tick=False):
        data = _json_ld(client.get("/wijkhubs/mobiele-wijkhub/"))
    assert "openingHoursSpecification" not in data
    assert data["specialOpeningHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": "2026-10-27",
            "validThrough": "2026-10-27",
            "opens": "09:00",
            "closes": "12:30",
            "description": "Afrikaandermarkt, Afrikaanderplein",
        }
    ]


def test_json_ld_cannot_be_broken_out_of_by_a_closure_reason(client, city):
    ClosureFactory(
        hub=city["crooswijk"],
        start_date=dt.date(2026, 10, 22),
        end_date=dt.date(2026, 10, 22),
        reason="</script><script>alert(1)</script>",
    )
    with time_machine.travel(OCTOBER, tick=False):
        response = client.get("/wijkhubs/crooswijk/")
    assert b"<script>alert(1)" not in response.content
    special = _json_ld(response)["specialOpeningHoursSpecification"]
    assert special[0]["description"] == "</script><script>alert(1)</script>"
