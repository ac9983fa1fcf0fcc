"""A short-lived cache for the public feeds (``openingstijden.json``, a hub's ``.ics``)
and for the content of the resident pages (the hub list, a hub's page).

Calendar apps and the city's website fetch them far more often than opening hours
change. A response is kept for PUBLIC_FEED_CACHE_SECONDS (default 60) in the shared
cache (Redis in production), per address and language; any change to hubs, schedules,
closures, closing days, stops or shifts makes every cached feed stale at once (a
version number in the key). A feed may therefore lag a sign-up by at most a minute.

The resident pages keep only their content (``cached_public``), never the whole page:
the page around it holds a CSRF token and the language switch.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import translation
from django.utils.safestring import mark_safe

VERSION_KEY = "public-feeds:version"
KEPT_HEADERS = ("Content-Disposition",)


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def invalidate(*args, **kwargs) -> None:
    """Signal receiver: every cached feed is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def cached_feed(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.PUBLIC_FEED_CACHE_SECONDS
        if not seconds or request.method != "GET":
            return view(request, *args, **kwargs)
        key = f"public-feeds:{_version()}:{translation.get_language()}:{request.get_full_path()}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type, headers = hit
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            cache.set(key, (response.content, response["Content-Type"], headers), seconds)
        return response

    return wrapped


def cached_public(name: str | None, build):
    """``build()`` — a string of HTML or a tuple of them, made from public data only —
    kept as the feeds are, per ``name`` and language; HTML comes back marked safe.
    ``name`` must be made of validated values only, so nobody can fill the cache;
    ``None`` keeps nothing."""
    value = _kept(f"public-pages:{_version()}:{translation.get_language()}:{name}", name, build)
    if isinstance(value, str):
        return mark_safe(value)  # noqa: S308 - our own templates' output
    return tuple(mark_safe(part) for part in value)  # noqa: S308


def cached_public_data(name: str, build):
    """``build()`` — public data that holds no text of ours (no language, no HTML): the
    hubs and districts of the resident pages, a hub's openings of one day for the desk —
    kept as the feeds are, per ``name`` (validated values only). Any change to the data
    the feeds show makes it stale at once."""
    return _kept(f"public-data:{_version()}:{name}", name, build)


def _kept(key: str, name: str | None, build):
    seconds = settings.PUBLIC_FEED_CACHE_SECONDS if name else 0
    value = cache.get(key) if seconds else None
    if value is None:
        value = build()
        if seconds:
            cache.set(key, value, seconds)
    return value


def connect() -> None:
    """Called from HubsConfig.ready(): what makes the feeds stale."""
    from hubs.models import (
        ClosingDay,
        Closure,
        Gebied,
        Hub,
        MobileStop,
        OpeningSlot,
        ScheduleVersion,
    )
    from proposals.models import Answer, Proposal
    from scheduling.models import Shift

    # Gebied, Proposal and Answer: the hub list and a hub's page show them.
    models = (Hub, Gebied, ScheduleVersion, OpeningSlot, Closure, ClosingDay, MobileStop, Shift)
    for model in (*models, Proposal, Answer):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"feedcache-save-{model.__name__}")
        post_delete.connect(
            invalidate, sender=model, dispatch_uid=f"feedcache-delete-{model.__name__}"
        )
