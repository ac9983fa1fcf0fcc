"""The rostering pages for everyone who works in the hubs (/rooster/).

Every change goes through scheduling/services.py, which takes the row locks and
applies the rules; the views turn its answers (or its RosterError) into a message.
A normal form post redirects back to the page it came from (PRG); an htmx post
from the week grid gets just the updated cell back, with the message inside it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from scheduling import selectors, services
from scheduling.feeds import feed_signups, roster_ical
from scheduling.models import CalendarFeed, HandoverRequest, SignUp
from scheduling.services import RosterError, ShiftFull
from wijkhubs import ratelimits

SORT_NEEDS, SORT_NAME = "needs", "name"

# --- access and helpers ------------------------------------------------------------------


def _require_roster_viewer(request) -> None:
    if not request.user.access.can_view_roster():
        raise PermissionDenied


def _require_sign_up(request) -> None:
    if not request.user.access.can_sign_up():
        raise PermissionDenied


def _next_url(request, default: str = "scheduling:week") -> str:
    """Where to go after an action: the page the form was on, if it is ours."""
    url = request.POST.get("next") or request.GET.get("next")
    # Only a path: redirect() would look up anything else ("week", "<b>") as a URL
    # name and fail with a server error.
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return reverse(default)


def _describe(shift) -> str:
    """E.g. "Feijenoord, maandag 7 december, ochtend"."""
    return ", ".join(
        [shift.hub.name, date_format(shift.date, "l j F"), shift.get_dagdeel_display().lower()]
    )


def _answer(request, shift_id: int | None, level: int, message, default="scheduling:week"):
    """Tells the person what happened: in the updated grid cell for htmx, otherwise as
    a message on the page the form came from."""
    next_url = _next_url(request, default)
    if request.htmx and shift_id is not None:
        cell = selectors.shift_cell(shift_id, request.user, timezone.now())
        if cell is not None:
            context = {
                "cell": cell,
                "next": next_url,
                "can_sign_up": request.user.access.can_sign_up(),
                "message": message,
                "message_level": messages.DEFAULT_TAGS.get(level, "info"),
            }
            return render(request, "scheduling/_shift_cell.html", context)
    messages.add_message(request, level, message)
    if request.htmx:
        # No cell to update (the dagdeel is gone): let the browser load the page.
        return HttpResponseClientRedirect(next_url)
    return redirect(next_url)


# --- the week grid -----------------------------------------------------------------------


@require_safe
def week(request):
    _require_roster_viewer(request)
    now = timezone.now()
    today = timezone.localdate()
    problems = []
    monday, week_ok = selectors.parse_week(request.GET.get("week"), today)
    if not week_ok:
        problems.append(
            _("“%(value)s” is not a date like 2026-12-07; this week is shown instead.")
            % {"value": request.GET["week"]}
        )
    order = request.GET.get("order", SORT_NEEDS)
    if order not in (SORT_NEEDS, SORT_NAME):
        order = SORT_NEEDS
    gebied_slug = request.GET.get("gebied", "")
    hub_slug = request.GET.get("hub", "")
    grid = selectors.week_grid(
        request.user,
        monday,
        now,
        gebied_slug=gebied_slug,
        hub_slug=hub_slug,
        needs_first=order == SORT_NEEDS,
        page=selectors.parse_page(request.GET.get("pagina")),
    )
    if gebied_slug and grid.gebied is None:
        problems.append(
            _("There is no district “%(slug)s”; all districts are shown.") % {"slug": gebied_slug}
        )
    if hub_slug and grid.hub is None:
        problems.append(
            _("There is no wijkhub “%(slug)s”; all hubs are shown.") % {"slug": hub_slug}
        )

    def week_link(day):
        query = request.GET.copy()
        query["week"] = day.isoformat()
        query.pop("pagina", None)  # another week has its own order of need
        return f"?{query.urlencode()}"

    context = {
        "grid": grid,
        "problems": problems,
        "order": order,
        "this_monday": selectors.monday_of(today),
        "previous_link": week_link(monday - selectors.WEEK),
        "next_link": week_link(monday + selectors.WEEK),
        "this_week_link": week_link(selectors.monday_of(today)),
        **selectors.page_links(request, grid.page, grid.pages),
        "next": request.get_full_path(),
        "can_sign_up": request.user.access.can_sign_up(),
    }
    return render(request, "scheduling/week.html", context)


# --- signing up, the waitlist, cancelling --------------------------------------------------


@require_POST
def signup(request, pk):
    _require_sign_up(request)
    try:
        place = services.signup_create(shift_id=pk, user=request.user)
    except ShiftFull as exc:
        return _answer(request, pk, messages.WARNING, exc.message)
    except RosterError as exc:
        return _answer(request, pk, messages.ERROR, exc.message)
    message = _("You are signed up: %(shift)s.") % {"shift": _describe(place.shift)}
    return _answer(request, pk, messages.SUCCESS, message)


@require_POST
def waitlist(request, pk):
    _require_sign_up(request)
    try:
        entry = services.waitlist_join(shift_id=pk, user=request.user)
    except RosterError as exc:
        return _answer(request, pk, messages.ERROR, exc.message)
    message = _(
        "You are on the waitlist for %(shift)s. When a place frees up, the first on the "
        "waitlist gets it and is told by e-mail."
    ) % {"shift": _describe(entry.shift)}
    return _answer(request, pk, messages.SUCCESS, message)


@require_POST
def cancel(request, pk):
    _require_sign_up(request)
    entry = SignUp.objects.select_related("shift__hub").filter(pk=pk, user=request.user).first()
    shift_id = entry.shift_id if entry else None
    try:
        result = services.signup_cancel(signup_id=pk, user=request.user)
    except RosterError as exc:
        return _answer(request, shift_id, messages.ERROR, exc.message)
    shift = entry.shift
    if result.handover is not None:
        message = _(
            "%(shift)s starts within %(hours)s hours and would fall below its minimum "
            "without you. Your place is kept until a colleague takes it over; colleagues "
            "and the wijkmanager have been asked."
        ) % {"shift": _describe(shift), "hours": settings.SHIFT_CANCELLATION_CUTOFF_HOURS}
        return _answer(request, shift_id, messages.WARNING, message)
    if entry.is_confirmed:
        message = _("You are no longer signed up: %(shift)s.") % {"shift": _describe(shift)}
    else:
        message = _("You have left the waitlist: %(shift)s.") % {"shift": _describe(shift)}
    return _answer(request, shift_id, messages.SUCCESS, message)


# --- mijn dagdelen and the calendar feed -------------------------------------------------


def _feed_urls(request, feed: CalendarFeed) -> dict:
    https_url = request.build_absolute_uri(reverse("scheduling:feed", args=[feed.token]))
    return {"https": https_url, "webcal": "webcal://" + https_url.split("://", 1)[1]}


@require_safe
def mine(request):
    _require_sign_up(request)
    now = timezone.now()
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    context = {
        "roster": selectors.my_roster(request.user, now),
        "past_shown": selectors.PAST_PLACES_SHOWN,
        "feed_urls": _feed_urls(request, feed),
        "cutoff_hours": settings.SHIFT_CANCELLATION_CUTOFF_HOURS,
        "next": request.get_full_path(),
    }
    return render(request, "scheduling/mine.html", context)


@require_POST
def calendar_feed_reset(request):
    _require_sign_up(request)
    feed, created = CalendarFeed.objects.get_or_create(user=request.user)
    if not created:
        feed.reset()
    messages.success(
        request,
        _(
            "Your calendar has a new address. The old address no longer works: subscribe "
            "again with the new one."
        ),
    )
    return redirect(reverse("scheduling:mine") + "#agenda")


@login_not_required  # calendar apps fetch it without a session; the token is the key
@require_safe
@ratelimits.limit("PERSONAL_FEED_RATE_LIMIT")
def calendar_feed(request, token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    now = timezone.now()
    # The person's language is not stored; calendars get the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        body = roster_ical(feed.user, feed_signups(feed.user, now), now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mijn-dagdelen.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- hand-over requests --------------------------------------------------------------------


@require_safe
def handovers(request):
    _require_roster_viewer(request)
    context = {
        "handovers": list(selectors.open_handovers(request.user, timezone.now())),
        "can_sign_up": request.user.access.can_sign_up(),
        "next": request.get_full_path(),
    }
    return render(request, "scheduling/handovers.html", context)


@require_POST
def handover_take(request, pk):
    _require_sign_up(request)
    try:
        place = services.handover_take(handover_id=pk, user=request.user)
    except RosterError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("You have taken over the place: %(shift)s.") % {"shift": _describe(place.shift)},
        )
    return redirect(_next_url(request, "scheduling:handovers"))


@require_POST
def handover_withdraw(request, pk):
    _require_sign_up(request)
    shift_id = (
        HandoverRequest.objects.filter(pk=pk, signup__user=request.user)
        .values_list("signup__shift_id", flat=True)
        .first()
    )
    try:
        services.handover_withdraw(handover_id=pk, user=request.user)
    except RosterError as exc:
        return _answer(request, shift_id, messages.ERROR, exc.message, "scheduling:mine")
    message = _("Your hand-over request is withdrawn: the place stays yours.")
    return _answer(request, shift_id, messages.SUCCESS, message, "scheduling:mine")
