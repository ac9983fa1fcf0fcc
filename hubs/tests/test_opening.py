"""When is a hub open? Hub.is_open_at / next_opening / opening_for_week and the
OpeningCalendar behind them, with the clock frozen where "now" matters.

The standard week of the test hubs (tests.factories.STANDARD_WEEK) is Monday
morning, Tuesday afternoon, and Thursday morning and afternoon, at the city's
standard times: ochtend 09:00–12:30, middag 13:00–17:00.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from hubs.constants import DEFAULT_TIMES, Dagdeel
from hubs.models import Closure, ScheduleVersion
from hubs.opening import OpeningCalendar
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
UTC = dt.UTC

MONDAY = dt.date(2026, 6, 1)
TUESDAY = MONDAY + dt.timedelta(days=1)
WEDNESDAY = MONDAY + dt.timedelta(days=2)
THURSDAY = MONDAY + dt.timedelta(days=3)
SATURDAY = MONDAY + dt.timedelta(days=5)
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=AMS)


pytestmark = pytest.mark.django_db


# --- boundaries -------------------------------------------------------------------


def test_open_from_the_first_minute_of_a_dagdeel():
    hub = hub_with_schedule()
    assert hub.is_open_at(local(MONDAY, 9, 0))


def test_closed_the_second_before_opening():
    hub = hub_with_schedule()
    assert not hub.is_open_at(local(MONDAY, 8, 59, 59))


def test_open_until_but_not_at_closing_time():
    hub = hub_with_schedule()
    assert hub.is_open_at(local(MONDAY, 12, 29, 59))
    assert not hub.is_open_at(local(MONDAY, 12, 30))


def test_closed_between_two_dagdelen_of_the_same_day():
    hub = hub_with_schedule()
    assert hub.is_open_at(local(THURSDAY, 12, 0))
    assert not hub.is_open_at(local(THURSDAY, 12, 45))
    assert hub.is_open_at(local(THURSDAY, 13, 0))


def test_closed_on_a_day_without_slots():
    hub = hub_with_schedule()
    assert not hub.is_open_at(local(WEDNESDAY, 10, 0))


def test_a_moment_in_another_timezone_is_compared_as_the_same_instant():
    hub = hub_with_schedule()
    # 07:30 UTC is 09:30 in Amsterdam in June (CEST, +02:00).
    assert hub.is_open_at(dt.datetime(2026, 6, 1, 7, 30, tzinfo=UTC))
    # 10:45 UTC is 12:45 local: after the morning.
    assert not hub.is_open_at(dt.datetime(2026, 6, 1, 10, 45, tzinfo=UTC))


# --- next opening ---------------------------------------------------------------


def test_saturday_just_before_midnight_next_opening_is_monday_morning():
    hub = hub_with_schedule()
    with time_machine.travel(local(SATURDAY, 23, 59), tick=False):
        opening = hub.next_opening(timezone.now())
    assert opening.date == NEXT_MONDAY
    assert opening.dagdeel == Dagdeel.OCHTEND
    assert opening.start == local(NEXT_MONDAY, 9, 0)


def test_at_midnight_the_new_day_is_searched_from_its_start():
    hub = hub_with_schedule()
    opening = hub.next_opening(local(THURSDAY, 0, 0))
    assert opening.start == local(THURSDAY, 9, 0)


def test_next_opening_is_the_one_going_on_now():
    hub = hub_with_schedule()
    opening = hub.next_opening(local(THURSDAY, 10, 0))
    assert opening.start == local(THURSDAY, 9, 0)
    assert opening.end == local(THURSDAY, 12, 30)


def test_next_opening_after_closing_time_is_the_next_dagdeel():
    hub = hub_with_schedule()
    opening = hub.next_opening(local(THURSDAY, 12, 30))
    assert opening.start == local(THURSDAY, 13, 0)


def test_next_opening_skips_a_closure():
    hub = hub_with_schedule()
    # Closed from Monday to Thursday: the first opening is next Monday.
    ClosureFactory(hub=hub, start_date=MONDAY, end_date=THURSDAY, reason="Verbouwing")
    opening = hub.next_opening(local(MONDAY, 8, 0))
    assert opening.start == local(NEXT_MONDAY, 9, 0)


def test_next_opening_is_none_when_nothing_in_the_window():
    hub = hub_with_schedule()
    ClosureFactory(hub=hub, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=60))
    assert hub.next_opening(local(MONDAY, 8, 0), days=28) is None


def test_hub_without_schedule_is_never_open():
    hub = HubFactory()
    assert not hub.is_open_at(local(MONDAY, 10, 0))
    assert hub.next_opening(local(MONDAY, 8, 0)) is None


# --- summer time ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("monday_before", "monday_after", "offset_before", "offset_after"),
    [
        # Summer time ends on Sunday 25 October 2026: +02:00 -> +01:00.
        (dt.date(2026, 10, 19), dt.date(2026, 10, 26), 2, 1),
        # Summer time starts on Sunday 28 March 2027: +01:00 -> +02:00.
        (dt.date(2027, 3, 22), dt.date(2027, 3, 29), 1, 2),
    ],
)
def test_an_opening_keeps_its_local_hours_across_the_clock_change(
    monday_before, monday_after, offset_before, offset_after
):
    hub = hub_with_schedule()
    before = hub.opening_for_week(monday_before)[0].openings[0]
    after = hub.opening_for_week(monday_after)[0].openings[0]

    assert timezone.localtime(before.start).time() == dt.time(9, 0)
    assert timezone.localtime(after.start).time() == dt.time(9, 0)
    assert before.start.utcoffset() == dt.timedelta(hours=offset_before)
    assert after.start.utcoffset() == dt.timedelta(hours=offset_after)
    # So the same local 09:00 is a different instant in UTC.
    assert before.start.astimezone(UTC).hour == 9 - offset_before
    assert after.start.astimezone(UTC).hour == 9 - offset_after


def test_is_open_at_with_utc_moments_around_the_october_switch():
    hub = hub_with_schedule()
    # Monday before the switch (CEST): 07:00Z is 09:00 local.
    assert hub.is_open_at(dt.datetime(2026, 10, 19, 7, 0, tzinfo=UTC))
    assert not hub.is_open_at(dt.datetime(2026, 10, 19, 6, 59, tzinfo=UTC))
    # Monday after the switch (CET): 07:30Z is only 08:30 local; 08:00Z is 09:00.
    assert not hub.is_open_at(dt.datetime(2026, 10, 26, 7, 30, tzinfo=UTC))
    assert hub.is_open_at(dt.datetime(2026, 10, 26, 8, 0, tzinfo=UTC))
    # 12:30 local = 11:30Z closes it.
    assert hub.is_open_at(dt.datetime(2026, 10, 26, 11, 29, tzinfo=UTC))
    assert not hub.is_open_at(dt.datetime(2026, 10, 26, 11, 30, tzinfo=UTC))


def test_is_open_at_with_utc_moments_around_the_march_switch():
    hub = hub_with_schedule()
    # Monday before the switch (CET): 08:00Z is 09:00 local.
    assert not hub.is_open_at(dt.datetime(2027, 3, 22, 7, 30, tzinfo=UTC))
    assert hub.is_open_at(dt.datetime(2027, 3, 22, 8, 0, tzinfo=UTC))
    # Monday after (CEST): 07:00Z is already 09:00 local.
    assert hub.is_open_at(dt.datetime(2027, 3, 29, 7, 0, tzinfo=UTC))
    assert not hub.is_open_at(dt.datetime(2027, 3, 29, 10, 30, tzinfo=UTC))


def test_saturday_night_before_the_october_switch_finds_monday_at_local_nine():
    hub = hub_with_schedule()
    with time_machine.travel(local(dt.date(2026, 10, 24), 23, 59), tick=False):
        opening = hub.next_opening(timezone.now())
    assert opening.start == local(dt.date(2026, 10, 26), 9, 0)
    assert opening.start.isoformat() == "2026-10-26T09:00:00+01:00"


# --- closing days and closures ------------------------------------------------------------


def test_a_public_holiday_closes_the_hub():
    hub = hub_with_schedule()
    ClosingDayFactory(date=MONDAY, name="Tweede pinksterdag")
    status = hub.opening_for_week(MONDAY)[0]
    assert not status.is_open
    assert status.closed_reason == "Tweede pinksterdag"
    assert not hub.is_open_at(local(MONDAY, 10, 0))


def test_a_closing_day_switched_off_keeps_the_hub_open():
    hub = hub_with_schedule()
    ClosingDayFactory(date=MONDAY, name="Goede vrijdag", is_closed=False)
    status = hub.opening_for_week(MONDAY)[0]
    assert status.is_open
    assert status.closed_reason == ""
    assert hub.is_open_at(local(MONDAY, 10, 0))


def test_a_closure_of_one_hub_leaves_the_others_open():
    hub = hub_with_schedule(name="Feijenoord")
    other = hub_with_schedule(name="Bloemhof")
    ClosureFactory(hub=hub, start_date=MONDAY, end_date=TUESDAY, reason="Verbouwing")

    assert not hub.is_open_at(local(MONDAY, 10, 0))
    assert not hub.is_open_at(local(TUESDAY, 14, 0))
    assert hub.is_open_at(local(THURSDAY, 10, 0))
    assert other.is_open_at(local(MONDAY, 10, 0))
    assert hub.opening_for_week(MONDAY)[1].closed_reason == "Verbouwing"


def test_a_citywide_closure_closes_every_hub():
    hub = hub_with_schedule(name="Feijenoord")
    other = hub_with_schedule(name="Bloemhof")
    ClosureFactory(hub=None, start_date=MONDAY, end_date=MONDAY, reason="Personeelsdag")

    for h in (hub, other):
        status = h.opening_for_week(MONDAY)[0]
        assert not status.is_open
        assert status.closed_reason == "Personeelsdag"
    assert other.is_open_at(local(TUESDAY, 14, 0))


def test_first_and_last_day_of_a_closure_are_both_closed():
    hub = hub_with_schedule()
    ClosureFactory(hub=hub, start_date=TUESDAY, end_date=THURSDAY)
    week = hub.opening_for_week(MONDAY)
    assert [d.is_open for d in week[:5]] == [True, False, False, False, False]
    assert hub.opening_for_week(NEXT_MONDAY)[0].is_open


# --- schedule versions --------------------------------------------------------------------


def test_a_new_version_takes_over_exactly_on_its_first_day():
    hub = hub_with_schedule()  # STANDARD_WEEK since 2020
    new = ScheduleVersionFactory(hub=hub, valid_from=NEXT_MONDAY)
    OpeningSlotFactory(version=new, weekday=2, dagdeel=Dagdeel.OCHTEND)  # Wednesday only

    # The Sunday before: old schedule (Monday open, Wednesday closed).
    assert hub.is_open_at(local(MONDAY, 10, 0))
    assert not hub.is_open_at(local(WEDNESDAY, 10, 0))
    # From the Monday it is valid: new schedule.
    assert not hub.is_open_at(local(NEXT_MONDAY, 10, 0))
    assert hub.is_open_at(local(NEXT_MONDAY + dt.timedelta(days=2), 10, 0))


def test_a_new_version_does_not_change_the_weeks_before_it():
    hub = hub_with_schedule()
    new = ScheduleVersionFactory(hub=hub, valid_from=NEXT_MONDAY)
    OpeningSlotFactory(version=new, weekday=2, dagdeel=Dagdeel.OCHTEND)

    calendar = OpeningCalendar([hub], MONDAY, NEXT_MONDAY + dt.timedelta(days=6))
    this_week = calendar.week_summary(hub.pk, MONDAY)
    next_week = calendar.week_summary(hub.pk, NEXT_MONDAY)
    assert (this_week.dagdelen, this_week.days) == (4, 3)
    assert (next_week.dagdelen, next_week.days) == (1, 1)
    assert calendar.version_on(hub.pk, NEXT_MONDAY - dt.timedelta(days=1)).valid_from == (
        dt.date(2020, 1, 6)
    )
    assert calendar.version_on(hub.pk, NEXT_MONDAY) == new


def test_days_before_the_first_version_are_closed():
    hub = hub_with_schedule(valid_from=NEXT_MONDAY)
    assert not hub.is_open_at(local(MONDAY, 10, 0))
    assert hub.is_open_at(local(NEXT_MONDAY, 10, 0))


def test_the_version_times_are_used():
    hub = HubFactory()
    version = ScheduleVersionFactory(hub=hub, valid_from=MONDAY)
    OpeningSlotFactory(
        version=version,
        weekday=0,
        dagdeel=Dagdeel.AVOND,
        start_time=dt.time(18, 30),
        end_time=dt.time(20, 0),
    )
    opening = hub.opening_for_week(MONDAY)[0].openings[0]
    assert (opening.start, opening.end) == (local(MONDAY, 18, 30), local(MONDAY, 20, 0))
    assert opening.dagdeel_label == Dagdeel.AVOND.label


# --- the mobile hub -------------------------------------------------------------------------


def test_mobile_hub_is_closed_on_days_without_a_stop():
    mobile = hub_with_schedule(name="Mobiele wijkhub", is_mobile=True)
    # Its schedule says Monday morning, but it has no stop then.
    assert not mobile.is_open_at(local(MONDAY, 10, 0))
    assert not mobile.opening_for_week(MONDAY)[0].is_open


def test_mobile_hub_opens_at_its_schedule_times_where_it_stops():
    mobile = HubFactory(name="Mobiele wijkhub", is_mobile=True)
    version = ScheduleVersionFactory(hub=mobile)
    OpeningSlotFactory(
        version=version,
        weekday=0,
        dagdeel=Dagdeel.OCHTEND,
        start_time=dt.time(10, 0),
        end_time=dt.time(12, 0),
    )
    MobileStopFactory(
        hub=mobile,
        date=MONDAY,
        dagdeel=Dagdeel.OCHTEND,
        place="Afrikaandermarkt",
        address="Afrikaanderplein",
    )
    opening = mobile.opening_for_week(MONDAY)[0].openings[0]
    assert (opening.start, opening.end) == (local(MONDAY, 10, 0), local(MONDAY, 12, 0))
    assert (opening.place, opening.address) == ("Afrikaandermarkt", "Afrikaanderplein")
    assert not mobile.is_open_at(local(MONDAY, 9, 30))
    assert mobile.is_open_at(local(MONDAY, 10, 0))


def test_mobile_hub_uses_the_standard_times_without_a_matching_slot():
    mobile = HubFactory(name="Mobiele wijkhub", is_mobile=True)
    MobileStopFactory(hub=mobile, date=WEDNESDAY, dagdeel=Dagdeel.MIDDAG, place="Zuidplein")
    opening = mobile.opening_for_week(WEDNESDAY)[2].openings[0]
    start, end = DEFAULT_TIMES[Dagdeel.MIDDAG]
    assert timezone.localtime(opening.start).time() == start == dt.time(13, 0)
    assert timezone.localtime(opening.end).time() == end == dt.time(17, 0)
    assert opening.start.date() == WEDNESDAY
    assert opening.place == "Zuidplein"


def test_mobile_hub_stops_are_ordered_by_dagdeel():
    mobile = HubFactory(name="Mobiele wijkhub", is_mobile=True)
    MobileStopFactory(hub=mobile, date=MONDAY, dagdeel=Dagdeel.AVOND, place="B")
    MobileStopFactory(hub=mobile, date=MONDAY, dagdeel=Dagdeel.OCHTEND, place="A")
    assert [o.place for o in mobile.opening_for_week(MONDAY)[0].openings] == ["A", "B"]


def test_mobile_hub_stop_on_a_closing_day_is_cancelled():
    mobile = HubFactory(name="Mobiele wijkhub", is_mobile=True)
    MobileStopFactory(hub=mobile, date=MONDAY, dagdeel=Dagdeel.OCHTEND)
    ClosingDayFactory(date=MONDAY, name="Tweede pinksterdag")
    status = mobile.opening_for_week(MONDAY)[0]
    assert not status.is_open
    assert status.closed_reason == "Tweede pinksterdag"


# --- week and norm --------------------------------------------------------------------------


def test_opening_for_week_is_monday_to_sunday_from_any_day():
    hub = hub_with_schedule()
    week = hub.opening_for_week(SATURDAY)
    assert [d.date for d in week] == [MONDAY + dt.timedelta(days=n) for n in range(7)]
    assert [len(d.openings) for d in week] == [1, 1, 0, 2, 0, 0, 0]


def test_the_standard_week_meets_the_norm():
    hub = hub_with_schedule()
    version = hub.schedule_versions.get()
    assert version.weekly_counts() == (4, 3)
    assert version.meets_norm()
    summary = OpeningCalendar([hub], MONDAY, MONDAY + dt.timedelta(days=6)).week_summary(
        hub.pk, MONDAY
    )
    assert summary.meets_norm


@pytest.mark.parametrize(
    ("pattern", "meets"),
    [
        # Four dagdelen on only two days.
        ([(0, "ochtend"), (0, "middag"), (1, "ochtend"), (1, "middag")], False),
        # Three days, only three dagdelen.
        ([(0, "ochtend"), (1, "ochtend"), (2, "ochtend")], False),
        # Exactly four over three.
        ([(0, "ochtend"), (1, "ochtend"), (2, "ochtend"), (2, "avond")], True),
    ],
)
def test_schedule_version_meets_norm(pattern, meets):
    hub = hub_with_schedule(pattern=pattern)
    assert ScheduleVersion.objects.get(hub=hub).meets_norm() is meets


def test_a_closure_can_bring_a_week_below_the_norm():
    hub = hub_with_schedule()
    ClosureFactory(hub=hub, start_date=MONDAY, end_date=MONDAY)
    ClosingDayFactory(date=TUESDAY, name="Bevrijdingsdag")
    summary = OpeningCalendar([hub], MONDAY, MONDAY + dt.timedelta(days=6)).week_summary(
        hub.pk, MONDAY
    )
    assert (summary.dagdelen, summary.days) == (2, 1)
    assert not summary.meets_norm
    # The version itself still meets it: the norm check of a week sees closures.
    assert hub.schedule_versions.get().meets_norm()


def test_calendar_refuses_days_outside_what_it_loaded():
    hub = hub_with_schedule()
    calendar = OpeningCalendar([hub], MONDAY, TUESDAY)
    with pytest.raises(ValueError):
        calendar.day(hub.pk, WEDNESDAY)


def test_one_calendar_answers_for_many_hubs_in_fixed_queries(django_assert_num_queries):
    hubs = [hub_with_schedule(name=f"Wijk {n}") for n in range(6)]
    mobile = HubFactory(name="Mobiele wijkhub", is_mobile=True)
    MobileStopFactory(hub=mobile, date=MONDAY)
    ClosureFactory(hub=hubs[0], start_date=MONDAY, end_date=MONDAY)
    # versions, their slots (prefetch), closures, closing days, mobile stops
    with django_assert_num_queries(5):
        calendar = OpeningCalendar([*hubs, mobile], MONDAY, NEXT_MONDAY)
        for hub in [*hubs, mobile]:
            calendar.days(hub.pk, MONDAY, NEXT_MONDAY)


# --- Closure.clean ------------------------------------------------------------------------------


def test_closure_cannot_end_before_it_starts():
    closure = Closure(hub=HubFactory(), start_date=THURSDAY, end_date=MONDAY, reason="X")
    with pytest.raises(ValidationError) as error:
        closure.clean()
    assert "end_date" in error.value.message_dict


def test_closure_may_not_overlap_another_of_the_same_hub():
    hub = HubFactory()
    ClosureFactory(hub=hub, start_date=MONDAY, end_date=WEDNESDAY, reason="Verbouwing")
    clash = Closure(hub=hub, start_date=WEDNESDAY, end_date=THURSDAY, reason="Storing")
    with pytest.raises(ValidationError) as error:
        clash.clean()
    assert "Verbouwing" in error.value.messages[0]


def test_closure_may_overlap_one_of_another_hub_or_a_citywide_one():
    hub = HubFactory()
    ClosureFactory(hub=HubFactory(), start_date=MONDAY, end_date=WEDNESDAY)
    ClosureFactory(hub=None, start_date=MONDAY, end_date=WEDNESDAY)
    Closure(hub=hub, start_date=MONDAY, end_date=THURSDAY, reason="Storing").clean()


def test_citywide_closures_may_not_overlap_each_other():
    ClosureFactory(hub=None, start_date=MONDAY, end_date=WEDNESDAY, reason="Studiedag")
    with pytest.raises(ValidationError):
        Closure(hub=None, start_date=TUESDAY, end_date=TUESDAY, reason="Ook dicht").clean()


def test_editing_a_closure_does_not_clash_with_itself():
    closure = ClosureFactory(start_date=MONDAY, end_date=WEDNESDAY)
    closure.end_date = THURSDAY
    closure.clean()
