"""The figures of one report: a scope (hub, gebied or city) over a period.

``build_report`` returns ``Table`` objects; the page draws them (chart + table)
and the CSV/XLSX exports write the very same rows, so the two cannot disagree.
Values are raw numbers (percentages 0–100, hours, days) or ``None`` where there
is nothing to divide by; formatting is the template's job.

Queries do not grow with the data: the weekly rollups are summed in the database
(``reports.rollup``), callbacks and proposals are aggregated directly.
"""

from __future__ import annotations

import datetime as dt
import operator
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Cluster
from hubs.constants import Dagdeel, Weekday
from proposals.constants import Status
from proposals.models import Proposal
from questions.constants import CLOSED_STATUSES, CallbackStatus, Outcome
from questions.models import Article, CallbackRequest, ReferralTarget, Topic

from .models import WeeklyFigure
from .period import Period
from .rollup import OUTCOME_INDEX, ROSTER_METRICS, local_bounds

# Headings, so the capitalised names of ``Weekday`` ("Maandag", not Django's "maandag").
WEEKDAYS = tuple(label for _value, label in Weekday.choices)


# --- result types ------------------------------------------------------------------------------


@dataclass
class Column:
    label: str
    kind: str = "text"  # text | int | float | pct | hours | days | week | row


@dataclass
class Table:
    """A titled table. A column of kind ``row`` takes its kind from ``row_kinds``."""

    id: str
    title: str
    columns: list[Column]
    rows: list[list]
    row_kinds: list[str] = field(default_factory=list)
    description: str = ""
    chart: dict | None = None

    def kind_at(self, row: int, col: int) -> str:
        kind = self.columns[col].kind
        return self.row_kinds[row] if kind == "row" else kind


@dataclass
class Scope:
    kind: str  # city | gebied | hub
    name: str
    hub_ids: list[int] | None  # None: the whole city
    obj: object = None

    @property
    def is_city(self) -> bool:
        return self.hub_ids is None


@dataclass
class Report:
    scope: Scope
    period: Period
    previous: Period
    headline: Table
    sections: list[tuple[str, str, list[Table]]]  # (anchor, title, tables)

    @property
    def tables(self) -> list[Table]:
        return [self.headline] + [t for _a, _t, tables in self.sections for t in tables]

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)


# --- arithmetic --------------------------------------------------------------------------------


def pct(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def ratio(part, whole, digits: int = 1) -> float | None:
    return round(part / whole, digits) if whole else None


def _round(value, digits: int = 1):
    return None if value is None else round(value, digits)


class Median(Aggregate):
    """PostgreSQL's exact median of a number."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _hours_between(start: str, end: str):
    diff = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    return Func(
        diff, template="EXTRACT(EPOCH FROM %(expressions)s) / 3600.0", output_field=FloatField()
    )


def _both_ends(start: str, end: str) -> Q:
    return Q(**{f"{start}__isnull": False, f"{end}__isnull": False})


def _median_annotations(spans: dict[str, tuple[str, str, Q]]) -> dict:
    """PostgreSQL: exact medians, in hours, as annotations of the same query."""
    return {
        name: Median(_hours_between(start, end), filter=flt & _both_ends(start, end))
        for name, (start, end, flt) in spans.items()
    }


def _python_medians(qs, group: str | None, spans: dict[str, tuple[str, str, Q]]) -> dict:
    """Elsewhere (SQLite in development): the spans are read and the median taken here.

    One query per pair of fields: spans between the same two fields (a period and the
    one before it) share it, each row flagged with the filters it meets."""
    groups = [group] if group else []
    found: dict = defaultdict(lambda: defaultdict(list))
    pairs: dict = defaultdict(dict)
    for name, (start, end, flt) in spans.items():
        pairs[start, end][name] = flt
    for (start, end), filters in pairs.items():
        flags = {
            f"in_{name}": ExpressionWrapper(flt, output_field=BooleanField())
            for name, flt in filters.items()
            if flt
        }
        rows = qs.filter(_both_ends(start, end))
        if len(flags) == len(filters):  # every span is filtered: read only their rows
            rows = rows.filter(reduce(operator.or_, filters.values()))
        for row in rows.annotate(**flags).values(*groups, start, end, *flags):
            hours = (row[end] - row[start]).total_seconds() / 3600
            for name, flt in filters.items():
                if not flt or row[f"in_{name}"]:
                    found[row[group] if group else None][name].append(hours)
    return {
        key: {name: statistics.median(values) for name, values in lists.items()}
        for key, lists in found.items()
    }


def _with_medians(qs, group: str | None, annotations: dict, spans: dict) -> dict:
    """{group value: {name: value}}: the counts in ``annotations`` plus the medians."""
    on_postgres = connection.vendor == "postgresql"
    if on_postgres:
        annotations = {**annotations, **_median_annotations(spans)}
    groups = [group] if group else []
    if group:
        rows = qs.values(*groups).annotate(**annotations).order_by()
        stats = {row[group]: dict(row) for row in rows}
    else:
        stats = {None: qs.aggregate(**annotations)}
    if not on_postgres:
        medians = _python_medians(qs, group, spans)
        for key, row in stats.items():
            row.update({name: medians.get(key, {}).get(name) for name in spans})
    return stats


# --- callbacks and proposals (read directly) -----------------------------------------------------

CALLBACK_SPANS = {
    "first_h": ("created_at", "first_attempt_at", Q()),
    "done_h": ("created_at", "closed_at", Q(status=CallbackStatus.COMPLETED)),
}


def callback_stats(qs, group: str | None, today: dt.date) -> dict:
    """Per ``group`` value: requests, due, on time, closed, unreachable and medians.

    Due: closed, or still open after its date (one due today still counts as in time).
    On time: closed by the date promised to the resident (Amsterdam's calendar day),
    whether completed or marked unreachable after the team's attempts: how the
    resident answered is the unreachable figure's business, not the team's punctuality.
    """
    closed = Q(status__in=CLOSED_STATUSES)
    counts = {
        "n": Count("pk"),
        "due": Count("pk", filter=Q(due_date__lt=today) | closed),
        "on_time": Count("pk", filter=closed & Q(closed_day__lte=F("due_date"))),
        "closed": Count("pk", filter=closed),
        "unreachable": Count("pk", filter=Q(status=CallbackStatus.UNREACHABLE)),
    }
    return _with_medians(
        qs.annotate(closed_day=TruncDate("closed_at")), group, counts, CALLBACK_SPANS
    )


def _callback_row(label: str, s: dict | None) -> list:
    s = s or {}
    return [
        label,
        s.get("n", 0),
        s.get("due", 0),
        pct(s.get("on_time", 0), s.get("due", 0)),
        _round(s.get("first_h")),
        _round(s.get("done_h")),
        pct(s.get("unreachable", 0), s.get("closed", 0)),
    ]


# --- the report ----------------------------------------------------------------------------------


class _Sums:
    """Rollup totals: ``get(metric, key, current=True, city=False)``."""

    def __init__(self, rows):
        self.data: dict = defaultdict(int)
        self.keys: dict = defaultdict(set)
        for metric, key, cur, city, total in rows:
            self.data[metric, key, cur, city] += total
            self.keys[metric].add(key)

    def get(self, metric: str, key: int = 0, current: bool = True, city: bool = False) -> int:
        return self.data.get((metric, key, current, city), 0)

    def by_key(self, metric: str, current: bool = True, city: bool = False) -> dict[int, int]:
        return {key: v for key in self.keys[metric] if (v := self.get(metric, key, current, city))}


def _scope_filter(scope: Scope) -> Q:
    if scope.is_city:
        return Q(hub__isnull=True)
    return Q(hub_id__in=scope.hub_ids) | Q(hub__isnull=True)


def _in_scope(scope: Scope, field_name: str = "hub_id") -> Q:
    return Q() if scope.is_city else Q(**{f"{field_name}__in": scope.hub_ids})


def _names(article_ids) -> dict[str, dict[int, tuple[str, int | None]]]:
    """Topic, referral, cluster and article names in one query."""

    def part(qs, kind: str, name: str, parent=None):
        return (
            qs.annotate(
                n_kind=Value(kind, output_field=CharField()),
                n_id=F("pk"),
                n_name=F(name),
                n_parent=F(parent) if parent else Value(None, output_field=IntegerField()),
            )
            .values_list("n_kind", "n_id", "n_name", "n_parent")
            .order_by()
        )

    query = part(Topic.objects.all(), "topic", "name", "parent_id").union(
        part(ReferralTarget.objects.all(), "referral", "name"),
        part(Cluster.objects.all(), "cluster", "name"),
        part(Article.objects.filter(pk__in=list(article_ids)), "article", "title"),
        all=True,
    )
    names: dict = defaultdict(dict)
    for kind, pk, name, parent in query:
        names[kind][pk] = (name, parent)
    return names


def build_report(scope: Scope, period: Period, today: dt.date | None = None) -> Report:
    today = today or timezone.localdate()
    previous = period.previous()
    is_city = ExpressionWrapper(Q(hub__isnull=True), output_field=BooleanField())
    current = Case(
        When(week__gte=period.first, then=True), default=False, output_field=BooleanField()
    )
    base = WeeklyFigure.objects.filter(
        _scope_filter(scope), week__range=(previous.first, period.last)
    )
    sums = _Sums(
        base.annotate(cur=current, city=is_city)
        .values("metric", "key", "cur", "city")
        .annotate(total=Sum("value"))
        .order_by()
        .values_list("metric", "key", "cur", "city", "total")
    )
    if scope.is_city:  # the city's own rows are the scope and the comparison at once
        for (metric, key, cur, _city), v in list(sums.data.items()):
            sums.data[metric, key, cur, False] = v
    weekly: dict = defaultdict(int)
    for week, metric, city, total in (
        base.filter(metric__in=("q", "active"))
        .annotate(city=is_city)
        .values("week", "metric", "city")
        .annotate(total=Sum("value"))
        .order_by()
        .values_list("week", "metric", "city", "total")
    ):
        weekly[week, metric, city] += total
        if scope.is_city:
            weekly[week, metric, False] += total

    top_articles = sorted(sums.by_key("q_article").items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    names = _names(pk for pk, _n in top_articles)

    # Counts are compared with the city as if the city's average hub had been open
    # as many weeks as the hubs in scope.
    hub_weeks = sums.get("active")
    city_hub_weeks = sums.get("active", city=True)

    def scaled(city_value: int):
        """A city count as the city's average hub would have had it in ``hub_weeks``."""
        if scope.is_city:
            return city_value
        return round(city_value * hub_weeks / city_hub_weeks, 1) if city_hub_weeks else None

    def city_avg(metric: str, key: int = 0):
        return scaled(sums.get(metric, key, city=True))

    def trio(metric: str, key: int = 0) -> list:
        return [sums.get(metric, key), sums.get(metric, key, current=False), city_avg(metric, key)]

    def share_trio(metric: str, key: int, whole: str) -> list:
        return [
            pct(sums.get(metric, key), sums.get(whole)),
            pct(sums.get(metric, key, current=False), sums.get(whole, current=False)),
            pct(sums.get(metric, key, city=True), sums.get(whole, city=True)),
        ]

    def per_open(cur: bool, city: bool) -> float | None:
        open_dagdelen = sum(sums.by_key("open_slot", cur, city).values())
        return ratio(sums.get("q", current=cur, city=city), open_dagdelen)

    # --- callbacks and proposals
    start, end = local_bounds(period.first, period.last)
    prev_start, _prev_end = local_bounds(previous.first, previous.last)
    callbacks = CallbackRequest.objects.filter(created_at__gte=prev_start, created_at__lt=end)
    scoped_callbacks = callbacks.filter(_in_scope(scope))
    per_team = callback_stats(
        scoped_callbacks.filter(created_at__gte=start).annotate(team_name=F("team__name")),
        "team_name",
        today,
    )
    by_period = callback_stats(
        scoped_callbacks.annotate(
            in_period=Case(
                When(created_at__gte=start, then=True), default=False, output_field=BooleanField()
            )
        ),
        "in_period",
        today,
    )
    city_callbacks = callback_stats(callbacks.filter(created_at__gte=start), None, today).get(None)
    cb_now, cb_prev = by_period.get(True), by_period.get(False)

    proposal_rows = _proposal_stats(scope, period, previous)

    # --- headline
    def cb(stats, key):
        row = _callback_row("", stats)
        return row[key]

    answered, referred, callback = (OUTCOME_INDEX[o] for o in Outcome.values)
    headline_rows = [
        (_("Questions"), "int", trio("q")),
        (
            _("Questions per open dagdeel"),
            "float",
            [per_open(True, False), per_open(False, False), per_open(True, True)],
        ),
        (_("Answered on the spot"), "pct", share_trio("q_outcome", answered, "q")),
        (_("Referred"), "pct", share_trio("q_outcome", referred, "q")),
        (_("Callback requests"), "pct", share_trio("q_outcome", callback, "q")),
        (
            _("Callbacks made on time"),
            "pct",
            [cb(cb_now, 3), cb(cb_prev, 3), cb(city_callbacks, 3)],
        ),
        (
            _("Median time to first attempt"),
            "hours",
            [cb(cb_now, 4), cb(cb_prev, 4), cb(city_callbacks, 4)],
        ),
        (
            _("Median time to completion"),
            "hours",
            [cb(cb_now, 5), cb(cb_prev, 5), cb(city_callbacks, 5)],
        ),
        (_("Residents unreachable"), "pct", [cb(cb_now, 6), cb(cb_prev, 6), cb(city_callbacks, 6)]),
        (_("Dagdelen open"), "int", _open_trio(sums, scaled)),
        (_("Dagdelen under the minimum"), "int", trio("under_min")),
        (_("Fill rate"), "pct", _fill_trio(sums)),
        (_("No-shows"), "int", trio("no_shows")),
        (
            _("Proposals decided"),
            "int",
            [
                proposal_rows["scope"]["decided"],
                proposal_rows["scope"]["decided_before"],
                scaled(proposal_rows["city"]["decided"]),
            ],
        ),
        (
            _("Median answer time for proposals"),
            "days",
            [
                proposal_rows["scope"]["answer_days"],
                proposal_rows["scope"]["answer_days_before"],
                proposal_rows["city"]["answer_days"],
            ],
        ),
        (_("Knowledge gaps logged"), "int", trio("gaps")),
    ]
    headline = Table(
        "kerncijfers",
        _("Headline figures"),
        [
            Column(_("Figure")),
            Column(_("This period"), "row"),
            Column(_("Previous period"), "row"),
            Column(_("City average"), "row"),
        ],
        [[label, *values] for label, _kind, values in headline_rows],
        row_kinds=[kind for _label, kind, _values in headline_rows],
        description=_(
            "City average of a count: what the city's average hub had in as many open weeks "
            "(weeks in which a hub opened or logged a question). Percentages, medians and "
            "questions per open dagdeel are the city's own."
        ),
    )

    sections = [
        (
            "vragen",
            _("What residents come with"),
            [
                _trend_table(period, previous, weekly),
                _topic_table(sums, names["topic"]),
                _outcome_table(sums),
                _referral_table(sums, names["referral"]),
            ],
        ),
        ("drukte", _("Busiest moments"), [_busy_table(sums)]),
        (
            "terugbellen",
            _("Callbacks"),
            [_callback_table(per_team, cb_now, cb_prev, city_callbacks, scope)],
        ),
        (
            "rooster",
            _("Roster"),
            [_roster_table(sums, trio, scaled), _cluster_table(sums, names["cluster"])],
        ),
        ("voorstellen", _("Wijkraad proposals"), [_proposal_table(proposal_rows, scope)]),
        (
            "kennisbank",
            _("Kennisbank"),
            [_kennisbank_table(sums, scaled), _article_table(top_articles, names["article"])],
        ),
    ]
    return Report(scope, period, previous, headline, sections)


def _open_trio(sums: _Sums, scaled) -> list:
    def open_count(cur=True, city=False):
        return sums.get("planned", current=cur, city=city) - sums.get(
            "cancelled", current=cur, city=city
        )

    # Scaled once: two rounded averages subtracted could be 0.1 off.
    return [open_count(), open_count(cur=False), scaled(open_count(city=True))]


def _fill_trio(sums: _Sums) -> list:
    return [
        pct(
            sums.get("places_filled", current=c, city=city),
            sums.get("places_needed", current=c, city=city),
        )
        for c, city in ((True, False), (False, False), (True, True))
    ]


def _proposal_stats(scope: Scope, period: Period, previous: Period) -> dict:
    """Open now, submitted and decided in the period, and the median answer time in
    days, of the scope and of the whole city; decided and answer time also for the
    previous period."""
    start, end = local_bounds(period.first, period.last)
    prev_start, _prev_end = local_bounds(previous.first, previous.last)
    waiting = Q(status__in=(Status.SUBMITTED, Status.IN_CONVERSATION))
    decided_in = Q(decided_at__gte=start, decided_at__lt=end)
    decided_before = Q(decided_at__gte=prev_start, decided_at__lt=start)
    result = {}
    for name, qs in (
        ("scope", Proposal.objects.filter(_in_scope(scope))),
        ("city", Proposal.objects.all()),
    ):
        counts = _with_medians(
            qs,
            None,
            {
                "open": Count("pk", filter=waiting),
                "submitted": Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end)),
                "decided": Count("pk", filter=decided_in),
                "decided_before": Count("pk", filter=decided_before),
            },
            {
                "answer_h": ("submitted_at", "decided_at", decided_in),
                "answer_h_before": ("submitted_at", "decided_at", decided_before),
            },
        )[None]
        for days, hours in (
            ("answer_days", counts.pop("answer_h")),
            ("answer_days_before", counts.pop("answer_h_before")),
        ):
            counts[days] = None if hours is None else round(hours / 24, 1)
        result[name] = counts
    return result


# --- the tables ---------------------------------------------------------------------------------


def _trend_table(period: Period, previous: Period, weekly: dict) -> Table:
    rows = []
    for i, week in enumerate(period.mondays):
        before = previous.mondays[i]
        active = weekly.get((week, "active", False), 0)
        city_active = weekly.get((week, "active", True), 0)
        city_q = weekly.get((week, "q", True), 0)
        rows.append(
            [
                week,
                weekly.get((week, "q", False), 0),
                weekly.get((before, "q", False), 0),
                round(city_q * active / city_active, 1) if city_active else None,
            ]
        )
    return Table(
        "trend",
        _("Questions per week"),
        [
            Column(_("Week"), "week"),
            Column(_("Questions"), "int"),
            Column(_("Same week, previous period"), "int"),
            Column(_("City average"), "float"),
        ],
        rows,
        description=_(
            "City average: the city's questions that week per hub that opened or logged "
            "questions, times the number of such hubs here."
        ),
        chart={"type": "trend", "x": 0, "bars": 1, "lines": [3, 2]},
    )


def _topic_table(sums: _Sums, topics: dict) -> Table:
    counts = sums.by_key("q_topic")
    before = sums.by_key("q_topic", current=False)
    city = sums.by_key("q_topic", city=True)
    total, city_total = sums.get("q"), sums.get("q", city=True)
    main_totals: dict = defaultdict(int)

    def main_of(topic_id):
        name, parent = topics.get(topic_id, ("?", None))
        return parent or topic_id

    for topic_id in set(counts) | set(before):
        main_totals[main_of(topic_id)] += counts.get(topic_id, 0)
    rows = []
    for topic_id in sorted(
        set(counts) | set(before),
        key=lambda t: (
            -main_totals[main_of(t)],
            topics.get(main_of(t), ("",))[0],
            -counts.get(t, 0),
            -before.get(t, 0),
            topics.get(t, ("",))[0],
        ),
    ):
        name, parent = topics.get(topic_id, ("?", None))
        main = topics.get(parent, ("?",))[0] if parent else name
        rows.append(
            [
                main,
                name if parent else "",
                counts.get(topic_id, 0),
                pct(counts.get(topic_id, 0), total),
                before.get(topic_id, 0),
                pct(city.get(topic_id, 0), city_total),
            ]
        )
    return Table(
        "onderwerpen",
        _("Topics"),
        [
            Column(_("Topic")),
            Column(_("Subtopic")),
            Column(_("Questions"), "int"),
            Column(_("Share"), "pct"),
            Column(_("Previous period"), "int"),
            Column(_("City share"), "pct"),
        ],
        rows,
        chart={"type": "bars", "label": 0, "value": 2, "group": True, "limit": 12},
    )


def _outcome_table(sums: _Sums) -> Table:
    rows = []
    for i, (_value, label) in enumerate(Outcome.choices):
        rows.append(
            [
                str(label),
                sums.get("q_outcome", i),
                pct(sums.get("q_outcome", i), sums.get("q")),
                pct(sums.get("q_outcome", i, current=False), sums.get("q", current=False)),
                pct(sums.get("q_outcome", i, city=True), sums.get("q", city=True)),
            ]
        )
    return Table(
        "afhandeling",
        _("How questions were handled"),
        [
            Column(_("Outcome")),
            Column(_("Questions"), "int"),
            Column(_("Share"), "pct"),
            Column(_("Previous period"), "pct"),
            Column(_("City share"), "pct"),
        ],
        rows,
        chart={"type": "bars", "label": 0, "value": 2, "compare": 4, "unit": "pct"},
    )


def _referral_table(sums: _Sums, targets: dict) -> Table:
    counts = sums.by_key("q_referral")
    city = sums.by_key("q_referral", city=True)
    total, city_total = sum(counts.values()), sum(city.values())
    rows = [
        [targets.get(pk, ("?",))[0], n, pct(n, total), pct(city.get(pk, 0), city_total)]
        for pk, n in sorted(counts.items(), key=lambda kv: (-kv[1], targets.get(kv[0], ("",))[0]))
    ]
    return Table(
        "doorverwijzingen",
        _("Referral destinations"),
        [
            Column(_("Referred to")),
            Column(_("Questions"), "int"),
            Column(_("Share of referrals"), "pct"),
            Column(_("City share"), "pct"),
        ],
        rows,
        chart={"type": "bars", "label": 0, "value": 1, "limit": 10},
    )


def _busy_table(sums: _Sums) -> Table:
    questions, open_slots = sums.by_key("q_slot"), sums.by_key("open_slot")
    city_q, city_open = sums.by_key("q_slot", city=True), sums.by_key("open_slot", city=True)
    rows = []
    for day, weekday in enumerate(WEEKDAYS):
        for part, (_value, dagdeel) in enumerate(Dagdeel.choices):
            key = day * 3 + part
            if not (open_slots.get(key) or questions.get(key) or city_open.get(key)):
                continue
            rows.append(
                [
                    str(weekday),
                    str(dagdeel),
                    questions.get(key, 0),
                    open_slots.get(key, 0),
                    ratio(questions.get(key, 0), open_slots.get(key, 0)),
                    ratio(city_q.get(key, 0), city_open.get(key, 0)),
                ]
            )
    return Table(
        "drukte",
        _("Questions per open dagdeel"),
        [
            Column(_("Day")),
            Column(_("Dagdeel")),
            Column(_("Questions"), "int"),
            Column(_("Open dagdelen"), "int"),
            Column(_("Per open dagdeel"), "float"),
            Column(_("City, per open dagdeel"), "float"),
        ],
        rows,
        description=_(
            "Questions logged in a dagdeel, divided by the number of times it was open. "
            "Questions logged outside the opening hours are not in this table."
        ),
        chart={"type": "heatmap", "row": 0, "col": 1, "value": 4},
    )


def _callback_table(per_team: dict, now, before, city, scope: Scope) -> Table:
    rows = [_callback_row(team or "?", stats) for team, stats in sorted(per_team.items())]
    rows.append(_callback_row(_("Total"), now))
    rows.append(_callback_row(_("Total, previous period"), before))
    if not scope.is_city:
        rows.append(_callback_row(_("City"), city))
    return Table(
        "terugbelverzoeken",
        _("Callback requests per team"),
        [
            Column(_("Team")),
            Column(_("Requests"), "int"),
            Column(_("Due"), "int"),
            Column(_("On time"), "pct"),
            Column(_("Median to first attempt"), "hours"),
            Column(_("Median to completion"), "hours"),
            Column(_("Unreachable"), "pct"),
        ],
        rows,
        description=_(
            "Requests made in the period. Due: closed, or open after their date. On time: "
            "closed (completed, or unreachable after the attempts) by the date promised to the "
            "resident, of those due. Medians in hours from the request; completion counts "
            "completed requests only. Unreachable: share of the closed requests."
        ),
        chart={
            "type": "bars",
            "label": 0,
            "value": 3,
            "unit": "pct",
            "skip_last": len(rows) - len(per_team),
        },
    )


def _roster_table(sums: _Sums, trio, scaled) -> Table:
    labels = {
        "planned": _("Dagdelen planned"),
        "cancelled": _("Dagdelen cancelled"),
        "under_min": _("Dagdelen under the minimum"),
        "places_needed": _("Places needed (minimum staff)"),
        "places_filled": _("Places filled up to the minimum"),
        "signups": _("People signed up"),
        "worked": _("Worked (attendance marked)"),
        "no_shows": _("No-shows"),
    }
    rows = [[labels[m], *trio(m)] for m in ROSTER_METRICS]
    rows.insert(2, [_("Dagdelen open"), *_open_trio(sums, scaled)])
    rows.append([_("Fill rate"), *_fill_trio(sums)])
    kinds = ["int"] * (len(rows) - 1) + ["pct"]
    return Table(
        "rooster",
        _("Roster"),
        [
            Column(_("Figure")),
            Column(_("This period"), "row"),
            Column(_("Previous period"), "row"),
            Column(_("City average"), "row"),
        ],
        rows,
        row_kinds=kinds,
        description=_(
            "Dagdelen that have started. Under the minimum: open with fewer people than the "
            "hub's minimum staff. Fill rate: places filled up to the minimum, of places needed."
        ),
        chart={"type": "bars", "label": 0, "value": 1, "compare": 2, "rows": [0, 2, 3]},
    )


def _cluster_table(sums: _Sums, clusters: dict) -> Table:
    committed = sums.by_key("cl_committed")
    signed = sums.by_key("cl_signed")
    worked = sums.by_key("cl_worked")
    rows = []
    for pk in sorted(set(committed) | set(signed), key=lambda k: clusters.get(k, ("",))[0]):
        rows.append(
            [
                clusters.get(pk, ("?",))[0],
                committed.get(pk, 0),
                signed.get(pk, 0),
                worked.get(pk, 0),
                pct(worked.get(pk, 0), committed.get(pk, 0)),
            ]
        )
    return Table(
        "clusters",
        _("Clusters: worked dagdelen against their commitment"),
        [
            Column(_("Cluster")),
            Column(_("Places committed"), "int"),
            Column(_("Signed up"), "int"),
            Column(_("Worked"), "int"),
            Column(_("Worked of committed"), "pct"),
        ],
        rows,
        chart={"type": "bars", "label": 0, "value": 3, "compare": 1},
    )


def _proposal_table(stats: dict, scope: Scope) -> Table:
    s, c = stats["scope"], stats["city"]
    rows = [
        [_("Waiting for an answer now"), s["open"], c["open"]],
        [_("Submitted in the period"), s["submitted"], c["submitted"]],
        [_("Decided in the period"), s["decided"], c["decided"]],
        [_("Median answer time"), s["answer_days"], c["answer_days"]],
    ]
    return Table(
        "voorstellen",
        _("Proposals for opening hours"),
        [Column(_("Figure")), Column(scope.name, "row"), Column(_("Whole city"), "row")],
        rows,
        row_kinds=["int", "int", "int", "days"],
        description=_("Answer time: from submission to the published decision."),
    )


def _kennisbank_table(sums: _Sums, scaled) -> Table:
    def used(current=True, city=False):
        return sum(sums.by_key("q_article", current, city).values())

    def trio(value) -> list:
        return [value(), value(current=False), scaled(value(city=True))]

    def gaps(current=True, city=False):
        return sums.get("gaps", current=current, city=city)

    return Table(
        "kennisbank",
        _("Kennisbank use"),
        [
            Column(_("Figure")),
            Column(_("This period"), "int"),
            Column(_("Previous period"), "int"),
            Column(_("City average"), "float"),
        ],
        [
            [_("Questions answered with an article"), *trio(used)],
            [_("Knowledge gaps logged"), *trio(gaps)],
        ],
    )


def _article_table(top: list[tuple[int, int]], articles: dict) -> Table:
    return Table(
        "artikelen",
        _("Most used kennisbank articles"),
        [Column(_("Article")), Column(_("Times used"), "int")],
        [[articles.get(pk, ("?",))[0], n] for pk, n in top],
        chart={"type": "bars", "label": 0, "value": 1},
    )
