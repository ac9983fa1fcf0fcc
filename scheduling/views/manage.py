"""Rostering pages for wijkmanagers, coordinators and hosts (/rooster/...).

Who may do what is asked of ``request.user.access`` (accounts/permissions.py)
through the small helpers below; every change goes through scheduling/services.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Sum, TextField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.constants import Role
from accounts.models import Cluster, RoleAssignment
from audit.models import AuditKind
from audit.services import record
from hubs.constants import DAGDEEL_ORDER, Dagdeel
from hubs.models import Hub

from .. import services
from ..constants import HandoverStatus, SignUpStatus, Staffing
from ..forms_manage import (
    AttendanceForm,
    CoverageFilterForm,
    MonthForm,
    OfferBulkForm,
    StaffingForm,
)
from ..models import ClusterOffer, HandoverRequest, Shift, SignUp
from ..selectors import page_links, parse_page

OFFERS_PER_PAGE = 100
AT_RISK = frozenset({Staffing.SHORT, Staffing.NO_ROLE})
CELL_CLASSES = {
    Staffing.SHORT: "table-warning",
    Staffing.NO_ROLE: "table-danger",
    Staffing.CANCELLED: "table-secondary",
}

# --- access ----------------------------------------------------------------------------------


def _require_coverage(request) -> None:
    """403 unless the user manages a hub or is a coordinator."""
    if not request.user.access.can_view_coverage():
        raise PermissionDenied


def _require_offers(request) -> None:
    if not request.user.access.can_manage_offers():
        raise PermissionDenied


def _shift_for_team(request, pk: int) -> Shift:
    """The shift ``pk``: 404 if there is none, 403 unless the user is a host or
    wijkmanager of its hub, or a coordinator."""
    shift = get_object_or_404(Shift.objects.select_related("hub__gebied"), pk=pk)
    if not request.user.access.can_mark_attendance(shift.hub):
        raise PermissionDenied
    return shift


def _shift_for_manager(request, pk: int) -> Shift:
    shift = get_object_or_404(Shift.objects.select_related("hub__gebied"), pk=pk)
    if not request.user.access.can_manage_hub(shift.hub):
        raise PermissionDenied
    return shift


# --- coverage --------------------------------------------------------------------------------
#
# The city has thousands of shifts in a coverage period. They are read as plain values
# rather than model instances (an instance, with its JSON field decoded, cost about as
# much as drawing its cell), in two steps: every shift's go/no-go, for the order of the
# hubs and the list of hubs at risk, and then the figures of the shifts that are drawn.


def _roles(text: str) -> list[str]:
    # required_roles is read as its JSON text: most shifts require no role, and decoding
    # '[]' through the JSON field for each of them was a large share of the page's time.
    return json.loads(text) if text != "[]" else []


def _roles_present(shifts, roles: list[str]) -> list[tuple[int, str]]:
    """``(shift id, role)`` for each of ``roles`` held by a confirmed person of the
    shifts where a required role decides (those not cancelled and not short already).

    Written in SQL because the ORM can only reach a person's roles through the user
    table: joining the sign-ups to the role assignments on their user id directly took
    half the time. The shifts go in as a subquery rather than a list of ids: a few
    hundred parameters cost more to prepare than the query takes to run.
    """
    decided_by_role = (
        shifts.filter(is_cancelled=False, confirmed_count__gt=0)
        .filter(confirmed_count__gte=F("min_staff"))
        .exclude(required_roles=[])
        .values("pk")
    )
    shift_sql, shift_params = decided_by_role.query.sql_with_params()
    # No roles: then no shift requires one and the subquery finds none, but the query is
    # asked all the same, so that the page always makes the same number of queries.
    in_roles = f" AND ra.role IN ({', '.join(['%s'] * len(roles))})" if roles else ""
    sql = (
        f"SELECT DISTINCT s.shift_id, ra.role FROM {SignUp._meta.db_table} s"
        f" INNER JOIN {RoleAssignment._meta.db_table} ra ON ra.user_id = s.user_id"
        f" WHERE s.status = %s{in_roles} AND s.shift_id IN ({shift_sql})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [SignUpStatus.CONFIRMED, *roles, *shift_params])
        return cursor.fetchall()


def _statuses(shifts) -> dict[int, tuple[int, str]]:
    """``{shift pk: (hub id, go/no-go)}`` of every shift in ``shifts``, in two queries:
    the shifts as plain rows, and the required roles held by the confirmed people of the
    shifts where a required role decides (``_roles_present``)."""
    plain = list(
        shifts.values_list(
            "pk",
            "hub_id",
            "is_cancelled",
            "confirmed_count",
            "min_staff",
            Cast("required_roles", TextField()),
        )
    )
    # Shifts share a handful of role lists: each is decoded once.
    decoded = {text: _roles(text) for text in {row[-1] for row in plain}}
    # The roles that decide anything: those some shift of the period requires. A person's
    # other roles (most are medewerker) would only be read and thrown away.
    needed = sorted({role for roles in decoded.values() for role in roles})
    present: dict[int, set[str]] = defaultdict(set)
    for shift_id, role in _roles_present(shifts, needed):
        present[shift_id].add(role)
    none: set[str] = set()
    staffing_of = Shift.staffing_of
    return {
        pk: (hub_id, staffing_of(cancelled, count, minimum, decoded[roles], present.get(pk, none)))
        for pk, hub_id, cancelled, count, minimum, roles in plain
    }


# What the coverage page (and, with the times, its CSV) reads of each shift it shows.
CELL_FIELDS = (
    "pk",
    "hub_id",
    "date",
    "dagdeel",
    "confirmed_count",
    "min_staff",
    "max_staff",
    "is_cancelled",
)
TIME_FIELDS = ("starts_at", "ends_at")


class CoverageShift(NamedTuple):
    """The figures of one shift on the coverage page: plain values, not a model instance."""

    pk: int
    hub: Hub
    date: dt.date
    dagdeel: str
    confirmed_count: int
    min_staff: int
    max_staff: int
    is_cancelled: bool
    starts_at: dt.datetime | None = None  # read for the CSV only
    ends_at: dt.datetime | None = None

    @property
    def shortage(self) -> int:
        return Shift.shortage_of(self.is_cancelled, self.confirmed_count, self.min_staff)

    def get_dagdeel_display(self) -> str:
        return Dagdeel(self.dagdeel).label


class CoverageCell(NamedTuple):
    shift: CoverageShift
    status: str

    @property
    def status_label(self) -> str:
        return Staffing(self.status).label

    @property
    def at_risk(self) -> bool:
        return self.status in AT_RISK

    @property
    def css_class(self) -> str:
        # Colour only supports the status text next to it.
        return CELL_CLASSES.get(self.status, "")


@dataclass
class HubCoverage:
    hub: object
    cells: list[CoverageCell] = field(default_factory=list)

    @property
    def at_risk(self) -> int:
        """How many of the hub's dagdelen are short or miss a required role."""
        return sum(1 for c in self.cells if c.at_risk)

    def days(self) -> list[dict]:
        """One row per date with the hub's cell per dagdeel (None: no shift)."""
        by_date: dict[dt.date, dict[str, CoverageCell]] = {}
        for cell in self.cells:
            by_date.setdefault(cell.shift.date, {})[cell.shift.dagdeel] = cell
        return [
            {"date": day, "cells": [cells.get(d.value) for d in Dagdeel]}
            for day, cells in sorted(by_date.items())
        ]


def _coverage_filter(request):
    """The filter form, the period and the shifts it asks for (not yet read)."""
    form = CoverageFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    first = filters["first"]
    last = first + dt.timedelta(weeks=filters["weeks"], days=-1)
    shifts = Shift.objects.visible_to_managers(request.user).between(first, last).order_by()
    if filters["gebied"]:
        shifts = shifts.filter(hub__gebied=filters["gebied"])
    if filters["hub"]:
        shifts = shifts.filter(hub=filters["hub"])
    return form, {"first": first, "last": last, "weeks": filters["weeks"]}, shifts


def _hubs_of(form, statuses) -> list[Hub]:
    """The hubs with shifts in ``statuses``, as the filter form read them (with their
    gebied): every shift the user sees belongs to a hub they manage."""
    with_shifts = {hub_id for hub_id, _status in statuses.values()}
    return [hub for hub in form.hubs if hub.pk in with_shifts]


def _coverage_rows(shifts, hubs, statuses, *, times: bool = False) -> list[HubCoverage]:
    """Coverage of ``hubs`` (those with shifts in ``shifts``), at-risk hubs first; each
    hub's cells in date and time order. One query."""
    by_id = {hub.pk: hub for hub in hubs}
    fields = CELL_FIELDS + TIME_FIELDS if times else CELL_FIELDS
    values = shifts.filter(hub__in=list(by_id)).values_list(*fields)
    rows: dict[int, HubCoverage] = {}
    for pk, hub_id, *rest in values.order_by("hub_id", "date", "starts_at"):
        hub = by_id[hub_id]
        row = rows.get(hub_id)
        if row is None:
            row = rows[hub_id] = HubCoverage(hub)
        row.cells.append(CoverageCell(CoverageShift(pk, hub, *rest), statuses[pk][1]))
    return sorted(rows.values(), key=lambda r: (r.at_risk == 0, r.hub.name))


@require_safe
def coverage(request):
    _require_coverage(request)
    form, period, shifts = _coverage_filter(request)
    # Which hubs are at risk is worked out for every shift of the period; only the hubs
    # of this page (settings.ROSTER_HUBS_PER_PAGE, those at risk first) are drawn in
    # full. The list of hubs at risk covers every page.
    statuses = _statuses(shifts)
    risk = Counter(hub_id for hub_id, status in statuses.values() if status in AT_RISK)
    hubs = sorted(_hubs_of(form, statuses), key=lambda hub: (risk[hub.pk] == 0, hub.name))
    per_page = settings.ROSTER_HUBS_PER_PAGE
    pages = max(1, -(-len(hubs) // per_page))
    page = min(parse_page(request.GET.get("pagina")), pages)
    on_page = hubs[(page - 1) * per_page : page * per_page]
    rows = _coverage_rows(shifts, on_page, statuses)

    links = page_links(request, page, pages)
    at_risk = [
        {
            "hub": hub,
            "count": risk[hub.pk],
            "label": ngettext(
                "%(count)s dagdeel needs people or a required role",
                "%(count)s dagdelen need people or a required role",
                risk[hub.pk],
            )
            % {"count": risk[hub.pk]},
            "link": "" if n // per_page + 1 == page else links["page_links"][n // per_page][1],
        }
        for n, hub in enumerate(hubs)
        if risk[hub.pk]
    ]
    context = {
        "form": form,
        "rows": rows,
        "at_risk": at_risk,
        "csv_query": request.GET.urlencode(),
        "can_generate": request.user.access.is_coordinator,
        "page": page,
        "pages": pages,
        "hub_count": len(hubs),
        "first_number": (page - 1) * per_page + 1,
        "last_number": (page - 1) * per_page + len(on_page),
        **links,
        **period,
    }
    return render(request, "scheduling/manage/coverage.html", context)


@require_safe
def coverage_csv(request):
    _require_coverage(request)
    form, period, shifts = _coverage_filter(request)
    statuses = _statuses(shifts)
    rows = _coverage_rows(shifts, _hubs_of(form, statuses), statuses, times=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"dekking-{period['first']:%Y-%m-%d}-{period['last']:%Y-%m-%d}.csv"
    record(AuditKind.EXPORT, request=request, subject=filename, rows=len(rows))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("hub"),
            _("district"),
            _("date"),
            _("dagdeel"),
            _("start"),
            _("end"),
            _("staffed"),
            _("minimum"),
            _("maximum"),
            _("status"),
            _("shortage"),
        ]
    )
    for row in rows:
        for cell in sorted(row.cells, key=lambda c: (c.shift.date, DAGDEEL_ORDER[c.shift.dagdeel])):
            shift = cell.shift
            writer.writerow(
                [
                    shift.hub.name,
                    shift.hub.gebied.name,
                    shift.date.isoformat(),
                    shift.get_dagdeel_display(),
                    f"{timezone.localtime(shift.starts_at):%H:%M}",
                    f"{timezone.localtime(shift.ends_at):%H:%M}",
                    shift.confirmed_count,
                    shift.min_staff,
                    shift.max_staff,
                    cell.status_label,
                    shift.shortage,
                ]
            )
    return response


@require_POST
def generate(request):
    if not request.user.access.is_coordinator:
        raise PermissionDenied
    result = services.shifts_sync()
    messages.success(
        request,
        _(
            "The shifts were brought in line with the opening hours: %(created)s new, "
            "%(cancelled)s cancelled, %(reopened)s reopened, %(updated)s changed."
        )
        % {
            "created": result.created,
            "cancelled": result.cancelled,
            "reopened": result.reopened,
            "updated": result.updated,
        },
    )
    return redirect("scheduling:coverage")


# --- one shift -------------------------------------------------------------------------------


def _detail_context(request, shift: Shift, *, staffing_form=None, attendance_form=None):
    access = request.user.access
    live = list(
        shift.signups.live()
        .select_related("user", "cluster")
        .prefetch_related(
            Prefetch(
                "user__role_assignments",
                queryset=RoleAssignment.objects.select_related("hub").order_by("role"),
            )
        )
        .order_by("created_at", "pk")
    )
    confirmed = [s for s in live if s.is_confirmed]
    waitlist = [s for s in live if not s.is_confirmed]
    present = {ra.role for s in confirmed for ra in s.user.role_assignments.all()}
    can_manage = access.can_manage_hub(shift.hub)
    now = timezone.now()
    started = shift.has_started(now)
    if can_manage and staffing_form is None:
        staffing_form = StaffingForm(shift=shift)
    if started and confirmed and attendance_form is None:
        attendance_form = AttendanceForm(signups=confirmed)
    return {
        "shift": shift,
        "hub": shift.hub,
        "status": Staffing(shift.staffing(present)),
        "required_role_labels": [Role(r).label for r in shift.required_roles if r in Role.values],
        "confirmed": confirmed,
        "waitlist": waitlist,
        "handovers": list(
            HandoverRequest.objects.filter(signup__shift=shift, status=HandoverStatus.OPEN)
            .select_related("signup__user")
            .order_by("created_at")
        ),
        "offers": list(shift.offers.select_related("cluster").order_by("cluster__name")),
        "now": now,
        "can_manage": can_manage,
        "started": started,
        "staffing_form": staffing_form if can_manage else None,
        "attendance_form": attendance_form if started else None,
        "can_see_coverage": access.can_view_coverage(),
    }


@require_safe
def shift_detail(request, pk):
    shift = _shift_for_team(request, pk)
    return render(request, "scheduling/manage/shift_detail.html", _detail_context(request, shift))


@require_POST
def shift_staffing(request, pk):
    shift = _shift_for_manager(request, pk)
    form = StaffingForm(request.POST, shift=shift)
    if form.is_valid():
        try:
            promoted = services.shift_set_staffing(
                shift=shift,
                min_staff=form.cleaned_data["min_staff"],
                max_staff=form.cleaned_data["max_staff"],
                required_roles=form.cleaned_data["required_roles"],
            )
        except services.RosterError as error:
            form.add_error("max_staff", str(error.message))
        else:
            messages.success(request, _("The staffing of this dagdeel was saved."))
            if promoted:
                messages.info(
                    request,
                    _("%(count)s people from the waitlist got a place.") % {"count": len(promoted)},
                )
            return redirect("scheduling:shift_detail", shift.pk)
    context = _detail_context(request, shift, staffing_form=form)
    return render(request, "scheduling/manage/shift_detail.html", context)


@require_POST
def attendance(request, pk):
    shift = _shift_for_team(request, pk)
    if not shift.has_started():
        messages.error(
            request,
            _("Attendance can be recorded from the start of the dagdeel, %(start)s.")
            % {"start": timezone.localtime(shift.starts_at).strftime("%d-%m-%Y %H:%M")},
        )
        return redirect("scheduling:shift_detail", shift.pk)
    signups = shift.signups.confirmed().select_related("user").order_by("created_at", "pk")
    form = AttendanceForm(request.POST, signups=signups)
    if form.is_valid():
        count = services.attendance_mark(shift=shift, attended=form.attended())
        messages.success(
            request, _("Attendance was recorded for %(count)s people.") % {"count": count}
        )
        return redirect("scheduling:shift_detail", shift.pk)
    context = _detail_context(request, shift, attendance_form=form)
    return render(request, "scheduling/manage/shift_detail.html", context)


# --- cluster offers ----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def offers(request):
    _require_offers(request)
    form = OfferBulkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            existing = set(
                ClusterOffer.objects.filter(
                    cluster=data["cluster"], shift__in=form.shifts
                ).values_list("shift_id", flat=True)
            )
            new = [
                ClusterOffer(
                    shift=shift,
                    cluster=data["cluster"],
                    places=data["places"],
                    release_at=data["release_at"],
                    created_by=request.user,
                )
                for shift in form.shifts
                if shift.pk not in existing
            ]
            ClusterOffer.objects.bulk_create(new)
        messages.success(
            request,
            _(
                "%(created)s offers were created for %(cluster)s; %(skipped)s dagdelen "
                "already had an offer for this cluster and were skipped."
            )
            % {"created": len(new), "cluster": data["cluster"], "skipped": len(existing)},
        )
        return redirect("scheduling:offers")
    upcoming = (
        ClusterOffer.objects.filter(shift__ends_at__gt=timezone.now())
        .select_related("shift__hub", "cluster")
        .order_by("shift__date", "shift__starts_at", "shift__hub__name", "cluster__name")
    )
    page = Paginator(upcoming, OFFERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "now": timezone.now()}
    return render(request, "scheduling/manage/offers.html", context)


@require_POST
def offer_delete(request, pk):
    _require_offers(request)
    offer = get_object_or_404(ClusterOffer.objects.select_related("shift__hub", "cluster"), pk=pk)
    offer.delete()
    messages.success(
        request,
        _("The offer of %(places)s places in %(shift)s to %(cluster)s was removed.")
        % {"places": offer.places, "shift": offer.shift, "cluster": offer.cluster},
    )
    return redirect("scheduling:offers")


# --- cluster report ------------------------------------------------------------------------------


def _month_after(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def cluster_rows(first: dt.date) -> tuple[list[dict], dict]:
    """Per cluster for the month from ``first``: committed places, sign-ups, worked and
    no-shows. Three queries whatever the number of clusters or sign-ups.

    Offers and sign-ups of cancelled shifts do not count: nobody could work there.
    """
    last = _month_after(first) - dt.timedelta(days=1)
    committed = {
        row["cluster_id"]: row
        for row in ClusterOffer.objects.filter(
            shift__date__range=(first, last), shift__is_cancelled=False
        )
        .values("cluster_id")
        .annotate(places=Sum("places"), dagdelen=Count("pk"))
        .order_by()
    }
    offered = ClusterOffer.objects.filter(
        shift_id=OuterRef("shift_id"), cluster_id=OuterRef("cluster_id")
    )
    signed = {
        row["cluster_id"]: row
        for row in SignUp.objects.confirmed()
        .filter(date__range=(first, last), cluster__isnull=False, shift__is_cancelled=False)
        .values("cluster_id")
        .annotate(
            total=Count("pk"),
            in_offered=Count("pk", filter=Q(Exists(offered))),
            worked=Count("pk", filter=Q(attended=True)),
            no_shows=Count("pk", filter=Q(attended=False)),
        )
        .order_by()
    }
    keys = ["places", "dagdelen", "in_offered", "total", "worked", "no_shows"]
    rows = []
    for cluster in Cluster.objects.order_by("name"):
        c, s = committed.get(cluster.pk, {}), signed.get(cluster.pk, {})
        row = {"cluster": cluster, **{k: c.get(k) or s.get(k) or 0 for k in keys}}
        rows.append(row)
    totals = {k: sum(r[k] for r in rows) for k in keys}
    return rows, totals


@require_safe
def cluster_report(request):
    _require_coverage(request)
    form = MonthForm(request.GET or None, initial={"month": timezone.localdate().strftime("%Y-%m")})
    first = form.first_day()
    rows, totals = cluster_rows(first)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    context = {
        "form": form,
        "month": first,
        "rows": rows,
        "totals": totals,
        "previous_url": f"{reverse('scheduling:cluster_report')}?month={previous:%Y-%m}",
        "next_url": f"{reverse('scheduling:cluster_report')}?month={_month_after(first):%Y-%m}",
        "can_manage_offers": request.user.access.can_manage_offers(),
    }
    return render(request, "scheduling/manage/cluster_report.html", context)
