"""The resident pages: no login, cacheable, fixed query counts."""

import datetime as dt
import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hubs import feeds
from hubs.models import Gebied, Hub, MobileStop
from hubs.opening import OpeningCalendar

FEED_DAYS = 14


@login_not_required
@require_safe
def hub_list(request):
    now = timezone.now()
    today = timezone.localdate()
    gebieden = list(Gebied.objects.filter(hubs__is_active=True).distinct())
    hubs = Hub.objects.active().select_related("gebied")
    selected = request.GET.get("gebied", "")
    if selected:
        hubs = hubs.filter(gebied__slug=selected)
    hubs = list(hubs)
    calendar = OpeningCalendar(hubs, today, today + dt.timedelta(days=FEED_DAYS))
    rows = []
    for hub in hubs:
        current = calendar.current_opening(hub.pk, now)
        rows.append(
            {
                "hub": hub,
                "open_now": current,
                "next": None if current else calendar.next_opening(hub.pk, now),
            }
        )
    context = {
        "rows": rows,
        "gebieden": gebieden,
        "selected": selected,
        "unknown_gebied": bool(selected) and selected not in {g.slug for g in gebieden},
        "open_count": sum(1 for r in rows if r["open_now"]),
        "now": now,
    }
    return render(request, "hubs/public/hub_list.html", context)


@login_not_required
@require_safe
def hub_detail(request, slug):
    hub = get_object_or_404(Hub.objects.active().select_related("gebied"), slug=slug)
    now = timezone.now()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    last = max(monday + dt.timedelta(days=13), today + dt.timedelta(days=FEED_DAYS))
    calendar = OpeningCalendar([hub], monday, last)
    weeks = [
        {"monday": monday, "days": calendar.days(hub.pk, monday, monday + dt.timedelta(days=6))},
        {
            "monday": monday + dt.timedelta(days=7),
            "days": calendar.days(
                hub.pk, monday + dt.timedelta(days=7), monday + dt.timedelta(days=13)
            ),
        },
    ]
    stops = []
    if hub.is_mobile:
        stops = list(MobileStop.objects.filter(hub=hub, date__gte=today)[:10])
    context = {
        "hub": hub,
        "weeks": weeks,
        "today": today,
        "open_now": calendar.current_opening(hub.pk, now),
        "next": calendar.next_opening(hub.pk, now),
        "stops": stops,
        "json_ld": json.dumps(
            feeds.hub_json_ld(hub, calendar, request), ensure_ascii=False
        ).replace("<", "\\u003c"),
    }
    return render(request, "hubs/public/hub_detail.html", context)


@login_not_required
@require_safe
def hub_ical(request, slug):
    hub = get_object_or_404(Hub.objects.active(), slug=slug)
    today = timezone.localdate()
    calendar = OpeningCalendar(
        [hub], today - dt.timedelta(days=7), today + dt.timedelta(days=8 * 7)
    )
    body = feeds.hub_ical(hub, calendar, request.build_absolute_uri(hub.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{hub.slug}.ics"'
    return response


@login_not_required
@require_safe
def opening_json(request):
    today = timezone.localdate()
    last = today + dt.timedelta(days=FEED_DAYS - 1)
    hubs = list(Hub.objects.active().select_related("gebied"))
    calendar = OpeningCalendar(hubs, today, last)
    data = {
        "generated_at": timezone.now().isoformat(),
        "timezone": "Europe/Amsterdam",
        "from": today.isoformat(),
        "until": last.isoformat(),
        "description": _("Opening of every wijkhub for the next 14 days."),
        "hubs": [
            feeds.hub_json(
                hub,
                calendar,
                today,
                last,
                request.build_absolute_uri(reverse("public:hub_detail", args=[hub.slug])),
            )
            for hub in hubs
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
