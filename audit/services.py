"""Writing to, and pruning, the audit log."""

from __future__ import annotations

import contextvars
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import AuditEvent, AuditKind

logger = logging.getLogger("wijkhubs.audit")

# The request being handled, so that receivers of model signals (a role granted
# on the user page) know who did it. Set by ``AuditContextMiddleware``.
current_request: contextvars.ContextVar = contextvars.ContextVar("audit_request", default=None)


def client_ip(request) -> str | None:
    """The address the request came from. Behind the proxy of docker-compose this is
    the proxy, unless ``TRUST_X_FORWARDED_FOR`` is on (only behind a proxy that sets
    the header itself)."""
    if request is None:
        return None
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _event(kind: str, request, user, subject, detail) -> AuditEvent:
    """An unsaved event; ``user`` defaults to the request's user, and the actor of a
    task or command is empty ("system")."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEvent(
        kind=kind,
        actor_id=user.pk if authenticated else None,
        actor=user.email if authenticated else "",
        ip=client_ip(request),
        subject=str(subject)[:200],
        detail=detail,
    )


def record(kind: str, *, request=None, user=None, subject: str = "", **detail) -> AuditEvent:
    """Appends one event."""
    event = _event(kind, request or current_request.get(), user, subject, detail)
    event.save()
    logger.info("%s %s %s %s", kind, event.actor or "-", event.subject, detail or "")
    return event


def record_many(kind: str, items, *, request=None) -> int:
    """Appends one event per (subject, detail) in one statement (CSV imports)."""
    request = request or current_request.get()
    events = [_event(kind, request, None, subject, detail) for subject, detail in items]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


def purge_expired(now: dt.datetime | None = None) -> int:
    """Deletes events older than AUDIT_RETENTION_DAYS and records that it did."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        old = AuditEvent.objects.filter(at__lt=cutoff)
        # The queryset's delete() is refused on purpose; this is the one way out.
        deleted = old._raw_delete(old.db)
    if deleted:
        record(AuditKind.PURGE, subject="audit log", removed=deleted, before=cutoff.isoformat())
    return deleted


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
