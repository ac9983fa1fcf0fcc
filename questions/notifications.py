"""Callback e-mails. Residents' data never goes in a subject (nor in a body that
leaves the team): subjects name the reference only. Each e-mail is claimed in
scheduling's SentNotification table first, so it goes exactly once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.emails import send_templated_email
from accounts.models import User
from scheduling.services import claim_notification

from .constants import QuestionNotification
from .models import CallbackRequest, Team
from .workdays import add_working_days


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def callback_closed(callback_id: int) -> bool:
    """Tells the host who made the callback that it was completed or is unreachable."""
    callback = (
        CallbackRequest.objects.select_related(
            "created_by", "hub", "team", "question__topic__parent"
        )
        .filter(pk=callback_id)
        .first()
    )
    if callback is None or callback.created_by is None or callback.is_open:
        return False
    if not claim_notification(
        QuestionNotification.HOST_NOTICE, f"{callback.pk}:{callback.closed_at:%Y%m%d%H%M%S}"
    ):
        return False
    send_templated_email(
        "callback_closed",
        callback.created_by.email,
        {"callback": callback, "url": _url("questions:callback_detail", callback.reference)},
    )
    return True


def team_digests_due(today: dt.date | None = None) -> int:
    """Once a day per team: its open callbacks, overdue ones first."""
    today = today or timezone.localdate()
    sent = 0
    for team in Team.objects.filter(is_active=True).prefetch_related("members"):
        callbacks = list(
            CallbackRequest.objects.open()
            .filter(team=team)
            .select_related("hub", "claimed_by", "question__topic__parent")
            .order_by("due_date")
        )
        recipients = [m.email for m in team.members.all() if m.is_active]
        if not callbacks or not recipients:
            continue
        if not claim_notification(QuestionNotification.TEAM_DIGEST, f"{team.pk}:{today}"):
            continue
        context = {
            "team": team,
            "today": today,
            "overdue": [c for c in callbacks if c.due_date < today],
            "open": [c for c in callbacks if c.due_date >= today],
            "queue_url": _url("questions:team_queue", team.pk),
        }
        for email in recipients:
            send_templated_email("team_digest", email, context)
        sent += 1
    return sent


def escalations_due(today: dt.date | None = None) -> int:
    """One working day after the due date, an open callback goes to the hub's
    wijkmanagers."""
    today = today or timezone.localdate()
    sent = 0
    candidates = (
        CallbackRequest.objects.open()
        .filter(due_date__lt=today)
        .select_related("hub", "team", "claimed_by")
    )
    for callback in candidates:
        if add_working_days(callback.due_date, 1) > today:
            continue
        if not claim_notification(QuestionNotification.ESCALATION, str(callback.pk)):
            continue
        managers = (
            User.objects.filter(
                is_active=True,
                role_assignments__role=Role.WIJKMANAGER,
                role_assignments__hub=callback.hub,
            )
            .values_list("email", flat=True)
            .distinct()
        )
        context = {
            "callback": callback,
            "url": _url("questions:callback_detail", callback.reference),
        }
        for email in managers:
            send_templated_email("callback_escalation", email, context)
        sent += 1
    return sent
