"""A resident's rights under the AVG: find, hand over (art. 15/20) and erase (art. 17)
the personal data the portal holds about them — which lives only in callback
requests. Every step is recorded in the audit log, with the references found but
never the phone number or e-mail address searched for.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.validators import normalise_phone
from questions.constants import OPEN_STATUSES, CallbackEventKind, CallbackStatus
from questions.models import CallbackEvent, CallbackRequest

from .models import AuditKind
from .services import record

REFERENCE_RE = re.compile(r"^TB-[0-9A-Z]{4}-[0-9A-Z]{2}$")


def classify(query: str) -> tuple[str, str]:
    """("reference" | "email" | "phone", normalised value); ValidationError otherwise."""
    text = query.strip()
    if REFERENCE_RE.match(text.upper()):
        return "reference", text.upper()
    if "@" in text:
        return "email", text.lower()
    try:
        return "phone", normalise_phone(text)
    except ValidationError:
        raise ValidationError(
            _("Enter a reference (TB-XXXX-XX), a Dutch phone number or an e-mail address.")
        ) from None


def find(kind: str, value: str):
    """Callbacks matching the search, with what is needed to show and export them."""
    field = {"reference": "reference", "email": "email__iexact", "phone": "phone"}[kind]
    return (
        CallbackRequest.objects.filter(**{field: value})
        .select_related("hub", "team", "question__topic")
        .prefetch_related("attempts", "events")
        .order_by("created_at")
    )


def as_export(callbacks, now: dt.datetime | None = None) -> dict:
    """Everything held about the resident, in a form they can read and reuse."""
    now = now or timezone.now()
    items = []
    for cb in callbacks:
        items.append(
            {
                "reference": cb.reference,
                "hub": cb.hub.name,
                "team": cb.team.name,
                "topic": str(cb.question.topic),
                "created_at": cb.created_at.isoformat(),
                "due_date": cb.due_date.isoformat(),
                "status": cb.get_status_display(),
                "closed_at": cb.closed_at.isoformat() if cb.closed_at else None,
                "result": cb.result,
                "consent_at": cb.consent_at.isoformat() if cb.consent_at else None,
                "personal_data_removed_at": cb.purged_at.isoformat() if cb.purged_at else None,
                "personal_data": {name: getattr(cb, name) for name in cb.PERSONAL_FIELDS}
                | {"language": cb.get_language_display()},
                "call_attempts": [
                    {"at": a.at.isoformat(), "result": a.get_result_display(), "note": a.note}
                    for a in cb.attempts.all()
                ],
            }
        )
    return {
        "exported_at": now.isoformat(),
        "controller": "Gemeente Rotterdam — wijkhubs",
        "callback_requests": items,
    }


def log_lookup(request, kind: str, callbacks, request_ref: str, action: str) -> None:
    record(
        AuditKind.DATA_REQUEST,
        request=request,
        subject=request_ref,
        action=action,
        search=kind,
        found=[cb.reference for cb in callbacks],
    )


def erase(request, callbacks, request_ref: str, now: dt.datetime | None = None) -> list[str]:
    """Removes the personal data of these callbacks now. An open request is closed:
    without a phone number nobody can call back."""
    now = now or timezone.now()
    erased = []
    with transaction.atomic():
        for cb in CallbackRequest.objects.select_for_update().filter(
            pk__in=[c.pk for c in callbacks], purged_at__isnull=True
        ):
            if cb.status in OPEN_STATUSES:
                cb.status = CallbackStatus.COMPLETED
                cb.closed_at = now
                cb.result = _("Closed: the resident asked for their data to be erased.")
                cb.save(update_fields=["status", "closed_at", "result"])
            cb.purge(now)
            CallbackEvent.objects.create(
                callback=cb, kind=CallbackEventKind.PURGED, at=now, by=request.user
            )
            erased.append(cb.reference)
        record(AuditKind.ERASURE, request=request, subject=request_ref, erased=erased)
    return erased
