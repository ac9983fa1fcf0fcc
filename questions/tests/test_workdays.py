"""Due dates count working days: weekends and the city's closing days are skipped."""

import datetime as dt

import pytest
import time_machine

from questions.workdays import add_working_days, is_working_day
from tests.factories import ClosingDayFactory, TeamFactory, make_callback

pytestmark = pytest.mark.django_db

THURSDAY = dt.date(2026, 12, 3)
FRIDAY = dt.date(2026, 12, 4)
MONDAY = dt.date(2026, 12, 7)
TUESDAY = dt.date(2026, 12, 8)


def test_a_friday_plus_two_working_days_is_the_next_tuesday():
    assert add_working_days(FRIDAY, 2) == TUESDAY


def test_the_weekend_is_skipped():
    assert add_working_days(THURSDAY, 2) == MONDAY
    assert add_working_days(dt.date(2026, 12, 5), 1) == MONDAY  # from a Saturday


def test_the_start_day_itself_does_not_count():
    assert add_working_days(MONDAY, 1) == TUESDAY


def test_christmas_from_the_closing_day_list_is_skipped():
    ClosingDayFactory(date=dt.date(2026, 12, 25), name="Eerste kerstdag")
    ClosingDayFactory(date=dt.date(2026, 12, 26), name="Tweede kerstdag")
    # Thursday 24 December + 2: Friday 25 is closed, then the weekend: Monday 28, Tuesday 29.
    assert add_working_days(dt.date(2026, 12, 24), 2) == dt.date(2026, 12, 29)


def test_koningsdag_is_skipped():
    ClosingDayFactory(date=dt.date(2027, 4, 27), name="Koningsdag")
    assert add_working_days(dt.date(2027, 4, 26), 1) == dt.date(2027, 4, 28)
    assert not is_working_day(dt.date(2027, 4, 27))


def test_a_closing_day_switched_off_counts_as_a_working_day():
    ClosingDayFactory(date=dt.date(2027, 4, 27), name="Koningsdag", is_closed=False)
    assert add_working_days(dt.date(2027, 4, 26), 1) == dt.date(2027, 4, 27)
    assert is_working_day(dt.date(2027, 4, 27))


def test_weekends_are_no_working_days():
    assert is_working_day(FRIDAY)
    assert not is_working_day(dt.date(2026, 12, 5))
    assert not is_working_day(dt.date(2026, 12, 6))


def test_a_long_span_still_costs_one_query(django_assert_num_queries):
    for day in (dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2027, 4, 27)):
        ClosingDayFactory(date=day, name="Feestdag")
    # One query: the closing days within the span.
    with django_assert_num_queries(1):
        result = add_working_days(dt.date(2026, 12, 1), 100)
    # 100 working days from 1 December 2026, three of them closing days.
    day, counted = dt.date(2026, 12, 1), 0
    closed = {dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2027, 4, 27)}
    while counted < 100:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            counted += 1
    assert result == day


def test_a_callback_made_on_a_friday_is_due_on_tuesday():
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        callback = make_callback(team=TeamFactory(due_working_days=2))
    assert callback.due_date == TUESDAY


def test_the_teams_number_of_working_days_is_used():
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        callback = make_callback(team=TeamFactory(due_working_days=5))
    assert callback.due_date == dt.date(2026, 12, 11)
