"""Rostering pages for wijkmanagers, coordinators and hosts (/rooster/...).

Who may do what is asked of ``request.user.access`` (accounts/permissions.py)
through the small helpers below; every change goes through scheduling/services.py.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.constants import Role
from accounts.models import Cluster, RoleAssignment
from audit.models import AuditKind
from audit.services import record
from hubs.constants import DAGDEEL_ORDER, Dagdeel
from hubs.models import Hub

from .. import services
from ..constants import HandoverStatus, Staffing
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
# What the coverage page and its CSV read of each shift.
COVERAGE_FIELDS = (
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
    "required_roles",
)
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


def roles_present(shifts) -> dict[int, set[str]]:
    """The roles held by the confirmed people of each shift, in one query (only
    the shifts that require a role are asked about)."""
    return _roles_present([s.pk for s in shifts if s.required_roles and s.confirmed_count])


def _roles_present(ids) -> dict[int, set[str]]:
    present: dict[int, set[str]] = defaultdict(set)
    if ids:
        rows = (
            SignUp.objects.confirmed()
            .filter(shift_id__in=ids, user__role_assignments__isnull=False)
            .values_list("shift_id", "user__role_assignments__role")
            .order_by()  # the default ordering would make every sign-up distinct
            .distinct()
        )
        for shift_id, role in rows:
            present[shift_id].add(role)
    return present


@dataclass
class CoverageCell:
    shift: Shift
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


def _read_shifts(shifts) -> list[Shift]:
    """Only the fields the page and the CSV use, in their order."""
    return list(shifts.only(*COVERAGE_FIELDS).order_by("hub_id", "date", "starts_at"))


def _coverage_rows(shifts: list[Shift], hubs, present) -> list[HubCoverage]:
    """Coverage per hub, at-risk hubs first; each hub loaded once rather than joined
    to every shift."""
    by_id = {hub.pk: hub for hub in hubs}
    rows: dict[int, HubCoverage] = {}
    for shift in shifts:
        shift.hub = by_id[shift.hub_id]
        row = rows.setdefault(shift.hub_id, HubCoverage(shift.hub))
        row.cells.append(CoverageCell(shift, shift.staffing(present.get(shift.pk, set()))))
    return sorted(rows.values(), key=lambda r: (r.at_risk == 0, r.hub.name))


@require_safe
def coverage(request):
    _require_coverage(request)
    form, period, shifts = _coverage_filter(request)
    # Thousands of shifts for the whole city. Which hubs are at risk is worked out from
    # plain rows; only the hubs of this page (settings.ROSTER_HUBS_PER_PAGE, those at
    # risk first) are read and drawn in full. The list of hubs at risk covers every page.
    plain = list(
        shifts.values_list(
            "pk", "hub_id", "is_cancelled", "confirmed_count", "min_staff", "required_roles"
        )
    )
    present = _roles_present([pk for pk, _h, _c, count, _m, roles in plain if roles and count])
    risk = Counter(
        hub_id
        for pk, hub_id, cancelled, count, minimum, roles in plain
        if Shift.staffing_of(cancelled, count, minimum, roles, present.get(pk, set())) in AT_RISK
    )
    hubs = sorted(
        Hub.objects.filter(pk__in={hub_id for _pk, hub_id, *_rest in plain}).select_related(
            "gebied"
        ),
        key=lambda hub: (risk[hub.pk] == 0, hub.name),
    )
    per_page = settings.ROSTER_HUBS_PER_PAGE
    pages = max(1, -(-len(hubs) // per_page))
    page = min(parse_page(request.GET.get("pagina")), pages)
    on_page = hubs[(page - 1) * per_page : page * per_page]
    rows = _coverage_rows(_read_shifts(shifts.filter(hub__in=on_page)), on_page, present)

    links = page_links(request, page, pages)
    at_risk = [
        {
            "hub": hub,
            "count": risk[hub.pk],
            "link": "" if n // per_page + 1 == page else links["page_links"][n // per_page][1],
        }
        for n, hub in enumerate(hubs)
        if risk[hub.pk]
    ]
    context = {
        "form": form,
        "rows": rows,
        "at_risk": at_risk,
        "dagdelen": list(Dagdeel),
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
    _form, period, shifts = _coverage_filter(request)
    shifts = _read_shifts(shifts)
    hubs = Hub.objects.filter(pk__in={s.hub_id for s in shifts}).select_related("gebied")
    rows = _coverage_rows(shifts, hubs, roles_present(shifts))
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
