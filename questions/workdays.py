"""Working days: Monday to Friday, minus the city's closing days."""

from __future__ import annotations

import datetime as dt

from hubs.models import ClosingDay


def _closed_between(first: dt.date, last: dt.date) -> set[dt.date]:
    return set(
        ClosingDay.objects.closed().filter(date__range=(first, last)).values_list("date", flat=True)
    )


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    Made on a Friday with 2 working days: due on Tuesday. One query, whatever the span.
    """
    # Generous upper bound: every week has 5 working days, plus room for holidays.
    horizon = start + dt.timedelta(days=days * 2 + 21)
    closed = _closed_between(start, horizon)
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            counted += 1
    return day


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not ClosingDay.objects.closed().filter(date=day).exists()
