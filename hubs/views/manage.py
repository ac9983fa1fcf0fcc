"""The staff pages where coordinators and wijkmanagers manage hubs (/beheer/).

Who may do what is asked of ``request.user.access`` (accounts/permissions.py)
through the small helpers below; the views themselves never test roles.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hubs import services
from hubs.constants import DAGDEEL_ORDER, NORM_MIN_DAGDELEN, NORM_MIN_DAYS, Dagdeel, Weekday
from hubs.forms import (
    ClosingDayEditForm,
    ClosingDayForm,
    ClosureForm,
    HolidayImportForm,
    HubForm,
    MobileStopForm,
    ScheduleForm,
)
from hubs.models import ClosingDay, Closure, Hub, MobileStop, OpeningSlot, ScheduleVersion
from hubs.opening import OpeningCalendar
from wijkhubs.widgets import MAX_YEAR, MIN_YEAR

PAST_CLOSURES_SHOWN = 10

# --- access ----------------------------------------------------------------------------------


def _require_manager(request) -> None:
    """403 unless the user manages at least one hub (or is a coordinator)."""
    if not request.user.access.can_manage_hubs():
        raise PermissionDenied


def _require_coordinator(request) -> None:
    if not request.user.access.can_manage_closing_days():
        raise PermissionDenied


def _hub_for_manager(request, slug: str) -> Hub:
    """The hub with ``slug``: 404 if there is none, 403 if the user may not manage it."""
    hub = get_object_or_404(Hub.objects.select_related("gebied"), slug=slug)
    if not request.user.access.can_manage_hub(hub):
        raise PermissionDenied
    return hub


def _mobile_hub_for_manager(request, slug: str) -> Hub:
    hub = _hub_for_manager(request, slug)
    if not hub.is_mobile:
        raise Http404("Only the mobile hub has stops.")
    return hub


def _shifts_follow(hub: Hub | None) -> None:
    """After a change to opening hours, closures or stops, the roster follows: shifts
    appear for new openings and are cancelled (people told) on days now closed.
    ``None``: a city-wide change, every hub follows."""
    from scheduling.tasks import sync_shifts

    hub_id = hub.pk if hub is not None else None
    transaction.on_commit(lambda: sync_shifts.delay(hub_id))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- hubs ------------------------------------------------------------------------------------


@require_safe
def index(request):
    """The management menu: every page the user may manage, grouped."""
    _require_manager(request)
    return render(request, "hubs/manage/index.html", {})


@require_safe
def hub_list(request):
    _require_manager(request)
    today = timezone.localdate()
    monday = _monday(today)
    hubs = list(Hub.objects.manageable_by(request.user).select_related("gebied"))
    calendar = OpeningCalendar(hubs, monday, monday + dt.timedelta(days=6))
    rows = [
        {
            "hub": hub,
            "version": calendar.version_on(hub.pk, today),
            "week": calendar.week_summary(hub.pk, monday),
        }
        for hub in hubs
    ]
    context = {
        "rows": rows,
        "monday": monday,
        "can_create": request.user.access.can_create_hubs(),
    }
    return render(request, "hubs/manage/hub_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def hub_create(request):
    if not request.user.access.can_create_hubs():
        raise PermissionDenied
    form = HubForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        hub = form.save()
        _shifts_follow(hub)
        messages.success(
            request,
            _("Wijkhub %(name)s was created. Now give it its opening hours.") % {"name": hub.name},
        )
        return redirect("manage:hub_edit", hub.slug)
    return render(request, "hubs/manage/hub_form.html", {"form": form, "hub": None})


@require_http_methods(["GET", "HEAD", "POST"])
def hub_edit(request, slug):
    hub = _hub_for_manager(request, slug)
    form = HubForm(request.POST or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        hub = form.save()
        _shifts_follow(hub)
        messages.success(request, _("The details of %(name)s were saved.") % {"name": hub.name})
        return redirect("manage:hub_edit", hub.slug)
    # Show the stored hub in headings and links while the form holds typed values.
    stored = Hub.objects.get(pk=hub.pk) if form.is_bound else hub
    return render(request, "hubs/manage/hub_form.html", {"form": form, "hub": stored})


# --- opening hours ---------------------------------------------------------------------------


def _version_in_force(hub: Hub, today: dt.date):
    return (
        hub.schedule_versions.filter(valid_from__lte=today)
        .order_by("-valid_from")
        .prefetch_related("slots")
        .first()
    )


def _slot_grid(slots) -> list[dict]:
    """Rows per weekday with, per dagdeel, the slot or None; for showing a version."""
    by_cell = {(s.weekday, s.dagdeel): s for s in slots}
    return [
        {"day": day, "cells": [by_cell.get((day.value, d.value)) for d in Dagdeel]}
        for day in Weekday
    ]


@require_safe
def schedule_list(request, slug):
    hub = _hub_for_manager(request, slug)
    today = timezone.localdate()
    versions = list(
        hub.schedule_versions.select_related("created_by").prefetch_related(
            Prefetch("slots", queryset=OpeningSlot.objects.order_by())
        )
    )
    in_force = None
    for version in versions:
        if version.valid_from <= today:
            in_force = version
    rows = []
    for version in reversed(versions):  # newest first: planned, in force, history
        slots = list(version.slots.all())
        dagdelen, days = version.weekly_counts(slots)
        if version.valid_from > today:
            state = "planned"
        elif version is in_force:
            state = "current"
        else:
            state = "past"
        rows.append(
            {
                "version": version,
                "grid": _slot_grid(slots),
                "dagdelen": dagdelen,
                "days": days,
                "meets_norm": version.meets_norm(slots),
                "state": state,
            }
        )
    context = {
        "hub": hub,
        "rows": rows,
        "dagdelen": list(Dagdeel),
        "norm_dagdelen": NORM_MIN_DAGDELEN,
        "norm_days": NORM_MIN_DAYS,
    }
    return render(request, "hubs/manage/schedule_list.html", context)


def _next_free_monday(hub: Hub, today: dt.date) -> dt.date:
    taken = set(
        hub.schedule_versions.filter(valid_from__gt=today).values_list("valid_from", flat=True)
    )
    monday = _monday(today) + dt.timedelta(days=7)
    while monday in taken:
        monday += dt.timedelta(days=7)
    return monday


def _save_schedule(request, form, hub, version=None):
    """Writes the valid form through the services; None (and a form error) on a date clash."""
    data = form.cleaned_data
    try:
        if version is None:
            saved = services.schedule_version_create(
                hub=hub,
                valid_from=data["valid_from"],
                slots=form.cleaned_slots,
                note=data["note"],
                user=request.user,
            )
        else:
            saved = services.schedule_version_update(
                version=version,
                valid_from=data["valid_from"],
                slots=form.cleaned_slots,
                note=data["note"],
            )
    except IntegrityError:
        # Someone saved a version on the same day between our check and our write.
        form.add_error("valid_from", _("This hub already has a schedule starting on this date."))
        return None
    _shifts_follow(hub)
    return saved


def _schedule_saved_message(request, form, version) -> None:
    messages.success(
        request,
        _("The opening hours from %(date)s were saved.")
        % {"date": version.valid_from.strftime("%d-%m-%Y")},
    )
    for warning in form.warnings:
        messages.warning(request, warning)


@require_http_methods(["GET", "HEAD", "POST"])
def schedule_create(request, slug):
    hub = _hub_for_manager(request, slug)
    today = timezone.localdate()
    current = _version_in_force(hub, today)
    form = ScheduleForm(
        request.POST or None,
        hub=hub,
        today=today,
        source_slots=current.slots.all() if current else (),
        initial={"valid_from": _next_free_monday(hub, today)},
    )
    if request.method == "POST" and form.is_valid():
        version = _save_schedule(request, form, hub)
        if version is not None:
            _schedule_saved_message(request, form, version)
            return redirect("manage:schedule_list", hub.slug)
    context = {"hub": hub, "form": form, "version": None, "current": current}
    return render(request, "hubs/manage/schedule_form.html", context)


def _planned_version(request, hub: Hub, pk: int):
    """The hub's version ``pk`` if it has not started yet; None (with a message) if it has."""
    version = get_object_or_404(ScheduleVersion.objects.filter(hub=hub), pk=pk)
    if version.valid_from <= timezone.localdate():
        messages.error(
            request,
            _(
                "The opening hours from %(date)s are in force or history and cannot be changed. "
                "Make a new schedule version instead."
            )
            % {"date": version.valid_from.strftime("%d-%m-%Y")},
        )
        return None
    return version


@require_http_methods(["GET", "HEAD", "POST"])
def schedule_edit(request, slug, pk):
    hub = _hub_for_manager(request, slug)
    version = _planned_version(request, hub, pk)
    if version is None:
        return redirect("manage:schedule_list", hub.slug)
    form = ScheduleForm(
        request.POST or None,
        hub=hub,
        today=timezone.localdate(),
        version=version,
        source_slots=version.slots.all(),
        initial={"valid_from": version.valid_from, "note": version.note},
    )
    if request.method == "POST" and form.is_valid():
        version = _save_schedule(request, form, hub, version)
        if version is not None:
            _schedule_saved_message(request, form, version)
            return redirect("manage:schedule_list", hub.slug)
    context = {"hub": hub, "form": form, "version": version, "current": None}
    return render(request, "hubs/manage/schedule_form.html", context)


@require_POST
def schedule_delete(request, slug, pk):
    hub = _hub_for_manager(request, slug)
    version = _planned_version(request, hub, pk)
    if version is not None:
        try:
            version.delete()
            _shifts_follow(hub)
        except ProtectedError:
            messages.error(
                request,
                _("These opening hours are still referred to (e.g. by a proposal) and stay."),
            )
        else:
            messages.success(
                request,
                _("The planned opening hours from %(date)s were deleted.")
                % {"date": version.valid_from.strftime("%d-%m-%Y")},
            )
    return redirect("manage:schedule_list", hub.slug)


# --- closures --------------------------------------------------------------------------------


def _closure_lists(queryset, today: dt.date) -> dict:
    return {
        "upcoming": list(queryset.filter(end_date__gte=today).order_by("start_date")),
        "past": list(
            queryset.filter(end_date__lt=today).order_by("-start_date")[:PAST_CLOSURES_SHOWN]
        ),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def closure_list(request, slug):
    hub = _hub_for_manager(request, slug)
    today = timezone.localdate()
    form = ClosureForm(request.POST or None, instance=Closure(hub=hub, created_by=request.user))
    if request.method == "POST" and form.is_valid():
        closure = form.save()
        _shifts_follow(closure.hub)
        messages.success(
            request,
            _("%(hub)s is closed from %(start)s to %(end)s.")
            % {
                "hub": hub.name,
                "start": closure.start_date.strftime("%d-%m-%Y"),
                "end": closure.end_date.strftime("%d-%m-%Y"),
            },
        )
        return redirect("manage:closure_list", hub.slug)
    context = {
        "hub": hub,
        "form": form,
        **_closure_lists(hub.closures.all(), today),
        "citywide": list(Closure.objects.filter(hub__isnull=True, end_date__gte=today)),
    }
    return render(request, "hubs/manage/closure_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def closure_edit(request, slug, pk):
    hub = _hub_for_manager(request, slug)
    closure = get_object_or_404(Closure, pk=pk, hub=hub)
    form = ClosureForm(request.POST or None, instance=closure, submit_label=_("Save"))
    if request.method == "POST" and form.is_valid():
        closure = form.save()
        _shifts_follow(closure.hub)
        messages.success(request, _("The closure was saved."))
        return redirect("manage:closure_list", hub.slug)
    return render(
        request, "hubs/manage/closure_edit.html", {"hub": hub, "form": form, "closure": closure}
    )


@require_POST
def closure_delete(request, slug, pk):
    hub = _hub_for_manager(request, slug)
    closure = get_object_or_404(Closure, pk=pk, hub=hub)
    closure.delete()
    _shifts_follow(hub)
    messages.success(
        request,
        _("The closure from %(start)s to %(end)s was deleted.")
        % {
            "start": closure.start_date.strftime("%d-%m-%Y"),
            "end": closure.end_date.strftime("%d-%m-%Y"),
        },
    )
    return redirect("manage:closure_list", hub.slug)


@require_http_methods(["GET", "HEAD", "POST"])
def citywide_closures(request):
    """City-wide closures (no hub): list, add, change (``?wijzig=<pk>``) and delete.

    The URL plan has one address for these, so changing and deleting are done
    here: a POST with ``delete=<pk>`` deletes, ``?wijzig=<pk>`` edits that closure.
    """
    _require_coordinator(request)
    today = timezone.localdate()
    citywide = Closure.objects.filter(hub__isnull=True)
    url = reverse("manage:citywide_closures")

    if request.method == "POST" and "delete" in request.POST:
        try:
            pk = int(request.POST["delete"])
        except ValueError:
            raise Http404 from None
        closure = get_object_or_404(citywide, pk=pk)
        closure.delete()
        _shifts_follow(None)
        messages.success(
            request,
            _("The closure from %(start)s to %(end)s was deleted.")
            % {
                "start": closure.start_date.strftime("%d-%m-%Y"),
                "end": closure.end_date.strftime("%d-%m-%Y"),
            },
        )
        return redirect(url)

    editing = None
    if request.GET.get("wijzig"):
        try:
            editing = get_object_or_404(citywide, pk=int(request.GET["wijzig"]))
        except ValueError:
            raise Http404 from None
    instance = editing or Closure(hub=None, created_by=request.user)
    form = ClosureForm(
        request.POST or None,
        instance=instance,
        submit_label=_("Save") if editing else _("Close every hub"),
    )
    if request.method == "POST" and form.is_valid():
        closure = form.save()
        _shifts_follow(closure.hub)
        messages.success(
            request,
            _("Every hub is closed from %(start)s to %(end)s.")
            % {
                "start": closure.start_date.strftime("%d-%m-%Y"),
                "end": closure.end_date.strftime("%d-%m-%Y"),
            },
        )
        return redirect(url)
    context = {"form": form, "editing": editing, **_closure_lists(citywide, today)}
    return render(request, "hubs/manage/citywide_closures.html", context)


# --- the mobile hub's stops ------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def stop_list(request, slug):
    hub = _mobile_hub_for_manager(request, slug)
    today = timezone.localdate()
    form = MobileStopForm(request.POST or None, instance=MobileStop(hub=hub), today=today)
    if request.method == "POST" and form.is_valid():
        stop = form.save()
        _shifts_follow(hub)
        messages.success(
            request,
            _("The stop at %(place)s on %(date)s was added.")
            % {"place": stop.place, "date": stop.date.strftime("%d-%m-%Y")},
        )
        return redirect("manage:stop_list", hub.slug)
    stops = list(hub.mobile_stops.filter(date__gte=today).order_by("date", "dagdeel"))
    # The dagdelen of a day in the order of the day, not alphabetically.
    stops.sort(key=lambda s: (s.date, DAGDEEL_ORDER[s.dagdeel]))
    return render(request, "hubs/manage/stop_list.html", {"hub": hub, "form": form, "stops": stops})


@require_POST
def stop_delete(request, slug, pk):
    hub = _mobile_hub_for_manager(request, slug)
    stop = get_object_or_404(MobileStop, pk=pk, hub=hub)
    stop.delete()
    _shifts_follow(hub)
    messages.success(
        request,
        _("The stop at %(place)s on %(date)s was deleted.")
        % {"place": stop.place, "date": stop.date.strftime("%d-%m-%Y")},
    )
    return redirect("manage:stop_list", hub.slug)


# --- the city's closing days -----------------------------------------------------------------


def _year_from_query(request, default: int) -> tuple[int, str]:
    """The ``?jaar=`` of the request, or ``default`` with a message saying why not."""
    raw = request.GET.get("jaar", "").strip()
    if not raw:
        return default, ""
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return default, _(
            "“%(value)s” is not a year between %(min)s and %(max)s; showing %(year)s instead."
        ) % {"value": raw[:20], "min": MIN_YEAR, "max": MAX_YEAR, "year": default}
    return year, ""


def _closing_days_url(year: int) -> str:
    return f"{reverse('manage:closing_days')}?jaar={year}"


@require_http_methods(["GET", "HEAD", "POST"])
def closing_days(request):
    _require_coordinator(request)
    year, year_error = _year_from_query(request, timezone.localdate().year)
    add_form = ClosingDayForm(
        request.POST if "add" in request.POST else None,
        initial={"is_closed": True},
    )
    import_form = HolidayImportForm(
        request.POST if "import" in request.POST else None, initial={"year": year}
    )
    if request.method == "POST":
        if add_form.is_bound and add_form.is_valid():
            day = add_form.save()
            _shifts_follow(None)
            messages.success(
                request,
                _("%(date)s (%(name)s) was added to the closing days.")
                % {"date": day.date.strftime("%d-%m-%Y"), "name": day.name},
            )
            return redirect(_closing_days_url(day.date.year))
        if import_form.is_bound and import_form.is_valid():
            import_year = import_form.cleaned_data["year"]
            added = services.closing_days_refresh(years=[import_year])
            _shifts_follow(None)
            messages.success(
                request,
                _("The public holidays of %(year)s were imported: %(added)s days added.")
                % {"year": import_year, "added": added},
            )
            return redirect(_closing_days_url(import_year))
        if not add_form.is_bound and not import_form.is_bound:
            messages.error(request, _("Choose what to do: add a day or import the holidays."))
            return redirect(_closing_days_url(year))
    days = list(ClosingDay.objects.filter(date__year=year))
    context = {
        "year": year,
        "year_error": year_error,
        "days": days,
        "add_form": add_form,
        "import_form": import_form,
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
    }
    return render(request, "hubs/manage/closing_days.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def closing_day_edit(request, pk):
    _require_coordinator(request)
    day = get_object_or_404(ClosingDay, pk=pk)
    form = ClosingDayEditForm(request.POST or None, instance=day)
    if request.method == "POST" and form.is_valid():
        day = form.save()
        _shifts_follow(None)
        if day.is_closed:
            text = _("%(date)s (%(name)s): the hubs are closed.")
        else:
            text = _("%(date)s (%(name)s): the hubs stay open.")
        messages.success(request, text % {"date": day.date.strftime("%d-%m-%Y"), "name": day.name})
        return redirect(_closing_days_url(day.date.year))
    return render(request, "hubs/manage/closing_day_edit.html", {"form": form, "day": day})


# --- the norm --------------------------------------------------------------------------------


@require_safe
def norm_report(request):
    """Hubs and weeks below the norm in the coming weeks, closures and closing days included."""
    if not request.user.access.can_view_norm_report():
        raise PermissionDenied
    today = timezone.localdate()
    first_monday = _monday(today)
    weeks = [first_monday + dt.timedelta(weeks=n) for n in range(max(1, settings.NORM_WEEKS_AHEAD))]
    hubs = list(Hub.objects.manageable_by(request.user).active().select_related("gebied"))
    calendar = OpeningCalendar(hubs, first_monday, weeks[-1] + dt.timedelta(days=6))
    below, meeting = [], 0
    for hub in hubs:
        summaries = [calendar.week_summary(hub.pk, monday) for monday in weeks]
        if all(s.meets_norm for s in summaries):
            meeting += 1
        else:
            below.append({"hub": hub, "weeks": summaries})
    context = {
        "weeks": weeks,
        "rows": below,
        "hub_count": len(hubs),
        "meeting_count": meeting,
        "norm_dagdelen": NORM_MIN_DAGDELEN,
        "norm_days": NORM_MIN_DAYS,
    }
    return render(request, "hubs/manage/norm.html", context)
