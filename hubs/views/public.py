"""The resident pages: no login, fixed query counts whatever the number of hubs."""

import datetime as dt
import json
import re

from django.contrib.auth.decorators import login_not_required
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hubs import feeds
from hubs.feedcache import cached_feed, cached_public, cached_public_data
from hubs.models import Gebied, Hub
from hubs.opening import OpeningCalendar
from proposals.models import Answer, Proposal
from wijkhubs import ratelimits

FEED_DAYS = 14
# How far the hub page lets residents page back and ahead, in weeks.
MAX_WEEKS = 26
# How far ahead the hub page looks for the mobile hub's stops and for JSON-LD.
HORIZON_DAYS = 28
MAX_STOPS = 10
# The most recent decided wijkraad proposals the hub page lists.
MAX_PROPOSALS = 10

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _shown_monday(request, this_monday: dt.date) -> tuple[dt.date, str, int]:
    """The Monday of the week asked for with ``?week=YYYY-MM-DD``.

    Returns (monday, message, status). A query parameter is not a form a
    resident fills in, so rather than a Form this is parsed here: anything we
    cannot use falls back to this week with a message saying why.
    """
    raw = request.GET.get("week", "").strip()
    if not raw:
        return this_monday, "", 200
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        day = dt.date.fromisoformat(raw)
    except ValueError:
        message = _("“%(value)s” is not a date we understand (use YYYY-MM-DD). Showing this week.")
        return this_monday, message % {"value": raw[:20]}, 400
    monday = day - dt.timedelta(days=day.weekday())
    if abs((monday - this_monday).days) > MAX_WEEKS * 7:
        message = _(
            "Opening hours can be shown up to %(weeks)s weeks back or ahead. Showing this week."
        )
        return this_monday, message % {"weeks": MAX_WEEKS}, 200
    return monday, "", 200


@login_not_required
@require_safe
def hub_list(request):
    # The districts for the filter, kept with the list (a change to a hub or district
    # makes both stale): a resident's page view costs no query.
    gebieden = cached_public_data(
        "gebieden", lambda: list(Gebied.objects.filter(hubs__is_active=True).distinct())
    )
    selected = request.GET.get("gebied", "").strip()
    unknown_gebied = bool(selected) and selected not in {g.slug for g in gebieden}
    if unknown_gebied:
        selected = ""  # an unknown district shows every hub under a message, not an empty page

    def build() -> str:
        now = timezone.now()
        today = timezone.localdate()
        hubs = Hub.objects.active().select_related("gebied")
        if selected:
            hubs = hubs.filter(gebied__slug=selected)
        hubs = list(hubs)
        calendar = OpeningCalendar(hubs, today, today + dt.timedelta(days=FEED_DAYS), staffing=True)
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
            "unknown_gebied": unknown_gebied,
            "open_count": sum(1 for r in rows if r["open_now"]),
            "now": now,
            "today": today,
            "tomorrow": today + dt.timedelta(days=1),
        }
        return render_to_string("hubs/public/_hub_list_body.html", context)

    # Every resident sees the same list: kept for a minute, as the feeds are.
    body = cached_public(f"hub-list:{selected}:{int(unknown_gebied)}", build)
    return render(request, "hubs/public/hub_list.html", {"body": body})


def _public_proposals(hub) -> list[Proposal]:
    """The hub's decided proposals residents may read, each with the motivation of its
    published answer (annotated, so the whole list is one query)."""
    answer = Answer.objects.filter(proposal=OuterRef("pk"), published_at__isnull=False).order_by(
        "-published_at", "-pk"
    )
    return list(
        Proposal.objects.public()
        .filter(hub=hub)
        .annotate(
            answer_motivation=Subquery(answer.values("motivation")[:1]),
            answer_published_at=Subquery(answer.values("published_at")[:1]),
        )
        .order_by("-decided_at", "-pk")[:MAX_PROPOSALS]
    )


@login_not_required
@require_safe
def hub_detail(request, slug):
    # Kept like the page itself; only a hub that exists is kept (a slug that is not one
    # answers 404 from inside, and nothing is stored).
    hub = cached_public_data(
        f"hub:{slug}",
        lambda: get_object_or_404(Hub.objects.active().select_related("gebied"), slug=slug),
    )
    today = timezone.localdate()
    this_monday = today - dt.timedelta(days=today.weekday())
    monday, week_message, status = _shown_monday(request, this_monday)

    def build() -> tuple[str, str]:
        context = _hub_detail_context(request, hub, today, this_monday, monday, week_message)
        return (
            render_to_string("hubs/public/_hub_detail_head.html", context),
            render_to_string("hubs/public/_hub_detail_body.html", context),
        )

    # Every resident sees the same page: kept for a minute, as the feeds are. The key
    # holds only validated values (the hub found, the week shown, the host allowed); a
    # page with a message about the week asked for is not kept.
    name = None if week_message else f"hub-detail:{request.get_host()}:{hub.pk}:{monday}"
    head, body = cached_public(name, build)
    return render(
        request,
        "hubs/public/hub_detail.html",
        {"hub": hub, "head": head, "body": body},
        status=status,
    )


def _hub_detail_context(request, hub, today, this_monday, monday, week_message) -> dict:
    now = timezone.now()
    # One calendar for the two weeks shown, "now", the next stops and JSON-LD.
    first = min(monday, today)
    last = max(monday + dt.timedelta(days=13), today + dt.timedelta(days=HORIZON_DAYS - 1))
    calendar = OpeningCalendar([hub], first, last, staffing=True)
    weeks = []
    for n in range(2):
        start = monday + dt.timedelta(weeks=n)
        weeks.append(
            {
                "monday": start,
                "sunday": start + dt.timedelta(days=6),
                "offset": (start - this_monday).days // 7,
                "days": calendar.days(hub.pk, start, start + dt.timedelta(days=6)),
            }
        )
    offset = weeks[0]["offset"]
    previous_week = monday - dt.timedelta(weeks=1) if offset > -MAX_WEEKS else None
    next_week = monday + dt.timedelta(weeks=1) if offset < MAX_WEEKS else None
    horizon = today + dt.timedelta(days=HORIZON_DAYS - 1)
    json_ld = feeds.hub_json_ld(hub, calendar, request, today, horizon)
    context = {
        "hub": hub,
        "canonical_url": request.build_absolute_uri(hub.get_absolute_url()),
        "weeks": weeks,
        "today": today,
        "tomorrow": today + dt.timedelta(days=1),
        "week_message": week_message,
        "previous_week": previous_week,
        "next_week": next_week,
        "is_this_week": offset == 0,
        "open_now": calendar.current_opening(hub.pk, now),
        "next": calendar.next_opening(hub.pk, now),
        "stops": calendar.upcoming(hub.pk, now, MAX_STOPS) if hub.is_mobile else [],
        "proposals": _public_proposals(hub),
        # "<" escaped so that no text in the data can close the script element.
        "json_ld": json.dumps(json_ld, ensure_ascii=False).replace("<", "\\u003c"),
    }
    return context


@login_not_required
@require_safe
@ratelimits.limit("PUBLIC_FEED_RATE_LIMIT")
@cached_feed
def hub_ical(request, slug):
    hub = get_object_or_404(Hub.objects.active(), slug=slug)
    today = timezone.localdate()
    calendar = OpeningCalendar(
        [hub], today - dt.timedelta(days=7), today + dt.timedelta(days=8 * 7), staffing=True
    )
    body = feeds.hub_ical(hub, calendar, request.build_absolute_uri(hub.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{hub.slug}.ics"'
    return response


@login_not_required
@require_safe
@ratelimits.limit("PUBLIC_FEED_RATE_LIMIT")
@cached_feed
def opening_json(request):
    today = timezone.localdate()
    last = today + dt.timedelta(days=FEED_DAYS - 1)
    hubs = list(Hub.objects.active().select_related("gebied"))
    calendar = OpeningCalendar(hubs, today, last, staffing=True)
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
