""" "Mijn hub deze week": the current week of a few hubs, read straight from the tables.

This week is small (a few hundred questions and a few dozen dagdelen per hub) and
must be up to the minute, so it is not taken from the weekly rollups. Whatever the
number of hubs or questions, ``week_summaries`` runs at most four queries: questions
(counted by hub, topic, outcome and week), the topics' names, the week's dagdelen and
the open callbacks.
Only counts: no resident's data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from accounts.constants import Role
from hubs.models import Hub
from questions.constants import Outcome
from questions.models import CallbackRequest, Question, Topic
from scheduling.models import Shift, SignUp

from .report import pct
from .rollup import monday

TOP_TOPICS = 3
# What the page reads of a dagdeel (not its roles, notes or times of creation).
SHIFT_FIELDS = (
    "hub_id",
    "date",
    "dagdeel",
    "starts_at",
    "ends_at",
    "min_staff",
    "confirmed_count",
    "is_cancelled",
)


@dataclass
class OutcomeShare:
    label: str
    count: int
    share: float | None  # 0–100; None without questions


@dataclass
class HubWeek:
    hub: Hub
    questions: int = 0
    questions_same_days_last_week: int = 0
    outcomes: list[OutcomeShare] = field(default_factory=list)
    top_topics: list[tuple[str, int]] = field(default_factory=list)  # (main topic, questions)
    dagdelen_open: int = 0  # this week, Monday to Sunday, not cancelled
    dagdelen_cancelled: int = 0
    dagdelen_done: int = 0  # started by now
    under_minimum: int = 0  # started with fewer people than the minimum
    to_come: int = 0
    short_to_come: list[Shift] = field(default_factory=list)  # still to come, under the minimum
    callbacks_open: int = 0
    callbacks_overdue: int = 0


def my_hubs(user, today: dt.date):
    """The active hubs that are "mine" this week: where the user is host or
    wijkmanager, and where she has a confirmed place in a dagdeel this week (how
    civil servants and KCC staff come to a hub)."""
    first = monday(today)
    access = user.access
    working_here = SignUp.objects.confirmed().filter(
        user=user,
        date__range=(first, first + dt.timedelta(days=6)),
        shift__is_cancelled=False,
    )
    return (
        Hub.objects.active()
        .filter(
            Q(pk__in=access.hub_ids(Role.HOST) | access.managed_hub_ids)
            | Q(pk__in=working_here.values("shift__hub_id"))
        )
        .order_by("name")
    )


def week_summaries(hubs: list[Hub], today: dt.date, now: dt.datetime) -> list[HubWeek]:
    """This week so far (Monday up to ``today``) for each hub, in the order given."""
    first = monday(today)
    sunday = first + dt.timedelta(days=6)
    last_week = (first - dt.timedelta(weeks=1), today - dt.timedelta(weeks=1))
    summaries = {hub.pk: HubWeek(hub) for hub in hubs}
    hub_ids = list(summaries)
    if not hub_ids:
        return []

    # One pass over both weeks' questions, counted by hub, topic, outcome and week:
    # a few hundred rows, from which the counts, outcomes and top topics are summed here.
    in_this_week = ExpressionWrapper(Q(date__gte=first), output_field=BooleanField())
    counted = (
        Question.objects.filter(hub_id__in=hub_ids)
        .filter(Q(date__range=(first, today)) | Q(date__range=last_week))
        .values("hub_id", "topic_id", "outcome")
        .annotate(this_week=in_this_week, n=Count("pk"))
        .order_by()
        .values_list("hub_id", "topic_id", "outcome", "this_week", "n")
    )
    outcomes: dict[int, Counter] = defaultdict(Counter)
    by_topic: dict[int, Counter] = defaultdict(Counter)
    for hub_id, topic_id, outcome, this_week, n in counted:
        summary = summaries[hub_id]
        if this_week:
            summary.questions += n
            outcomes[hub_id][outcome] += n
            by_topic[hub_id][topic_id] += n
        else:
            summary.questions_same_days_last_week += n
    for hub_id, summary in summaries.items():
        counts = outcomes[hub_id]
        summary.outcomes = [
            OutcomeShare(str(label), counts[value], pct(counts[value], summary.questions))
            for value, label in Outcome.choices
        ]

    # Topics are counted by main topic: "Wonen", not each of its subtopics.
    if by_topic:
        main_topic = {
            pk: parent or name
            for pk, name, parent in Topic.objects.values_list("pk", "name", "parent__name")
        }
        for hub_id, counter in by_topic.items():
            mains: Counter = Counter()
            for topic_id, n in counter.items():
                mains[main_topic[topic_id]] += n
            ranked = sorted(mains.items(), key=lambda kv: (-kv[1], kv[0]))
            summaries[hub_id].top_topics = ranked[:TOP_TOPICS]

    week_shifts = (
        Shift.objects.filter(hub_id__in=hub_ids, date__range=(first, sunday))
        .only(*SHIFT_FIELDS)
        .order_by("starts_at")
    )
    for shift in week_shifts:
        summary = summaries[shift.hub_id]
        if shift.is_cancelled:
            summary.dagdelen_cancelled += 1
            continue
        summary.dagdelen_open += 1
        short = shift.confirmed_count < shift.min_staff
        if shift.has_started(now):
            summary.dagdelen_done += 1
            summary.under_minimum += short
        else:
            summary.to_come += 1
            if short:
                summary.short_to_come.append(shift)

    for row in (
        CallbackRequest.objects.open()
        .filter(hub_id__in=hub_ids)
        .values("hub_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
        .order_by()
    ):
        summaries[row["hub_id"]].callbacks_open = row["n"]
        summaries[row["hub_id"]].callbacks_overdue = row["overdue"]

    return [summaries[hub.pk] for hub in hubs]
