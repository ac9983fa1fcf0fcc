"""services.shifts_sync: shifts follow the opening hours over the horizon."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from hubs.constants import Dagdeel
from scheduling.constants import SignUpStatus
from scheduling.models import Shift, SignUp
from scheduling.services import SyncResult, shift_set_staffing, shifts_sync, signup_create
from tests.factories import (
    STANDARD_WEEK,
    ClosingDayFactory,
    ClosureFactory,
    OpeningSlotFactory,
    ScheduleVersionFactory,
    hub_with_schedule,
    make_shift,
    staff_member,
)

# Wednesday 4 November 2026, 11:00 in Rotterdam. The 8-week horizon ends on
# Wednesday 30 December.
NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 4)
LAST = dt.date(2026, 12, 30)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _expected(hub, pattern=STANDARD_WEEK, first=TODAY, last=LAST):
    """(hub, date, dagdeel) of every opening of ``pattern`` from ``first`` to ``last``."""
    keys = set()
    day = first
    while day <= last:
        for weekday, dagdeel in pattern:
            if day.weekday() == weekday:
                keys.add((hub.pk, day, dagdeel))
        day += dt.timedelta(days=1)
    return keys


def _keys(**filters):
    return set(Shift.objects.filter(**filters).values_list("hub_id", "date", "dagdeel"))


def test_one_shift_per_open_hub_dagdeel_over_the_horizon(hub, other_hub):
    hub.min_staff, hub.max_staff, hub.required_roles = 1, 5, ["host"]
    hub.save()
    hub_with_schedule(name="Gesloten wijkhub", is_active=False)
    result = shifts_sync()
    expected = _expected(hub) | _expected(other_hub)
    assert _keys() == expected
    assert result == SyncResult(created=len(expected))
    assert len(expected) == 2 * 4 * 8  # 4 dagdelen a week, 8 weeks, 2 hubs
    shift = Shift.objects.get(hub=hub, date=dt.date(2026, 11, 5), dagdeel=Dagdeel.MIDDAG)
    local = timezone.localtime(shift.starts_at)
    assert (local.hour, local.minute) == (13, 0)
    assert timezone.localtime(shift.ends_at).hour == 17
    # The hub's defaults.
    assert (shift.min_staff, shift.max_staff, shift.required_roles) == (1, 5, ["host"])
    assert not shift.staffing_overridden


def test_a_second_run_changes_nothing(hub):
    shifts_sync()
    before = list(Shift.objects.values_list("pk", "starts_at", "is_cancelled", "min_staff"))
    assert shifts_sync() == SyncResult()
    after = list(Shift.objects.values_list("pk", "starts_at", "is_cancelled", "min_staff"))
    assert after == before


def test_the_horizon_comes_from_the_setting(settings, hub):
    settings.SHIFT_HORIZON_WEEKS = 2
    shifts_sync()
    assert _keys() == _expected(hub, last=dt.date(2026, 11, 18))


def test_a_new_schedule_version_cancels_and_creates(hub):
    shifts_sync()
    person = staff_member()
    monday = Shift.objects.get(hub=hub, date=dt.date(2026, 12, 7), dagdeel=Dagdeel.OCHTEND)
    signup_create(shift_id=monday.pk, user=person)
    # From Tuesday 1 December the hub opens on Wednesday and Friday mornings only.
    version = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 12, 1))
    for weekday in (2, 4):
        OpeningSlotFactory(version=version, weekday=weekday, dagdeel=Dagdeel.OCHTEND)
    result = shifts_sync()

    new_pattern = [(2, Dagdeel.OCHTEND), (4, Dagdeel.OCHTEND)]
    december = dt.date(2026, 12, 1)
    assert _keys(is_cancelled=False) == _expected(hub, last=dt.date(2026, 11, 30)) | _expected(
        hub, new_pattern, first=december
    )
    cancelled = Shift.objects.filter(is_cancelled=True)
    assert _keys(is_cancelled=True) == _expected(hub, first=december)
    assert result.cancelled == cancelled.count()
    assert result.created == len(_expected(hub, new_pattern, first=december))
    assert {s.cancel_reason for s in cancelled} == {
        _nl("The hub is no longer open in this dagdeel.")
    }
    # The person's place went with the shift.
    monday.refresh_from_db()
    assert monday.confirmed_count == 0
    assert SignUp.objects.get(user=person).status == SignUpStatus.CANCELLED


def test_a_closure_cancels_and_its_removal_reopens(hub):
    shifts_sync()
    closure = ClosureFactory(
        hub=hub, start_date=dt.date(2026, 11, 12), end_date=dt.date(2026, 11, 17), reason="Lekkage"
    )
    result = shifts_sync()
    # Thursday 12 (morning and afternoon), Monday 16, Tuesday 17.
    closed = {
        (hub.pk, dt.date(2026, 11, 12), Dagdeel.OCHTEND),
        (hub.pk, dt.date(2026, 11, 12), Dagdeel.MIDDAG),
        (hub.pk, dt.date(2026, 11, 16), Dagdeel.OCHTEND),
        (hub.pk, dt.date(2026, 11, 17), Dagdeel.MIDDAG),
    }
    assert _keys(is_cancelled=True) == closed
    assert result == SyncResult(cancelled=4)
    assert set(Shift.objects.filter(is_cancelled=True).values_list("cancel_reason", flat=True)) == {
        "Lekkage"
    }

    closure.delete()
    result = shifts_sync()
    assert result == SyncResult(reopened=4, updated=4)
    assert not Shift.objects.filter(is_cancelled=True).exists()
    assert set(Shift.objects.values_list("cancel_reason", flat=True)) == {""}


def test_a_closing_day_cancels_the_shifts_of_every_hub(hub, other_hub):
    shifts_sync()
    ClosingDayFactory(date=dt.date(2026, 11, 12), name="Stadsdag")
    shifts_sync()
    cancelled = Shift.objects.filter(is_cancelled=True)
    assert _keys(is_cancelled=True) == {
        (h.pk, dt.date(2026, 11, 12), d)
        for h in (hub, other_hub)
        for d in (Dagdeel.OCHTEND, Dagdeel.MIDDAG)
    }
    assert {s.cancel_reason for s in cancelled} == {"Stadsdag"}


def test_past_and_begun_shifts_are_left_alone(hub):
    # Monday 2 November is past; this Wednesday morning (09:00–12:30) has begun.
    past = make_shift(hub=hub, day=dt.date(2026, 11, 2))
    begun = make_shift(hub=hub, day=TODAY)
    ClosureFactory(hub=hub, start_date=dt.date(2026, 11, 2), end_date=TODAY, reason="Storing")
    shifts_sync(first=dt.date(2026, 11, 1))
    past.refresh_from_db()
    begun.refresh_from_db()
    assert not past.is_cancelled
    assert not begun.is_cancelled
    assert not Shift.objects.filter(date__lt=TODAY).exclude(pk=past.pk).exists()


def test_staffing_overrides_survive_a_sync(hub):
    shifts_sync()
    special = Shift.objects.get(hub=hub, date=dt.date(2026, 11, 9), dagdeel=Dagdeel.OCHTEND)
    shift_set_staffing(shift=special, min_staff=1, max_staff=6, required_roles=["kcc"])
    hub.min_staff, hub.max_staff, hub.required_roles = 3, 5, ["host"]
    hub.save()
    result = shifts_sync()
    special.refresh_from_db()
    assert (special.min_staff, special.max_staff, special.required_roles) == (1, 6, ["kcc"])
    others = Shift.objects.exclude(pk=special.pk)
    assert set(others.values_list("min_staff", "max_staff")) == {(3, 5)}
    assert result == SyncResult(updated=others.count())


def test_new_opening_times_move_the_shifts(hub):
    shifts_sync()
    version = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 12, 1))
    for weekday, dagdeel in STANDARD_WEEK:
        OpeningSlotFactory(
            version=version,
            weekday=weekday,
            dagdeel=dagdeel,
            start_time=dt.time(10, 0) if dagdeel == Dagdeel.OCHTEND else dt.time(13, 0),
        )
    result = shifts_sync()
    moved = Shift.objects.get(hub=hub, date=dt.date(2026, 12, 7), dagdeel=Dagdeel.OCHTEND)
    assert timezone.localtime(moved.starts_at).hour == 10
    kept = Shift.objects.get(hub=hub, date=dt.date(2026, 11, 30), dagdeel=Dagdeel.OCHTEND)
    assert timezone.localtime(kept.starts_at).hour == 9
    mornings = len(
        [k for k in _expected(hub, first=dt.date(2026, 12, 1)) if k[2] == Dagdeel.OCHTEND]
    )
    assert result == SyncResult(updated=mornings)
