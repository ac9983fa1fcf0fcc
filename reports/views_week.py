""" "Mijn hub deze week" (/rapportage/deze-week/): the current week of one's own hubs.

Hosts and wijkmanagers see the hubs of their roles, civil servants and KCC staff
the hubs where they have a place this week, coordinators one hub at a time
(``?hub=<slug>``). Anyone with more than one hub can narrow the page to one.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from hubs.models import Hub

from .rollup import monday
from .week import my_hubs, week_summaries


def _chosen_hub(slug: str, choices: list[Hub]) -> Hub:
    """The hub ``?hub=`` names: 404 for no such (active) hub, 403 for one not hers."""
    hub = next((h for h in choices if h.slug == slug), None)
    if hub is not None:
        return hub
    if not Hub.objects.active().filter(slug=slug).exists():
        raise Http404
    raise PermissionDenied


@require_safe
def week_summary(request):
    access = request.user.access
    if not access.can_view_week_summary():
        raise PermissionDenied
    now = timezone.now()
    today = timezone.localdate(now)
    first = monday(today)
    mine = list(my_hubs(request.user, today))
    choices = list(Hub.objects.active().order_by("name")) if access.is_coordinator else mine
    slug = request.GET.get("hub", "")
    chosen = _chosen_hub(slug, choices) if slug else None
    if chosen is not None:
        shown = [chosen]
    elif access.is_coordinator:
        # One hub at a time: the whole city is what the report pages are for.
        shown = (mine or choices)[:1]
    else:
        shown = mine

    grid = reverse("scheduling:week")
    hubs = [
        {
            "week": summary,
            "shift_details": access.can_mark_attendance(summary.hub),
            "desk": access.can_use_desk(summary.hub),
            "report": access.can_view_report_for([summary.hub.pk]),
            "grid_url": f"{grid}?week={first:%Y-%m-%d}&hub={summary.hub.slug}",
        }
        for summary in week_summaries(shown, today, now)
    ]
    context = {
        "hubs": hubs,
        "choices": choices,
        "chosen": shown[0] if len(shown) == 1 else None,
        "show_picker": len(choices) > 1,
        "all_option": not access.is_coordinator,
        "first": first,
        "sunday": first + dt.timedelta(days=6),
        "today": today,
    }
    return render(request, "reports/week.html", context)
