"""Read queries for the rostering pages (writes live in services.py).

Every function here runs a fixed number of queries, whatever the number of hubs,
shifts or sign-ups: the grid and "mijn dagdelen" are counted in the tests at two
data sizes. The rules themselves stay in services.py; ``places_for_many`` is the
bulk twin of ``services.places_for`` and is tested against it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from hubs.constants import DAGDEEL_ORDER, Dagdeel
from hubs.models import Gebied, Hub
from wijkhubs.widgets import MAX_YEAR, MIN_YEAR

from .constants import HandoverStatus, SignUpStatus
from .models import ClusterOffer, HandoverRequest, Shift, SignUp

# --- weeks -------------------------------------------------------------------------------

WEEK = dt.timedelta(days=7)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def parse_week(value: str | None, today: dt.date) -> tuple[dt.date, bool]:
    """The Monday of the week holding the ISO date ``value`` (any day of that week).

    Returns ``(monday, ok)``; a missing value gives this week (next week on a Sunday),
    a malformed one this week and ``ok=False`` so the page can say so.
    """
    if not value:
        # On Sunday this week's dagdelen are over: show the coming week.
        return monday_of(today + dt.timedelta(days=1 if today.weekday() == 6 else 0)), True
    try:
        day = dt.datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        return monday_of(today), False
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        # 0001-01-01 or 9999-12-31: the links to the week before or after would not exist.
        return monday_of(today), False
    return monday_of(day), True


# --- one cell of the grid ----------------------------------------------------------------


def _own_signups(user):
    """The user's live sign-ups, each with its open
    hand-over request (if any) and, on the waitlist, how many wait before it."""
    open_handover = HandoverRequest.objects.filter(
        signup=OuterRef("pk"), status=HandoverStatus.OPEN
    ).values("pk")[:1]
    ahead = (
        SignUp.objects.filter(shift=OuterRef("shift"), status=SignUpStatus.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("shift")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        SignUp.objects.live()
        .filter(user=user)
        .annotate(
            open_handover_id=Subquery(open_handover),
            waitlist_ahead=Coalesce(Subquery(ahead), 0),
        )
    )


def places_for_many(shifts, user, now: dt.datetime, first: dt.date, last: dt.date):
    """Free places ``user`` may take in each shift, as ``{shift_id: places}``.

    Same rule as ``services.places_for``: places that an unreleased cluster offer
    keeps for another cluster are not this user's. One query for all shifts between
    ``first`` and ``last``: the unreleased offers, each with how many of its
    cluster's people already have a place in its shift.
    """
    taken = (
        SignUp.objects.confirmed()
        .filter(shift=OuterRef("shift_id"), cluster=OuterRef("cluster_id"))
        .order_by()
        .values("shift")
        .annotate(n=Count("pk"))
        .values("n")
    )
    offers = (
        ClusterOffer.objects.filter(shift__date__range=(first, last), release_at__gt=now)
        .annotate(taken=Coalesce(Subquery(taken), 0))
        .values_list("shift_id", "cluster_id", "places", "taken")
        .order_by()
    )
    reserved = Counter()
    for shift_id, cluster_id, places, taken_places in offers:
        if cluster_id == user.cluster_id:
            continue
        reserved[shift_id] += max(0, places - taken_places)
    return {s.pk: s.max_staff - s.confirmed_count - reserved[s.pk] for s in shifts}


class GridShift(NamedTuple):
    """One shift of the week grid as plain values, with the few things a cell asks of a
    ``Shift``: a page draws about a hundred, and a model instance each cost more than
    drawing its cell. ``shift_cell`` (one cell, for htmx) still passes a real ``Shift``."""

    pk: int
    hub_id: int
    date: dt.date
    dagdeel: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    min_staff: int
    max_staff: int
    confirmed_count: int
    is_cancelled: bool
    cancel_reason: str
    hub: Hub | None = None

    @property
    def shortage(self) -> int:
        return Shift.shortage_of(self.is_cancelled, self.confirmed_count, self.min_staff)

    def get_dagdeel_display(self) -> str:
        return Dagdeel(self.dagdeel).label


@dataclass(slots=True)
class ShiftCell:
    """What one person sees of one shift, and the one thing they can do there."""

    shift: Shift | GridShift
    now: dt.datetime
    places: int = 0
    mine: SignUp | None = None
    # The hub where the person already has a place in this same dagdeel.
    clash_hub: str | None = None

    @property
    def is_past(self) -> bool:
        return self.shift.starts_at <= self.now

    @property
    def needs_people(self) -> bool:
        return not self.is_past and self.shift.shortage > 0

    @property
    def waitlist_position(self) -> int | None:
        if self.mine is not None and self.mine.status == SignUpStatus.WAITLISTED:
            return self.mine.waitlist_ahead + 1
        return None

    @property
    def state(self) -> str:
        """closed, past, handover, confirmed, waitlisted, clash, open or full."""
        if self.shift.is_cancelled:
            return "closed"
        if self.is_past:
            return "past" if self.mine is None else f"past_{self.mine.status}"
        if self.mine is not None:
            if self.mine.is_confirmed and self.mine.open_handover_id:
                return "handover"
            return self.mine.status
        if self.clash_hub:
            return "clash"
        return "open" if self.places > 0 else "full"


# What a cell reads of the person's own sign-ups: the hub's name for a place elsewhere in
# the same dagdeel (not the shift's JSON roles or the hub's address).
OWN_SIGNUP_FIELDS = ("shift_id", "date", "dagdeel", "status", "shift__hub__name")


def build_cells(shifts, user, now: dt.datetime, first: dt.date, last: dt.date):
    """``{shift_id: ShiftCell}`` for ``shifts`` (all dated ``first``..``last``):
    two queries, however many shifts."""
    shifts = list(shifts)
    own = list(
        _own_signups(user)
        .filter(date__range=(first, last))
        .select_related("shift__hub")
        .only(*OWN_SIGNUP_FIELDS)
    )
    by_shift = {s.shift_id: s for s in own}
    placed = {(s.date, s.dagdeel): s for s in own if s.is_confirmed}
    places = places_for_many(shifts, user, now, first, last)
    cells = {}
    for shift in shifts:
        other = placed.get((shift.date, shift.dagdeel))
        clash = other.shift.hub.name if other and other.shift_id != shift.pk else None
        cells[shift.pk] = ShiftCell(
            shift=shift,
            now=now,
            places=places[shift.pk],
            mine=by_shift.get(shift.pk),
            clash_hub=clash,
        )
    return cells


def shift_cell(shift_id: int, user, now: dt.datetime) -> ShiftCell | None:
    """One cell, freshly read: for answering an htmx request in place."""
    shift = Shift.objects.select_related("hub").filter(pk=shift_id).first()
    if shift is None:
        return None
    return build_cells([shift], user, now, shift.date, shift.date)[shift.pk]


# --- the week grid -----------------------------------------------------------------------


@dataclass
class Column:
    date: dt.date
    dagdeel: str

    @property
    def label(self):
        return Dagdeel(self.dagdeel).label


@dataclass
class Row:
    hub: Hub
    cells: list = field(default_factory=list)
    shortage: int = 0


@dataclass
class WeekGrid:
    monday: dt.date
    columns: list[Column]
    rows: list[Row]  # the hubs of this page
    days: list[tuple[dt.date, int]]  # each day with its number of columns
    hubs: list[Hub]  # every active hub, for the filter
    gebieden: list[Gebied]
    gebied: Gebied | None = None  # the filters in force
    hub: Hub | None = None
    total_shortage: int = 0  # of every hub shown, on any page
    page: int = 1
    pages: int = 1
    hub_count: int = 0  # hubs on all pages
    first_number: int = 0  # of the first and last hub of this page, counting from 1
    last_number: int = 0

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)


def parse_page(value: str | None) -> int:
    """``?pagina=`` as a page number; anything else is page 1."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 6 and int(value) > 0 else 1


def page_links(request, page: int, pages: int) -> dict:
    """The links of a page of hubs (week grid, coverage) for ``_hub_pages.html``: the
    current query with another ``pagina``."""

    def link(number: int) -> str:
        query = request.GET.copy()
        query["pagina"] = str(number)
        return f"?{query.urlencode()}"

    return {
        "page_links": [(n, link(n)) for n in range(1, pages + 1)],
        "previous_page_link": link(page - 1) if page > 1 else "",
        "next_page_link": link(page + 1) if page < pages else "",
    }


# What the grid reads of hubs and shifts: a page has hundreds of cells, and the fields
# it does not show (a shift's JSON roles, an address) cost time to read and decode.
HUB_FIELDS = ("name", "slug", "gebied__name", "gebied__slug")
GRID_SHIFT_FIELDS = (
    "pk",
    "hub_id",
    "date",
    "dagdeel",
    "starts_at",
    "ends_at",
    "min_staff",
    "max_staff",
    "confirmed_count",
    "is_cancelled",
    "cancel_reason",
)


def week_grid(
    user,
    monday: dt.date,
    now: dt.datetime,
    *,
    gebied_slug: str = "",
    hub_slug: str = "",
    needs_first: bool = True,
    page: int = 1,
    per_page: int | None = None,
) -> WeekGrid:
    """Rows are hubs, columns the (day, dagdeel) pairs that occur in the week.

    ``gebied_slug`` and ``hub_slug`` narrow the rows; an unknown slug is ignored
    (``WeekGrid.gebied``/``hub`` stay None so the page can say so). The hubs come
    ``per_page`` at a time (settings.ROSTER_HUBS_PER_PAGE), those that need the most
    people first: what each hub still needs is summed in the database, so only the
    shifts of one page are loaded and drawn. A page number past the end shows the last
    page. Queries: the active hubs (with their gebied), what each still needs, the
    page's shifts, the person's own sign-ups, and the unreleased cluster offers: five in all.
    """
    per_page = per_page or settings.ROSTER_HUBS_PER_PAGE
    sunday = monday + WEEK - dt.timedelta(days=1)
    hubs = list(Hub.objects.active().select_related("gebied").only(*HUB_FIELDS).order_by("name"))
    gebieden = sorted({h.gebied_id: h.gebied for h in hubs}.values(), key=lambda g: g.name)
    gebied = next((g for g in gebieden if gebied_slug and g.slug == gebied_slug), None)
    hub = next((h for h in hubs if hub_slug and h.slug == hub_slug), None)
    shown = [
        h
        for h in hubs
        if (gebied is None or h.gebied_id == gebied.pk) and (hub is None or h.pk == hub.pk)
    ]
    shortage = dict(
        Shift.objects.between(monday, sunday)
        .filter(hub__in=[h.pk for h in shown], is_cancelled=False, starts_at__gt=now)
        .values("hub_id")
        .order_by("hub_id")
        .annotate(short=Sum(Greatest(F("min_staff") - F("confirmed_count"), Value(0))))
        .values_list("hub_id", "short")
    )
    if needs_first:
        shown.sort(key=lambda h: -(shortage.get(h.pk) or 0))  # stable: by name within
    pages = max(1, -(-len(shown) // per_page))
    page = min(page, pages)
    first = (page - 1) * per_page
    on_page = shown[first : first + per_page]
    by_id = {h.pk: h for h in on_page}
    shifts = [
        GridShift(*values, hub=by_id[values[1]])  # the hub already loaded: no query per shift
        for values in Shift.objects.between(monday, sunday)
        .filter(hub__in=list(by_id))
        .values_list(*GRID_SHIFT_FIELDS)
        .order_by()
    ]
    cells = build_cells(shifts, user, now, monday, sunday)
    keys = sorted({(s.date, s.dagdeel) for s in shifts}, key=lambda k: (k[0], DAGDEEL_ORDER[k[1]]))
    columns = [Column(date=d, dagdeel=p) for d, p in keys]
    index = {k: i for i, k in enumerate(keys)}
    rows = [Row(hub=h, cells=[None] * len(keys), shortage=shortage.get(h.pk) or 0) for h in on_page]
    by_hub = {row.hub.pk: row for row in rows}
    for shift in shifts:
        by_hub[shift.hub_id].cells[index[(shift.date, shift.dagdeel)]] = cells[shift.pk]
    days = []
    for column in columns:
        if days and days[-1][0] == column.date:
            days[-1] = (column.date, days[-1][1] + 1)
        else:
            days.append((column.date, 1))
    return WeekGrid(
        monday=monday,
        columns=columns,
        rows=rows,
        days=days,
        hubs=hubs,
        gebieden=gebieden,
        gebied=gebied,
        hub=hub,
        total_shortage=sum(v or 0 for v in shortage.values()),
        page=page,
        pages=pages,
        hub_count=len(shown),
        first_number=first + 1 if on_page else 0,
        last_number=first + len(on_page),
    )


# --- mijn dagdelen -----------------------------------------------------------------------

PAST_PLACES_SHOWN = 20


@dataclass
class MyRoster:
    places: list[SignUp]  # upcoming confirmed places
    waitlist: list[SignUp]
    handovers: list[SignUp]  # upcoming places with an open hand-over request
    past: list[SignUp]


# What "mijn dagdelen" shows of a sign-up, its shift and hub (the rest, such as a
# shift's JSON roles or a hub's address, would only be read and decoded).
MY_ROSTER_FIELDS = (
    "status",
    "attended",
    "shift__date",
    "shift__dagdeel",
    "shift__starts_at",
    "shift__ends_at",
    "shift__min_staff",
    "shift__confirmed_count",
    "shift__is_cancelled",
    "shift__hub__name",
)


def my_roster(user, now: dt.datetime) -> MyRoster:
    """Two queries: the coming sign-ups (places, waitlist, hand-overs) and the
    most recent past places."""
    upcoming = list(
        _own_signups(user)
        .filter(shift__ends_at__gt=now)
        .select_related("shift__hub")
        .only(*MY_ROSTER_FIELDS)
        .order_by("shift__starts_at", "pk")
    )
    past = list(
        SignUp.objects.confirmed()
        .filter(user=user, shift__ends_at__lte=now)
        .select_related("shift__hub")
        .only(*MY_ROSTER_FIELDS)
        .order_by("-shift__starts_at", "-pk")[:PAST_PLACES_SHOWN]
    )
    places = [s for s in upcoming if s.is_confirmed]
    return MyRoster(
        places=places,
        waitlist=[s for s in upcoming if s.status == SignUpStatus.WAITLISTED],
        handovers=[s for s in places if s.open_handover_id],
        past=past,
    )


# --- hand-over requests ------------------------------------------------------------------


def open_handovers(user, now: dt.datetime):
    """Open hand-over requests for shifts still to come that ``user`` may see."""
    requests = (
        HandoverRequest.objects.filter(status=HandoverStatus.OPEN, signup__shift__starts_at__gt=now)
        .select_related("signup__shift__hub", "signup__user")
        .order_by("signup__shift__starts_at", "created_at")
    )
    if user.access.sees_all_handovers():
        return requests
    return requests.filter(signup__shift__hub_id__in=user.access.managed_hub_ids)
