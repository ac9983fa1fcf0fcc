"""The city's own list of closing days, seeded from the ``holidays`` package."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hubs.constants import ClosingDaySource
from hubs.models import ClosingDay
from hubs.services import closing_days_refresh
from hubs.tasks import refresh_closing_days
from tests.factories import ClosingDayFactory, hub_with_schedule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2030])
def test_bevrijdingsdag_closes_the_hubs_every_year(year):
    # The holidays package lists it only in lustrum years (2030); the city closes yearly.
    closing_days_refresh(years=[year])
    day = ClosingDay.objects.get(date=dt.date(year, 5, 5))
    assert day.is_closed
    assert day.name == "Bevrijdingsdag"
    assert day.source == ClosingDaySource.HOLIDAYS


def test_goede_vrijdag_is_listed_but_open():
    closing_days_refresh(years=[2026])
    day = ClosingDay.objects.get(date=dt.date(2026, 4, 3))
    assert day.name.lower() == "goede vrijdag"
    assert not day.is_closed


def test_the_usual_dutch_holidays_are_closed():
    closing_days_refresh(years=[2026])
    closed = set(ClosingDay.objects.closed().values_list("date", flat=True))
    assert {
        dt.date(2026, 1, 1),  # Nieuwjaarsdag
        dt.date(2026, 4, 6),  # Tweede paasdag
        dt.date(2026, 4, 27),  # Koningsdag
        dt.date(2026, 5, 5),  # Bevrijdingsdag
        dt.date(2026, 5, 14),  # Hemelvaartsdag
        dt.date(2026, 5, 25),  # Tweede pinksterdag
        dt.date(2026, 12, 25),
        dt.date(2026, 12, 26),
    } <= closed
    assert dt.date(2026, 4, 3) not in closed


def test_a_day_the_city_switched_off_stays_off():
    closing_days_refresh(years=[2026])
    ClosingDay.objects.filter(date=dt.date(2026, 4, 27)).update(is_closed=False, name="Open!")
    closing_days_refresh(years=[2026])
    day = ClosingDay.objects.get(date=dt.date(2026, 4, 27))
    assert not day.is_closed
    assert day.name == "Open!"


def test_goede_vrijdag_switched_on_by_the_city_stays_closed():
    closing_days_refresh(years=[2026])
    ClosingDay.objects.filter(date=dt.date(2026, 4, 3)).update(is_closed=True)
    closing_days_refresh(years=[2026])
    assert ClosingDay.objects.get(date=dt.date(2026, 4, 3)).is_closed


def test_a_manual_day_is_kept_as_the_city_set_it():
    ClosingDayFactory(date=dt.date(2026, 12, 25), name="Kerst (handmatig)", is_closed=True)
    closing_days_refresh(years=[2026])
    day = ClosingDay.objects.get(date=dt.date(2026, 12, 25))
    assert day.name == "Kerst (handmatig)"
    assert day.source == ClosingDaySource.MANUAL


def test_refresh_is_idempotent():
    added = closing_days_refresh(years=[2026, 2027])
    assert added == ClosingDay.objects.count() > 0
    assert closing_days_refresh(years=[2026, 2027]) == 0
    assert ClosingDay.objects.count() == added


def test_the_daily_task_refreshes_this_year_and_next():
    with time_machine.travel(
        dt.datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    ):
        refresh_closing_days.delay()
    years = {day.year for day in ClosingDay.objects.values_list("date", flat=True)}
    assert years == {2026, 2027}


def test_a_refreshed_holiday_closes_a_hub_that_is_open_that_weekday():
    hub = hub_with_schedule(pattern=[(1, "ochtend")])  # Tuesdays
    closing_days_refresh(years=[2026])
    ams = ZoneInfo("Europe/Amsterdam")
    # Tuesday 5 May 2026 is Bevrijdingsdag; the Tuesday after is an ordinary day.
    assert not hub.is_open_at(dt.datetime(2026, 5, 5, 10, tzinfo=ams))
    assert hub.is_open_at(dt.datetime(2026, 5, 12, 10, tzinfo=ams))
