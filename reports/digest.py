"""The Monday e-mail to each wijkmanager: last week's headline figures of her hubs.

The figures are those of the hub's report page for that week (``build_report``),
so the e-mail and the page cannot disagree; two "now" figures the report does not
have as a headline (open callbacks past their date, proposals waiting for an
answer) are counted here. Only counts and percentages: no resident's data.

Each digest is claimed in scheduling's ``SentNotification`` table before it is
sent (``claim_notification``), keyed by person and reported ISO week, so running
the task twice, or two beats, sends it once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.emails import send_templated_email
from accounts.models import RoleAssignment
from hubs.models import Hub
from questions.models import CallbackRequest
from scheduling.constants import NotificationKind
from scheduling.models import SentNotification
from scheduling.services import claim_notification

from . import rollup
from .period import Period
from .report import Report, Scope, build_report

NO_VALUE = "–"


@dataclass
class Figure:
    label: str
    kind: str  # int | float | pct
    value: float | int | None
    previous: float | int | None
    city: float | int | None
    is_now: bool = False  # counted at sending time: there is no "week before"

    def cells(self) -> list[str]:
        """The three values as text, in the active language."""
        return [format_value(v, self.kind) for v in (self.value, self.previous, self.city)]


@dataclass
class HubDigest:
    hub: Hub
    figures: list[Figure]
    url: str


def format_value(value, kind: str) -> str:
    if value is None:
        return NO_VALUE
    if kind == "int" and float(value).is_integer():
        return formats.number_format(int(value))
    text = formats.number_format(round(value, 1), decimal_pos=1)
    return f"{text}%" if kind == "pct" else text


def digest_period(today: dt.date) -> Period:
    """The last complete week, Monday to Sunday."""
    last_monday = rollup.monday(today) - dt.timedelta(weeks=1)
    return Period(last_monday, last_monday + dt.timedelta(days=6))


def digest_key(user_id: int, period: Period) -> str:
    iso = period.first.isocalendar()
    return f"{user_id}:{iso.year}-W{iso.week:02d}"


def _headline(report: Report, label: str, kind: str) -> Figure:
    """The headline row called ``label``. Both are translated in the active language,
    so the caller builds the report and asks for rows under the same language."""
    row = next(r for r in report.headline.rows if r[0] == label)
    return Figure(label, kind, *row[1:4])


class CityNow:
    """Open callbacks past their date and the active hubs: one query each, for every
    hub of every digest."""

    def __init__(self, today: dt.date):
        self.overdue = dict(
            CallbackRequest.objects.overdue(today)
            .values("hub_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("hub_id", "n")
        )
        self.hubs = Hub.objects.active().count()

    def per_hub(self, total: int) -> float | None:
        return round(total / self.hubs, 1) if self.hubs else None


def hub_digest(hub: Hub, period: Period, today: dt.date, city: CityNow) -> HubDigest:
    report = build_report(Scope("hub", hub.name, [hub.pk], hub), period, today=today)
    # "Waiting for an answer now": the hub's and the whole city's (first row of the table).
    _label, waiting, waiting_city = report.table("voorstellen").rows[0]
    figures = [
        _headline(report, _("Questions"), "int"),
        _headline(report, _("Answered on the spot"), "pct"),
        _headline(report, _("Callbacks made on time"), "pct"),
        Figure(
            _("Open callbacks past their date now"),
            "int",
            city.overdue.get(hub.pk, 0),
            None,
            city.per_hub(sum(city.overdue.values())),
            is_now=True,
        ),
        _headline(report, _("Dagdelen under the minimum"), "int"),
        Figure(
            _("Proposals waiting for an answer now"),
            "int",
            waiting,
            None,
            city.per_hub(waiting_city),
            is_now=True,
        ),
    ]
    url = f"{settings.SITE_URL}{reverse('reports:hub', args=[hub.slug])}?{period.query()}"
    return HubDigest(hub, figures, url)


def weekly_digests_due(today: dt.date | None = None) -> int:
    """Sends last week's digest to every active wijkmanager of an active hub who has
    not had it yet; returns how many were sent."""
    today = today or timezone.localdate()
    period = digest_period(today)
    hubs_of = defaultdict(list)
    people = {}
    for ra in (
        RoleAssignment.objects.filter(
            role=Role.WIJKMANAGER, user__is_active=True, hub__is_active=True
        )
        .exclude(user__email="")
        .select_related("user", "hub")
        .order_by("user_id", "hub__name")
    ):
        people[ra.user_id] = ra.user
        hubs_of[ra.user_id].append(ra.hub)
    keys = {digest_key(user_id, period): user_id for user_id in people}
    already = set(
        SentNotification.objects.filter(
            kind=NotificationKind.REPORT_DIGEST, key__in=keys
        ).values_list("key", flat=True)
    )
    due = [user_id for key, user_id in keys.items() if key not in already]
    if not due:
        return 0

    # Late questions and attendance of last week are in before the figures are read.
    rollup.refresh_week(period.first)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        city = CityNow(today)
        digests: dict[int, HubDigest] = {}  # a hub with two wijkmanagers is counted once
        for user_id in due:
            user = people[user_id]
            hubs = []
            for hub in hubs_of[user_id]:
                if hub.pk not in digests:
                    digests[hub.pk] = hub_digest(hub, period, today, city)
                hubs.append(digests[hub.pk])
            if not claim_notification(NotificationKind.REPORT_DIGEST, digest_key(user_id, period)):
                continue
            context = {
                "user": user,
                "period": period,
                "week": period.first.isocalendar().week,
                "hubs": hubs,
                "reports_url": settings.SITE_URL + reverse("reports:index"),
            }
            send_templated_email("report_digest", user.email, context)
            sent += 1
    return sent
