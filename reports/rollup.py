"""Folds a week of questions, shifts and sign-ups into ``WeeklyFigure`` rows.

Every metric is a plain count, stored per hub and once more for the whole city
(``hub`` empty), so that any period, hub, gebied or the city adds up a few
hundred rows instead of scanning a million questions.

Metrics (``key`` in brackets):

- ``q`` all questions; ``q_outcome`` [index in ``Outcome``]; ``q_topic`` [topic id];
  ``q_referral`` [referral target id, referred questions only]; ``q_article`` [article id];
  ``q_slot`` [weekday * 3 + dagdeel index] for the heat map.
- ``open_slot`` [same key]: dagdelen the hub was open (shift started, not cancelled).
- Roster, over shifts that have started: ``planned`` (every shift), ``cancelled``,
  ``under_min`` (open with fewer people than its minimum), ``places_needed`` (sum
  of minimums of open shifts), ``places_filled`` (people up to that minimum),
  ``signups`` (confirmed people), ``worked`` and ``no_shows`` (attendance).
- ``cl_committed`` / ``cl_signed`` / ``cl_worked`` [cluster id]: places a cluster
  committed through offers, its confirmed people, and those who came.
- ``gaps``: knowledge gaps logged (by their day in Amsterdam). ``active``: 1 when the
  hub was open or logged a question that week; the city row holds the number of such hubs.

Callbacks and proposals are not rolled up: the report reads them directly,
because medians cannot be added up (there are ~100,000 callbacks a year).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from hubs.constants import DAGDEEL_ORDER
from questions.constants import Outcome
from questions.models import KnowledgeGap, Question
from scheduling.models import ClusterOffer, Shift, SignUp

from .models import RollupWeek, WeeklyFigure

OUTCOME_INDEX = {value: i for i, value in enumerate(Outcome.values)}

ROSTER_METRICS = (
    "planned",
    "cancelled",
    "under_min",
    "places_needed",
    "places_filled",
    "signups",
    "worked",
    "no_shows",
)


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def slot_key(day: dt.date, dagdeel: str) -> int:
    return day.weekday() * 3 + DAGDEEL_ORDER[dagdeel]


def local_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes from the start of ``first`` to the start of the day after ``last``."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _week_counts(week: dt.date, now: dt.datetime) -> dict[int, Counter]:
    """{hub_id: Counter({(metric, key): value})} for the week from Monday ``week``."""
    sunday = week + dt.timedelta(days=6)
    counts: dict[int, Counter] = defaultdict(Counter)

    questions = Question.objects.filter(date__range=(week, sunday)).order_by()
    for row in questions.values("hub_id", "outcome", "topic_id").annotate(n=Count("pk")):
        c = counts[row["hub_id"]]
        c["q", 0] += row["n"]
        c["q_outcome", OUTCOME_INDEX[row["outcome"]]] += row["n"]
        c["q_topic", row["topic_id"]] += row["n"]
    for row in (
        # Only referred questions: a destination left on another outcome is no referral.
        questions.filter(outcome=Outcome.REFERRED, referral_target__isnull=False)
        .values("hub_id", "referral_target_id")
        .annotate(n=Count("pk"))
    ):
        counts[row["hub_id"]]["q_referral", row["referral_target_id"]] += row["n"]
    for row in (
        questions.filter(article__isnull=False)
        .values("hub_id", "article_id")
        .annotate(n=Count("pk"))
    ):
        counts[row["hub_id"]]["q_article", row["article_id"]] += row["n"]
    for row in (
        questions.exclude(dagdeel="").values("hub_id", "date", "dagdeel").annotate(n=Count("pk"))
    ):
        counts[row["hub_id"]]["q_slot", slot_key(row["date"], row["dagdeel"])] += row["n"]

    shifts = Shift.objects.filter(date__range=(week, sunday), starts_at__lte=now).order_by()
    for shift in shifts.values_list(
        "hub_id", "date", "dagdeel", "is_cancelled", "min_staff", "confirmed_count"
    ):
        hub_id, day, dagdeel, cancelled, min_staff, confirmed = shift
        c = counts[hub_id]
        c["planned", 0] += 1
        if cancelled:
            c["cancelled", 0] += 1
            continue
        c["open_slot", slot_key(day, dagdeel)] += 1
        c["under_min", 0] += confirmed < min_staff
        c["places_needed", 0] += min_staff
        c["places_filled", 0] += min(confirmed, min_staff)
        c["signups", 0] += confirmed

    signups = (
        SignUp.objects.confirmed().filter(shift__in=shifts.filter(is_cancelled=False)).order_by()
    )
    for row in signups.values("shift__hub_id", "cluster_id", "attended").annotate(n=Count("pk")):
        c = counts[row["shift__hub_id"]]
        if row["attended"] is True:
            c["worked", 0] += row["n"]
        elif row["attended"] is False:
            c["no_shows", 0] += row["n"]
        if row["cluster_id"]:
            c["cl_signed", row["cluster_id"]] += row["n"]
            if row["attended"] is True:
                c["cl_worked", row["cluster_id"]] += row["n"]
    for row in (
        ClusterOffer.objects.filter(shift__in=shifts.filter(is_cancelled=False))
        .values("shift__hub_id", "cluster_id")
        .annotate(places=Sum("places"))
        .order_by()
    ):
        counts[row["shift__hub_id"]]["cl_committed", row["cluster_id"]] += row["places"]

    start, end = local_bounds(week, sunday)
    for row in (
        KnowledgeGap.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("hub_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["hub_id"]]["gaps", 0] += row["n"]

    for c in counts.values():
        if c["q", 0] or c["planned", 0] > c["cancelled", 0]:
            c["active", 0] = 1
    return counts


def refresh_week(week: dt.date, now: dt.datetime | None = None) -> int:
    """Recomputes one week (any day of it); returns the number of rows written.

    The week's ``RollupWeek`` row is locked while its figures are replaced, so two
    workers refreshing the same week do not double them.
    """
    week = monday(week)
    now = now or timezone.now()
    RollupWeek.objects.get_or_create(week=week, defaults={"refreshed_at": now})
    with transaction.atomic():
        RollupWeek.objects.select_for_update().filter(week=week).update(refreshed_at=now)
        counts = _week_counts(week, now)
        city: Counter = Counter()
        rows = []
        for hub_id, counter in counts.items():
            city.update(counter)
            rows += [
                WeeklyFigure(week=week, hub_id=hub_id, metric=m, key=k, value=v)
                for (m, k), v in counter.items()
                if v
            ]
        rows += [
            WeeklyFigure(week=week, hub_id=None, metric=m, key=k, value=v)
            for (m, k), v in city.items()
            if v
        ]
        WeeklyFigure.objects.filter(week=week).delete()
        WeeklyFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def refresh_weeks(weeks: Iterable[dt.date], now: dt.datetime | None = None) -> int:
    return sum(refresh_week(week, now) for week in sorted({monday(w) for w in weeks}))


def weeks_between(first: dt.date, last: dt.date) -> list[dt.date]:
    week, weeks = monday(first), []
    while week <= last:
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    return weeks


def rebuild_all(now: dt.datetime | None = None, progress=None) -> int:
    """Rolls up every week from the first question, shift or knowledge gap up to this
    week, and removes the figures of every other week: weeks after this one, and weeks
    before the first data still there (after old data was removed)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first_gap = (
        KnowledgeGap.objects.order_by("created_at").values_list("created_at", flat=True).first()
    )
    firsts = [
        d
        for d in (
            Question.objects.order_by("date").values_list("date", flat=True).first(),
            Shift.objects.order_by("date").values_list("date", flat=True).first(),
            first_gap and timezone.localdate(first_gap),
        )
        if d
    ]
    weeks = weeks_between(min(firsts), today) if firsts else []
    written = 0
    for i, week in enumerate(weeks, 1):
        written += refresh_week(week, now)
        if progress:
            progress(i, len(weeks))
    for model in (WeeklyFigure, RollupWeek):
        stale = model.objects.all()
        if weeks:
            stale = stale.exclude(week__range=(weeks[0], weeks[-1]))
        stale.delete()
    return written


def last_refreshed() -> dt.datetime | None:
    return (
        RollupWeek.objects.order_by("-refreshed_at").values_list("refreshed_at", flat=True).first()
    )
