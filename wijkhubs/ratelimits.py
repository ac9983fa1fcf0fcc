"""Rate limits for the pages anyone can fetch without logging in: the public feeds
and the personal calendar feed (whose secret address must not be guessable by trying).

Counting uses the cache (Redis in production, shared by every web process; in
development the per-process memory cache). A client over the limit gets
429 Too Many Requests with Retry-After, never a 500.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from audit.services import client_ip


def _by_ip(group, request) -> str:
    return client_ip(request) or "unknown"


def limit(setting: str):
    """Limits a view to the rate in ``settings.<setting>`` (e.g. "120/m") per client."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            rate = getattr(settings, setting)
            if rate and is_ratelimited(
                request,
                group=setting,
                key=_by_ip,
                rate=rate,
                method=["GET", "HEAD"],
                increment=True,
            ):
                response = HttpResponse(
                    _("Too many requests. Try again in a minute."),
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = "60"
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
