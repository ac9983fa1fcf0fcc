"""Read queries of the proposal pages: the list, the detail page, and the analysis shown
while drafting and on the detail page (before/after grid, norm, staffing, evidence).

The analysis works on "slot-like" values: ``OpeningSlot`` and ``ProposalSlot`` rows or
the dicts of ``WeekGridForm.grid_slots``, so a preview that is not saved yet gets the
same analysis as a stored proposal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, Subquery
from django.db.models.functions import ExtractIsoWeekDay
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubs.constants import DAGDEEL_ORDER, NORM_MIN_DAGDELEN, NORM_MIN_DAYS, Dagdeel, Weekday
from hubs.models import OpeningSlot

from .constants import Status
from .models import Proposal, ProposalSlot, norm_counts

# The question log looked at as evidence: the twelve whole weeks before today, so
# every weekday occurs exactly twelve times and today's half-logged day is left out.
EVIDENCE_WEEKS = 12

# The dagdeel of a rollup's ``q_slot`` key (weekday * 3 + dagdeel index).
_DAGDEEL_BY_INDEX = {index: dagdeel for dagdeel, index in DAGDEEL_ORDER.items()}


def _get(slot, name):
    return slot[name] if isinstance(slot, dict) else getattr(slot, name)


def _by_cell(slots) -> dict[tuple[int, str], tuple[dt.time, dt.time]]:
    return {
        (_get(s, "weekday"), _get(s, "dagdeel")): (_get(s, "start_time"), _get(s, "end_time"))
        for s in slots
    }


# --- schedule versions -----------------------------------------------------------------------


def version_in_force(hub, day: dt.date, *, exclude_pk: int | None = None):
    """The hub's schedule version in force on ``day`` (with its slots), or None.

    ``exclude_pk`` leaves out a version: a decided proposal's own new version is not
    what it is compared with.

    One query in the usual case: the slots of that version, each with the version
    (rather than the version and then its slots, as ``prefetch_related`` would). Only
    when that finds no slots is the version asked for on its own: there is none, or
    it has no open dagdelen.
    """
    versions = hub.schedule_versions.filter(valid_from__lte=day)
    if exclude_pk is not None:
        versions = versions.exclude(pk=exclude_pk)
    versions = versions.order_by("-valid_from")  # one version per hub and day
    slots = list(
        OpeningSlot.objects.filter(version=Subquery(versions.values("pk")[:1]))
        .select_related("version")
        .order_by()
    )
    version = slots[0].version if slots else versions.first()
    if version is not None:
        for slot in slots:
            slot.version = version
        # What prefetch_related("slots") leaves behind: version.slots.all() is this list.
        version._prefetched_objects_cache = {"slots": slots}
    return version


# --- the analysis ----------------------------------------------------------------------------


class Change:
    SAME_OPEN = "same"
    SAME_CLOSED = "closed"
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


def _hours(times: tuple[dt.time, dt.time] | None) -> str:
    """Opening and closing time as "09:00–12:30" (as the template's ``time:"H:i"``)."""
    return f"{times[0]:%H:%M}–{times[1]:%H:%M}" if times else ""


def _change(before, after) -> str:
    if before is None:
        return Change.SAME_CLOSED if after is None else Change.ADDED
    if after is None:
        return Change.REMOVED
    return Change.SAME_OPEN if before == after else Change.CHANGED


_CHANGE_LABELS = {
    Change.ADDED: gettext_lazy("added"),
    Change.REMOVED: gettext_lazy("removed"),
    Change.CHANGED: gettext_lazy("other times"),
}


def _compare_cell(dagdeel: Dagdeel, before, after) -> dict:
    """One dagdeel of the before/after grids (``before`` and ``after`` are (opens,
    closes) or None), with what the page writes in it. A dict rather than an object:
    the template reads 21 of these, twice for a partly accepted proposal, and a dict
    is what Django's templates look into fastest."""
    change = _change(before, after)
    was = ""
    if change == Change.CHANGED:
        start, end = before
        was = _("was %(start)s–%(end)s") % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
    return {
        "dagdeel": dagdeel,
        "before": before,
        "after": after,
        "change": change,
        "change_label": str(_CHANGE_LABELS.get(change, "")),
        "before_hours": _hours(before),
        "after_hours": _hours(after),
        "was": was,  # the times before, for a dagdeel whose times changed
    }


def compare_grids(before_slots, after_slots) -> dict:
    """Rows per weekday with a cell (``_compare_cell``) per dagdeel, and the changes as lists
    of "Saturday morning"-style names (so the page says it in words, not colour only)."""
    before, after = _by_cell(before_slots), _by_cell(after_slots)
    rows, changes = [], {Change.ADDED: [], Change.REMOVED: [], Change.CHANGED: []}
    for day in Weekday:
        cells = []
        for dagdeel in Dagdeel:
            key = (day.value, dagdeel.value)
            cell = _compare_cell(dagdeel, before.get(key), after.get(key))
            cells.append(cell)
            if cell["change"] in changes:
                changes[cell["change"]].append(
                    _("%(day)s %(dagdeel)s") % {"day": day.label, "dagdeel": dagdeel.label.lower()}
                )
        rows.append({"day": day, "cells": cells})
    return {
        "rows": rows,
        "added": changes[Change.ADDED],
        "removed": changes[Change.REMOVED],
        "changed": changes[Change.CHANGED],
        "unchanged": not any(changes.values()),
    }


@dataclass(frozen=True)
class Norm:
    dagdelen: int
    days: int
    meets: bool
    min_dagdelen: int = NORM_MIN_DAGDELEN
    min_days: int = NORM_MIN_DAYS


def norm_of(slots) -> Norm:
    return Norm(*norm_counts(list(slots)))


@dataclass(frozen=True)
class Staffing:
    """People needed per week: every open dagdeel needs the hub's minimum staff."""

    min_staff: int
    dagdelen_before: int
    dagdelen_after: int

    @property
    def before(self) -> int:
        return self.dagdelen_before * self.min_staff

    @property
    def after(self) -> int:
        return self.dagdelen_after * self.min_staff

    @property
    def difference(self) -> int:
        return self.after - self.before

    @property
    def size_of_difference(self) -> int:
        return abs(self.difference)


def staffing_effect(hub, before_slots, after_slots) -> Staffing:
    return Staffing(hub.min_staff, len(list(before_slots)), len(list(after_slots)))


def _heat_level(count: int, highest: int) -> int:
    """0 for none, else 1–4 by the share of the busiest cell (the heat-map shade)."""
    if count <= 0 or highest <= 0:
        return 0
    return min(4, 1 + (4 * count - 1) // highest)


def _day_ranges(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as (first, last) runs of consecutive days."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def question_counts(hub, first: dt.date, last: dt.date) -> dict[tuple[int, str], int]:
    """Questions logged at ``hub`` from ``first`` to ``last`` (inclusive), as
    {(weekday, dagdeel): count}; dagdeel "" for questions logged without one.

    Read from the weekly rollups (``reports.rollup``) wherever they hold the answer, so
    the page does not count a quarter's questions on every request: their ``q_slot``
    figures are per hub, week, weekday and dagdeel, so any run of whole days adds up
    exactly. A question's date and dagdeel are set when it is logged (always today) and
    never change, so a week's figures are final for every day that was over when the
    week was refreshed. The rest is counted live, in one grouped query:

    - days not yet rolled up, or still under way at the week's last refresh (normally
      none: ``reports.tasks.refresh_recent`` refreshes this week every 15 minutes);
    - questions without a dagdeel, which the rollups count per week but not per day:
      only in weeks where the rollups show there are any (normally none).

    Like the report pages, this trusts the rollups to be refreshed after a question is
    removed; ``reports.tasks.refresh_weeks_back`` does so nightly for eight weeks back.
    """
    from questions.models import Question
    from reports.models import RollupWeek, WeeklyFigure
    from reports.rollup import monday

    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    week_of = {day: monday(day) for day in days}  # in date order
    refreshed = RollupWeek.objects.filter(week__in=set(week_of.values()))
    # A week's figures are final for the days that were over when it was last refreshed.
    final_before = {
        week: timezone.localdate(at) for week, at in refreshed.values_list("week", "refreshed_at")
    }
    rolled_up = {day for day, week in week_of.items() if day < final_before.get(week, day)}
    live_days = [day for day in week_of if day not in rolled_up]

    counts: dict[tuple[int, str], int] = defaultdict(int)
    week_total: dict[dt.date, int] = defaultdict(int)  # all questions of the week
    week_with_dagdeel: dict[dt.date, int] = defaultdict(int)
    # Both queries below are always asked (by range, which Django never skips as it
    # skips an empty ``__in``), so the page makes the same queries whatever the state
    # of the rollups: three in all.
    rolled_up_weeks = {week_of[day] for day in rolled_up}
    figures = WeeklyFigure.objects.filter(
        hub=hub, week__range=(monday(first), monday(last)), metric__in=("q", "q_slot")
    ).values_list("week", "metric", "key", "value")
    for week, metric, key, value in figures:
        if week not in rolled_up_weeks:
            continue
        if metric == "q":
            week_total[week] += value
            continue
        week_with_dagdeel[week] += value
        weekday, dagdeel_index = divmod(key, 3)  # reports.rollup.slot_key
        if week + dt.timedelta(days=weekday) in rolled_up:
            counts[(weekday, _DAGDEEL_BY_INDEX[dagdeel_index])] += value
    # The rollups count questions without a dagdeel per week only: count those live.
    unknown_days = [
        day for day in rolled_up if week_total[week_of[day]] > week_with_dagdeel[week_of[day]]
    ]

    live = Q()
    for start, end in _day_ranges(live_days):
        live |= Q(date__range=(start, end))
    for start, end in _day_ranges(unknown_days):
        live |= Q(date__range=(start, end), dagdeel="")
    if not live:  # nothing to count live: an empty day range, answered off the index
        live = Q(date__range=(last + dt.timedelta(days=1), last))
    grouped = (
        Question.objects.filter(live, hub=hub)
        .annotate(iso_weekday=ExtractIsoWeekDay("date"))
        .values("iso_weekday", "dagdeel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        counts[(row["iso_weekday"] - 1, row["dagdeel"])] += row["n"]
    return {cell: n for cell, n in counts.items() if n}


def _past_question_counts(hub, first: dt.date, last: dt.date) -> dict[tuple[int, str], int]:
    """``question_counts`` for days that are over (``last`` before today), kept in the cache
    for REPORT_CACHE_SECONDS as the report pages keep their figures (0: not kept).

    Questions are only ever logged for today, so the count of days that are over no
    longer grows: the figures are the same for everyone who may see the hub's proposals
    and only change when a question is removed, which the rollups themselves take up
    to a night to show. The key holds the days, so a new day starts a new count.
    """
    seconds = settings.REPORT_CACHE_SECONDS
    if not seconds:
        return question_counts(hub, first, last)
    key = f"proposal-question-counts:{hub.pk}:{first.isoformat()}:{last.isoformat()}"
    counts = cache.get(key)
    if counts is None:
        counts = question_counts(hub, first, last)
        cache.set(key, counts, seconds)
    return counts


def question_evidence(hub, today: dt.date, proposed_slots=()) -> dict:
    """Questions logged at ``hub`` per weekday × dagdeel over the last ``EVIDENCE_WEEKS``
    whole weeks, with the dagdelen open in ``proposed_slots`` marked.

    Mostly read from the weekly rollups (see ``question_counts``): three small
    queries, whatever the number of questions, and none while the counts are in the
    cache (``_past_question_counts``). Questions logged without a dagdeel are counted
    per weekday in their own column.
    """
    first = today - dt.timedelta(weeks=EVIDENCE_WEEKS)
    last = today - dt.timedelta(days=1)
    counts = _past_question_counts(hub, first, last)
    proposed = set(_by_cell(proposed_slots))
    highest = max((n for (_day, dagdeel), n in counts.items() if dagdeel), default=0)
    rows = []
    for day in Weekday:
        cells = []
        for dagdeel in Dagdeel:
            count = counts.get((day.value, dagdeel.value), 0)
            cells.append(
                {
                    "dagdeel": dagdeel,
                    "count": count,
                    "level": _heat_level(count, highest),
                    "proposed_open": (day.value, dagdeel.value) in proposed,
                }
            )
        unknown = counts.get((day.value, ""), 0)
        rows.append(
            {
                "day": day,
                "cells": cells,
                "unknown": unknown,
                "total": sum(c["count"] for c in cells) + unknown,
            }
        )
    return {
        "rows": rows,
        "first": first,
        "last": last,
        "weeks": EVIDENCE_WEEKS,
        "total": sum(counts.values()),
        "has_unknown": any(row["unknown"] for row in rows),
        "in_proposed": sum(n for (day, dagdeel), n in counts.items() if (day, dagdeel) in proposed),
    }


def proposal_analysis(hub, *, before_version, after_slots, today: dt.date) -> dict:
    """Everything the analysis partial shows. ``before_version`` may be None (a hub
    without opening hours yet); ``after_slots`` may be None when the grid has errors,
    then only the current situation and the evidence are shown."""
    before_slots = list(before_version.slots.all()) if before_version else []
    analysis = {
        "hub": hub,
        "before_version": before_version,
        "before_norm": norm_of(before_slots),
        "evidence": question_evidence(hub, today, after_slots or ()),
        "complete": after_slots is not None,
    }
    if after_slots is not None:
        analysis.update(
            {
                "compare": compare_grids(before_slots, after_slots),
                "after_norm": norm_of(after_slots),
                "staffing": staffing_effect(hub, before_slots, after_slots),
            }
        )
    return analysis


# --- list and detail -------------------------------------------------------------------------


# What the pages show of a person (``str(user)``: the full name, else the e-mail address).
_PERSON_FIELDS = ("first_name", "last_name", "email")


def with_person(queryset, person: str):
    """``queryset`` with the person in its foreign key ``person`` (e.g. a message's author)
    read in the same query, but only their name and e-mail address: the other columns of
    a user (the password hash, the dates) cost time to read and are never shown."""
    own = [field.name for field in queryset.model._meta.concrete_fields]
    return queryset.select_related(person).only(*own, *(f"{person}__{n}" for n in _PERSON_FIELDS))


# The proposal fields the list shows or needs (``Proposal.is_overdue``, the URL, the order).
_LIST_FIELDS = ("hub", "title", "status", "created_at", "submitted_at", "answer_due", "decision")


def proposals_for_list(user, *, status: str = "", hub=None):
    """The proposals ``user`` may see, newest first, with what the list shows (and only
    that: a page of 50 proposals and their hubs with every column is most of the time
    spent on the list)."""
    proposals = (
        Proposal.objects.visible_to(user).select_related("hub").only(*_LIST_FIELDS, "hub__name")
    )
    if status:
        proposals = proposals.filter(status=status)
    if hub is not None:
        proposals = proposals.filter(hub=hub)
    return proposals.order_by("-created_at", "-pk")


def proposal_for_detail(pk: int) -> Proposal | None:
    """The proposal with its hub, author (only what is shown of them) and slots (proposed
    and adopted), in two queries. The timeline, conversation and answers are read by
    ``views.workflow.workflow_context``, each in one query with its authors."""
    proposals = with_person(Proposal.objects.select_related("hub"), "created_by")
    proposal = proposals.filter(pk=pk).first()
    if proposal is not None:
        # What prefetch_related("slots") would leave behind, without its machinery (which
        # costs more than the query itself): proposal.slots.all() is this list.
        slots = list(ProposalSlot.objects.filter(proposal_id=proposal.pk))
        for slot in slots:
            slot.proposal = proposal
        proposal._prefetched_objects_cache = {"slots": slots}
    return proposal


def comparison_version(proposal: Proposal):
    """The opening hours a proposal is compared with: those in force on its desired
    start (or, once decided, its start date), leaving out its own resulting version."""
    day = proposal.start_date or proposal.desired_start
    return version_in_force(proposal.hub, day, exclude_pk=proposal.effective_version_id)


DECIDED_STATUSES = (Status.DECIDED, Status.PLANNED, Status.IN_FORCE)
