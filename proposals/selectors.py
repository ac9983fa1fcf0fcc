"""Read queries of the proposal pages: the list, the detail page, and the analysis shown
while drafting and on the detail page (before/after grid, norm, staffing, evidence).

The analysis works on "slot-like" values: ``OpeningSlot`` and ``ProposalSlot`` rows or
the dicts of ``WeekGridForm.grid_slots``, so a preview that is not saved yet gets the
same analysis as a stored proposal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.db.models.functions import ExtractIsoWeekDay
from django.utils.translation import gettext as _

from hubs.constants import NORM_MIN_DAGDELEN, NORM_MIN_DAYS, Dagdeel, Weekday
from hubs.models import OpeningSlot

from .constants import Status
from .models import Proposal, norm_counts

# The question log looked at as evidence: the twelve whole weeks before today, so
# every weekday occurs exactly twelve times and today's half-logged day is left out.
EVIDENCE_WEEKS = 12


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
    """
    versions = hub.schedule_versions.filter(valid_from__lte=day)
    if exclude_pk is not None:
        versions = versions.exclude(pk=exclude_pk)
    return (
        versions.order_by("-valid_from")
        .prefetch_related(Prefetch("slots", queryset=OpeningSlot.objects.order_by()))
        .first()
    )


# --- the analysis ----------------------------------------------------------------------------


class Change:
    SAME_OPEN = "same"
    SAME_CLOSED = "closed"
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class CompareCell:
    dagdeel: Dagdeel
    before: tuple[dt.time, dt.time] | None
    after: tuple[dt.time, dt.time] | None

    @property
    def change(self) -> str:
        if self.before is None:
            return Change.SAME_CLOSED if self.after is None else Change.ADDED
        if self.after is None:
            return Change.REMOVED
        return Change.SAME_OPEN if self.before == self.after else Change.CHANGED

    @property
    def change_label(self) -> str:
        return {
            Change.ADDED: _("added"),
            Change.REMOVED: _("removed"),
            Change.CHANGED: _("other times"),
        }.get(self.change, "")


def compare_grids(before_slots, after_slots) -> dict:
    """Rows per weekday with a ``CompareCell`` per dagdeel, and the changes as lists
    of "Saturday morning"-style names (so the page says it in words, not colour only)."""
    before, after = _by_cell(before_slots), _by_cell(after_slots)
    rows, changes = [], {Change.ADDED: [], Change.REMOVED: [], Change.CHANGED: []}
    for day in Weekday:
        cells = []
        for dagdeel in Dagdeel:
            key = (day.value, dagdeel.value)
            cell = CompareCell(dagdeel, before.get(key), after.get(key))
            cells.append(cell)
            if cell.change in changes:
                changes[cell.change].append(
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


def question_evidence(hub, today: dt.date, proposed_slots=()) -> dict:
    """Questions logged at ``hub`` per weekday × dagdeel over the last ``EVIDENCE_WEEKS``
    whole weeks, with the dagdelen open in ``proposed_slots`` marked.

    One grouped query, whatever the number of questions. Questions logged without a
    dagdeel are counted per weekday in their own column.
    """
    from questions.models import Question

    first = today - dt.timedelta(weeks=EVIDENCE_WEEKS)
    last = today - dt.timedelta(days=1)
    counts: dict[tuple[int, str], int] = {}
    grouped = (
        Question.objects.filter(hub=hub, date__gte=first, date__lte=last)
        .annotate(iso_weekday=ExtractIsoWeekDay("date"))
        .values("iso_weekday", "dagdeel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        counts[(row["iso_weekday"] - 1, row["dagdeel"])] = row["n"]
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


def proposals_for_list(user, *, status: str = "", hub=None):
    """The proposals ``user`` may see, newest first, with what the list shows."""
    proposals = Proposal.objects.visible_to(user).select_related("hub")
    if status:
        proposals = proposals.filter(status=status)
    if hub is not None:
        proposals = proposals.filter(hub=hub)
    return proposals.order_by("-created_at", "-pk")


def proposal_for_detail(pk: int) -> Proposal | None:
    """The proposal with its hub, author and slots (proposed and adopted). The timeline,
    conversation and answers are read by ``views.workflow.workflow_context``, each in
    one query with its authors."""
    return (
        Proposal.objects.select_related("hub", "created_by", "effective_version")
        .prefetch_related("slots")
        .filter(pk=pk)
        .first()
    )


def comparison_version(proposal: Proposal):
    """The opening hours a proposal is compared with: those in force on its desired
    start (or, once decided, its start date), leaving out its own resulting version."""
    day = proposal.start_date or proposal.desired_start
    return version_in_force(proposal.hub, day, exclude_pk=proposal.effective_version_id)


DECIDED_STATUSES = (Status.DECIDED, Status.PLANNED, Status.IN_FORCE)
