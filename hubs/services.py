"""Workflows on hubs that touch several rows or have side effects."""

from __future__ import annotations

import datetime as dt

import holidays
from django.db import transaction

from .constants import ClosingDaySource
from .models import ClosingDay


def closing_days_refresh(*, years: list[int]) -> int:
    """Adds the Dutch public holidays of ``years`` to the city's closing days.

    Only missing dates are added: a day the city changed (renamed, or switched
    to "open anyway") is left as the city set it. As in the municipal collective
    agreement, Bevrijdingsdag closes the hubs every year (the ``holidays``
    package lists it only every fifth year) and Goede Vrijdag is listed but
    open, so the city can switch it either way. Returns how many days were added.
    """
    added = 0
    with transaction.atomic():
        for year in years:
            days = dict(holidays.country_holidays("NL", years=year, language="nl"))
            days.setdefault(dt.date(year, 5, 5), "Bevrijdingsdag")
            for day, name in sorted(days.items()):
                _, created = ClosingDay.objects.get_or_create(
                    date=day,
                    defaults={
                        "name": name,
                        "source": ClosingDaySource.HOLIDAYS,
                        "is_closed": name.lower() != "goede vrijdag",
                    },
                )
                added += created
    return added
