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


def schedule_version_create(*, hub, valid_from: dt.date, slots, note: str = "", user=None):
    """Makes a schedule version of ``hub`` from ``valid_from`` with its open dagdelen.

    ``slots`` is an iterable of dicts with the ``OpeningSlot`` fields ``weekday``,
    ``dagdeel``, ``start_time`` and ``end_time`` (as ``ScheduleForm.cleaned_slots``
    gives them). Version and slots are written in one transaction: a clash with
    an existing version on the same day (``IntegrityError``) leaves nothing behind.
    """
    from .models import OpeningSlot, ScheduleVersion

    with transaction.atomic():
        version = ScheduleVersion.objects.create(
            hub=hub, valid_from=valid_from, note=note, created_by=user
        )
        OpeningSlot.objects.bulk_create(OpeningSlot(version=version, **slot) for slot in slots)
    return version


def schedule_version_update(*, version, valid_from: dt.date, slots, note: str = ""):
    """Replaces the date, note and slots of a (planned) schedule version in one transaction."""
    from .models import OpeningSlot

    with transaction.atomic():
        version.valid_from = valid_from
        version.note = note
        version.save(update_fields=["valid_from", "note"])
        version.slots.all().delete()
        OpeningSlot.objects.bulk_create(OpeningSlot(version=version, **slot) for slot in slots)
    return version
