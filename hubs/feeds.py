"""Machine-readable opening hours: schema.org JSON-LD, iCalendar and JSON."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from .constants import Weekday
from .opening import OpeningCalendar

SCHEMA_DAYS = {
    Weekday.MONDAY: "Monday",
    Weekday.TUESDAY: "Tuesday",
    Weekday.WEDNESDAY: "Wednesday",
    Weekday.THURSDAY: "Thursday",
    Weekday.FRIDAY: "Friday",
    Weekday.SATURDAY: "Saturday",
    Weekday.SUNDAY: "Sunday",
}


def hub_json_ld(hub, calendar: OpeningCalendar, request, first: dt.date, last: dt.date) -> dict:
    """schema.org GovernmentOffice with the regular week and closures as special hours.

    ``first``..``last`` (inside the calendar's range) is the horizon: the
    schedule versions in force then become ``openingHoursSpecification`` (with
    ``validThrough`` when a change is planned), and every closed day in it a
    ``specialOpeningHoursSpecification``. The mobile hub has no regular week:
    its stops are its special opening hours.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": f"Wijkhub {hub.name}",
        "url": request.build_absolute_uri(hub.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": hub.address,
            "postalCode": hub.postcode,
            "addressLocality": hub.city,
            "addressCountry": "NL",
        },
    }
    if hub.phone:
        data["telephone"] = hub.phone
    if hub.email:
        data["email"] = hub.email
    if hub.latitude is not None and hub.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(hub.latitude),
            "longitude": float(hub.longitude),
        }
    if not hub.is_mobile:
        regular = []
        for version, valid_through in calendar.versions_between(hub.pk, first, last):
            for slot in sorted(version.slots.all(), key=lambda s: s.sort_key):
                spec = {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[slot.weekday]}",
                    "opens": slot.start_time.strftime("%H:%M"),
                    "closes": slot.end_time.strftime("%H:%M"),
                    "validFrom": version.valid_from.isoformat(),
                }
                if valid_through is not None:
                    spec["validThrough"] = valid_through.isoformat()
                regular.append(spec)
        if regular:
            data["openingHoursSpecification"] = regular
    special = []
    for status in calendar.days(hub.pk, first, last):
        if status.closed_reason:
            # schema.org: opens = closes = 00:00 marks a closed day.
            special.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "validFrom": status.date.isoformat(),
                    "validThrough": status.date.isoformat(),
                    "opens": "00:00",
                    "closes": "00:00",
                    "description": status.closed_reason,
                }
            )
        elif hub.is_mobile:
            special.extend(
                {
                    "@type": "OpeningHoursSpecification",
                    "validFrom": o.date.isoformat(),
                    "validThrough": o.date.isoformat(),
                    "opens": timezone.localtime(o.start).strftime("%H:%M"),
                    "closes": timezone.localtime(o.end).strftime("%H:%M"),
                    "description": ", ".join(p for p in [o.place, o.address] if p),
                }
                for o in status.openings
            )
    if special:
        data["specialOpeningHoursSpecification"] = special
    return data


def _vtimezone(name: str, first: dt.date, last: dt.date) -> Timezone:
    return Timezone.from_tzinfo(
        ZoneInfo(name),
        tzid=name,
        first_date=first.replace(month=1, day=1),
        last_date=last.replace(month=12, day=31),
    )


def hub_ical(hub, calendar: OpeningCalendar, page_url: str) -> bytes:
    """Every opening of the hub in the calendar's range as an event in local time."""
    tz_name = timezone.get_current_timezone_name()
    cal = Calendar()
    cal.add("prodid", "-//Gemeente Rotterdam//Wijkhubs//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Wijkhub {hub.name}")
    cal.add("x-wr-timezone", tz_name)
    cal.add_component(_vtimezone(tz_name, calendar.start, calendar.end))
    stamp = timezone.now()
    for opening in calendar.openings(hub.pk):
        event = Event()
        event.add("uid", f"{hub.slug}-{opening.date.isoformat()}-{opening.dagdeel}@wijkhubs")
        event.add("dtstamp", stamp)
        event.add("dtstart", timezone.localtime(opening.start))
        event.add("dtend", timezone.localtime(opening.end))
        event.add("summary", f"Wijkhub {hub.name} open")
        location = ", ".join(p for p in [opening.place, opening.address] if p) or hub.full_address
        event.add("location", location)
        event.add("url", page_url)
        event.add("transp", "TRANSPARENT")
        if opening.tentative:
            event.add("status", "TENTATIVE")
        cal.add_component(event)
    return cal.to_ical()


def hub_json(hub, calendar: OpeningCalendar, first: dt.date, last: dt.date, url: str) -> dict:
    days = []
    for status in calendar.days(hub.pk, first, last):
        days.append(
            {
                "date": status.date.isoformat(),
                "open": status.is_open,
                "closed_reason": status.closed_reason or None,
                "openings": [
                    {
                        "dagdeel": o.dagdeel,
                        "start": timezone.localtime(o.start).isoformat(),
                        "end": timezone.localtime(o.end).isoformat(),
                        "tentative": o.tentative,
                        **({"place": o.place, "address": o.address} if hub.is_mobile else {}),
                    }
                    for o in status.openings
                ],
                "closed_for_staffing": [o.dagdeel for o in status.understaffed],
            }
        )
    return {
        "slug": hub.slug,
        "name": hub.name,
        "gebied": hub.gebied.name,
        "address": hub.address,
        "postcode": hub.postcode,
        "city": hub.city,
        "mobile": hub.is_mobile,
        "latitude": float(hub.latitude) if hub.latitude is not None else None,
        "longitude": float(hub.longitude) if hub.longitude is not None else None,
        "url": url,
        "days": days,
    }
