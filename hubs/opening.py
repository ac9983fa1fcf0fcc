"""When is a hub open? Computed for many hubs at once in a fixed number of queries.

An ``OpeningCalendar`` loads, for a set of hubs and a date range, the schedule
versions (with their slots), closures, the city's closing days and the mobile
hub's stops: five queries whatever the number of hubs or days. Everything after
that is plain Python, so a list of 40 hubs costs what a list of 5 does.

Times in a schedule are local wall-clock times (Europe/Amsterdam); they are
turned into aware datetimes per date, so an opening keeps its local hours across
the switches to and from summer time.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch
from django.utils import timezone

from .constants import DAGDEEL_ORDER, DEFAULT_TIMES, NORM_MIN_DAGDELEN, NORM_MIN_DAYS


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def aware(day: dt.date, at: dt.time) -> dt.datetime:
    """The local wall-clock time ``at`` on ``day`` as an aware datetime."""
    return dt.datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


@dataclass(frozen=True)
class Opening:
    hub_id: int
    date: dt.date
    dagdeel: str
    start: dt.datetime
    end: dt.datetime
    place: str = ""
    address: str = ""
    # Still under its minimum staff after the decision time (see "staffing" below).
    tentative: bool = False

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def dagdeel_label(self) -> str:
        from .constants import Dagdeel

        return Dagdeel(self.dagdeel).label


@dataclass
class DayStatus:
    date: dt.date
    openings: list[Opening] = field(default_factory=list)
    closed_reason: str = ""  # a closure or closing day that cancels the normal opening
    # Openings that do not go ahead because too few people signed up (only when the
    # city shows understaffed dagdelen as closed: settings.PUBLIC_UNDERSTAFFED).
    understaffed: list[Opening] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return bool(self.openings)


@dataclass(frozen=True)
class WeekSummary:
    monday: dt.date
    dagdelen: int
    days: int

    @property
    def meets_norm(self) -> bool:
        return self.dagdelen >= NORM_MIN_DAGDELEN and self.days >= NORM_MIN_DAYS


class OpeningCalendar:
    """``staffing=True`` (the resident pages) also asks the roster: a dagdeel still
    under its minimum staff once its decision time has passed (default the day before
    at 12:00) is shown "onder voorbehoud", or as closed (settings.PUBLIC_UNDERSTAFFED).
    That costs one more query, whatever the number of hubs."""

    def __init__(self, hubs, start: dt.date, end: dt.date, *, staffing: bool = False):
        from .models import ClosingDay, Closure, MobileStop, OpeningSlot, ScheduleVersion

        self.start, self.end = start, end
        self.hubs = {hub.pk: hub for hub in hubs}
        ids = list(self.hubs)
        self._versions: dict[int, list] = defaultdict(list)
        # A version replaced by a later one before ``start`` is never in force here.
        replaced = ScheduleVersion.objects.filter(
            hub_id=OuterRef("hub_id"), valid_from__gt=OuterRef("valid_from"), valid_from__lte=start
        )
        versions = (
            ScheduleVersion.objects.filter(hub_id__in=ids, valid_from__lte=end)
            .exclude(Exists(replaced))
            .order_by("hub_id", "valid_from")
            .prefetch_related(Prefetch("slots", queryset=OpeningSlot.objects.order_by()))
        )
        # Per version: weekday -> {dagdeel: slot}, so a day's slots are one lookup.
        self._slots: dict[int, dict[int, dict]] = {}
        for version in versions:
            self._versions[version.hub_id].append(version)
            by_weekday = self._slots[version.pk] = defaultdict(dict)
            for slot in version.slots.all():
                by_weekday[slot.weekday][slot.dagdeel] = slot
        # Answers per (hub, date): a list page asks for the same days many times.
        self._days: dict[tuple[int, dt.date], DayStatus] = {}
        self._version_starts = {
            hub_id: [v.valid_from for v in vs] for hub_id, vs in self._versions.items()
        }
        self._closures: dict[int | None, list] = defaultdict(list)
        for closure in Closure.objects.for_hub_ids(ids).overlapping(start, end):
            self._closures[closure.hub_id].append(closure)
        self._closing_days = {
            d.date: d.name for d in ClosingDay.objects.closed().filter(date__range=(start, end))
        }
        self._stops: dict[tuple[int, dt.date], list] = defaultdict(list)
        mobile_ids = [pk for pk, hub in self.hubs.items() if hub.is_mobile]
        stops = MobileStop.objects.filter(hub_id__in=mobile_ids, date__range=(start, end))
        for stop in stops:
            self._stops[(stop.hub_id, stop.date)].append(stop)
        self._understaffed: set[tuple[int, dt.date, str]] = set()
        if staffing:
            self._load_understaffed(ids)

    def _load_understaffed(self, ids) -> None:
        from scheduling.models import Shift

        now = timezone.now()
        # Only dagdelen whose decision time may have passed: up to the day after tomorrow.
        last = min(
            self.end,
            timezone.localdate() + dt.timedelta(days=settings.SHIFT_DECISION_DAYS_BEFORE + 1),
        )
        shifts = (
            Shift.objects.active()
            .filter(
                hub_id__in=ids, date__range=(self.start, last), confirmed_count__lt=F("min_staff")
            )
            .only("hub_id", "date", "dagdeel")
        )
        for shift in shifts:
            if shift.decision_time() <= now:
                self._understaffed.add((shift.hub_id, shift.date, shift.dagdeel))

    # --- building blocks ------------------------------------------------------
    def version_on(self, hub_id: int, day: dt.date):
        starts = self._version_starts.get(hub_id, [])
        i = bisect_right(starts, day)
        return self._versions[hub_id][i - 1] if i else None

    def closed_reason(self, hub_id: int, day: dt.date) -> str:
        if day in self._closing_days:
            return self._closing_days[day]
        for closure in self._closures.get(hub_id, []) + self._closures.get(None, []):
            if closure.start_date <= day <= closure.end_date:
                return closure.reason
        return ""

    def _scheduled(self, hub_id: int, day: dt.date) -> list[Opening]:
        version = self.version_on(hub_id, day)
        slots = self._slots[version.pk].get(day.weekday(), {}) if version is not None else {}
        if not self.hubs[hub_id].is_mobile:
            return sorted(
                (
                    Opening(
                        hub_id, day, s.dagdeel, aware(day, s.start_time), aware(day, s.end_time)
                    )
                    for s in slots.values()
                ),
                key=lambda o: o.start,
            )
        # The mobile hub opens where it has a stop, at its schedule's times for
        # that dagdeel if it has them, else at the city's standard times.
        openings = []
        for stop in self._stops.get((hub_id, day), []):
            slot = slots.get(stop.dagdeel)
            start, end = (slot.start_time, slot.end_time) if slot else DEFAULT_TIMES[stop.dagdeel]
            openings.append(
                Opening(
                    hub_id,
                    day,
                    stop.dagdeel,
                    aware(day, start),
                    aware(day, end),
                    stop.place,
                    stop.address,
                )
            )
        return sorted(openings, key=lambda o: DAGDEEL_ORDER[o.dagdeel])

    # --- answers --------------------------------------------------------------
    def day(self, hub_id: int, day: dt.date) -> DayStatus:
        key = (hub_id, day)
        if key not in self._days:
            self._check_range(day)
            self._days[key] = self._day(hub_id, day)
        return self._days[key]

    def _day(self, hub_id: int, day: dt.date) -> DayStatus:
        scheduled = self._scheduled(hub_id, day)
        reason = self.closed_reason(hub_id, day)
        if reason:
            return DayStatus(day, [], reason)
        if not self._understaffed:
            return DayStatus(day, scheduled)
        kept, understaffed = [], []
        for opening in scheduled:
            if (hub_id, day, opening.dagdeel) not in self._understaffed:
                kept.append(opening)
            elif settings.PUBLIC_UNDERSTAFFED == "closed":
                understaffed.append(opening)
            else:
                kept.append(replace(opening, tentative=True))
        return DayStatus(day, kept, understaffed=understaffed)

    def days(self, hub_id: int, first: dt.date, last: dt.date) -> list[DayStatus]:
        return list(self._iter_days(hub_id, first, last))

    def _iter_days(self, hub_id: int, first: dt.date, last: dt.date):
        """The days one by one, so a search for the next opening stops when it finds one."""
        for n in range((last - first).days + 1):
            yield self.day(hub_id, first + dt.timedelta(n))

    def openings(self, hub_id: int, first: dt.date | None = None, last: dt.date | None = None):
        first, last = first or self.start, last or self.end
        return [o for d in self.days(hub_id, first, last) for o in d.openings]

    def is_open_at(self, hub_id: int, moment: dt.datetime) -> bool:
        return any(o.contains(moment) for o in self.day(hub_id, local_date(moment)).openings)

    def current_opening(self, hub_id: int, moment: dt.datetime) -> Opening | None:
        for opening in self.day(hub_id, local_date(moment)).openings:
            if opening.contains(moment):
                return opening
        return None

    def next_opening(self, hub_id: int, after: dt.datetime) -> Opening | None:
        """The opening going on at ``after``, or else the first to start after it."""
        for status in self._iter_days(hub_id, max(local_date(after), self.start), self.end):
            for opening in status.openings:
                if opening.end > after:
                    return opening
        return None

    def upcoming(self, hub_id: int, after: dt.datetime, limit: int = 10) -> list[Opening]:
        """Openings still going on at ``after`` or starting later, up to ``limit``."""
        found = []
        for status in self._iter_days(hub_id, max(local_date(after), self.start), self.end):
            found.extend(o for o in status.openings if o.end > after)
            if len(found) >= limit:
                break
        return found[:limit]

    def versions_between(self, hub_id: int, first: dt.date, last: dt.date):
        """The schedule versions in force on some day of ``first``..``last``.

        Yields ``(version, valid_through)`` where ``valid_through`` is the day
        before the next version starts, or ``None`` when no later version is known.
        """
        versions = self._versions.get(hub_id, [])
        for i, version in enumerate(versions):
            following = versions[i + 1] if i + 1 < len(versions) else None
            valid_through = following.valid_from - dt.timedelta(days=1) if following else None
            if version.valid_from <= last and (valid_through is None or valid_through >= first):
                yield version, valid_through

    def week_summary(self, hub_id: int, monday: dt.date) -> WeekSummary:
        openings = self.openings(hub_id, monday, monday + dt.timedelta(days=6))
        return WeekSummary(monday, len(openings), len({o.date for o in openings}))

    def _check_range(self, day: dt.date) -> None:
        if not self.start <= day <= self.end:
            raise ValueError(f"{day} is outside the loaded range {self.start}–{self.end}")
