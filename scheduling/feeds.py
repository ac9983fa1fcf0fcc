"""A person's places as an iCalendar feed that Outlook or Google Calendar subscribes to."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from hubs.constants import Dagdeel
from hubs.feeds import _vtimezone

from .constants import SignUpStatus
from .models import SignUp

# How far back the feed reaches; forward it reaches as far as shifts exist.
FEED_DAYS_BACK = 30


def feed_signups(user, now: dt.datetime):
    """The places to publish: confirmed ones, and ones that were confirmed and have
    since been cancelled (by the person or by a closure) so calendars drop them.
    A waitlist place that never became a place is not in the calendar."""
    today = timezone.localtime(now).date()
    last = today + dt.timedelta(weeks=settings.SHIFT_HORIZON_WEEKS)
    return (
        SignUp.objects.filter(user=user, date__range=(today - dt.timedelta(FEED_DAYS_BACK), last))
        .filter(
            Q(status=SignUpStatus.CONFIRMED)
            | Q(status=SignUpStatus.CANCELLED, confirmed_at__isnull=False)
        )
        .select_related("shift__hub")
        .order_by("date", "pk")
    )


def roster_ical(user, signups, now: dt.datetime) -> bytes:
    """Every sign-up as a VEVENT in Europe/Amsterdam time, with a stable UID per sign-up."""
    tz_name = timezone.get_current_timezone_name()
    today = timezone.localtime(now).date()
    cal = Calendar()
    cal.add("prodid", "-//Gemeente Rotterdam//Wijkhubs rooster//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("My dagdelen – Wijkhubs"))
    cal.add("x-wr-timezone", tz_name)
    # Ask subscribing calendars to look again every hour.
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    signups = list(signups)
    dates = [s.date for s in signups] or [today]
    cal.add_component(_vtimezone(tz_name, min(dates), max(dates)))
    mine_url = settings.SITE_URL + reverse("scheduling:mine")
    for signup in signups:
        shift = signup.shift
        hub = shift.hub
        cancelled = signup.status == SignUpStatus.CANCELLED or shift.is_cancelled
        event = Event()
        event.add("uid", f"signup-{signup.pk}@wijkhubs")
        event.add("dtstamp", now)
        event.add("dtstart", timezone.localtime(shift.starts_at))
        event.add("dtend", timezone.localtime(shift.ends_at))
        event.add("summary", f"Wijkhub {hub.name} – {Dagdeel(shift.dagdeel).label}")
        event.add("location", hub.full_address or hub.name)
        event.add("url", mine_url)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        # A changed SEQUENCE tells clients that an event they hold was updated.
        event.add("sequence", 1 if cancelled else 0)
        if shift.is_cancelled:
            event.add(
                "description", _("The hub is closed: %(reason)s") % {"reason": shift.cancel_reason}
            )
        elif cancelled:
            event.add("description", _("You are no longer signed up for this dagdeel."))
        else:
            event.add(
                "description",
                _("%(staffed)s of at least %(minimum)s people signed up. Your dagdelen: %(url)s")
                % {"staffed": shift.confirmed_count, "minimum": shift.min_staff, "url": mine_url},
            )
        cal.add_component(event)
    return cal.to_ical()
