"""The rostering e-mails. Each is claimed in SentNotification before it is sent,
so it goes exactly once, however often a task runs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.emails import send_templated_email
from accounts.models import User

from .constants import HandoverStatus, NotificationKind, SignUpStatus
from .models import ClusterOffer, HandoverRequest, Shift, SignUp
from .services import claim_notification


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _shift_context(shift: Shift) -> dict:
    return {
        "shift": shift,
        "hub": shift.hub,
        "starts": timezone.localtime(shift.starts_at),
        "ends": timezone.localtime(shift.ends_at),
        "mine_url": _url("scheduling:mine"),
        "week_url": _url("scheduling:week"),
    }


def _managers_of(hub) -> list[str]:
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.WIJKMANAGER, role_assignments__hub=hub
        )
        .values_list("email", flat=True)
        .distinct()
    )


def send(kind: str, ids: list[int]) -> int:
    """Sends the notifications of ``kind`` for these object ids; returns how many went."""
    sent = 0
    if kind in (
        NotificationKind.SHIFT_CANCELLED,
        NotificationKind.WAITLIST_PROMOTED,
        NotificationKind.SHIFT_REMINDER,
    ):
        signups = SignUp.objects.filter(pk__in=ids).select_related("shift__hub", "user")
        for signup in signups:
            if kind == NotificationKind.SHIFT_REMINDER and (
                signup.status != SignUpStatus.CONFIRMED or signup.shift.is_cancelled
            ):
                continue
            if (
                kind == NotificationKind.WAITLIST_PROMOTED
                and signup.status != SignUpStatus.CONFIRMED
            ):
                continue
            if not claim_notification(kind, f"signup:{signup.pk}"):
                continue
            context = {**_shift_context(signup.shift), "person": signup.user}
            send_templated_email(kind, signup.user.email, context)
            sent += 1
    elif kind == NotificationKind.HANDOVER:
        for handover in HandoverRequest.objects.filter(
            pk__in=ids, status=HandoverStatus.OPEN
        ).select_related("signup__shift__hub", "signup__user"):
            if not claim_notification(kind, f"handover:{handover.pk}"):
                continue
            shift = handover.signup.shift
            recipients = set(_managers_of(shift.hub))
            if handover.signup.cluster_id:
                recipients |= set(
                    User.objects.filter(
                        is_active=True,
                        cluster_id=handover.signup.cluster_id,
                        role_assignments__role__in=[Role.MEDEWERKER, Role.KCC, Role.HOST],
                    )
                    .exclude(pk=handover.signup.user_id)
                    .values_list("email", flat=True)
                )
            context = {
                **_shift_context(shift),
                "handover": handover,
                "person": handover.signup.user,
                "handovers_url": _url("scheduling:handovers"),
            }
            for email in sorted(recipients):
                send_templated_email(kind, email, context)
            sent += 1
    return sent


def shift_reminders_due(now: dt.datetime | None = None) -> int:
    """The day-before reminder for everyone with a place in tomorrow's shifts."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    ids = list(
        SignUp.objects.confirmed()
        .filter(shift__date=tomorrow, shift__is_cancelled=False)
        .values_list("pk", flat=True)
    )
    return send(NotificationKind.SHIFT_REMINDER, ids)


def understaffing_alerts_due(now: dt.datetime | None = None) -> int:
    """Alerts the wijkmanagers, and the medewerkers of clusters with an offer in the
    shift, about each shift in the coming days that is still under its minimum."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    last = today + dt.timedelta(days=settings.UNDERSTAFFED_ALERT_DAYS)
    shifts = list(
        Shift.objects.active()
        .filter(date__range=(today, last), starts_at__gt=now)
        .filter(confirmed_count__lt=F("min_staff"))
        .select_related("hub")
    )
    sent = 0
    for shift in shifts:
        if not claim_notification(NotificationKind.UNDERSTAFFED, f"shift:{shift.pk}"):
            continue
        recipients = set(_managers_of(shift.hub))
        cluster_ids = ClusterOffer.objects.filter(shift=shift).values_list("cluster_id", flat=True)
        recipients |= set(
            User.objects.filter(
                is_active=True,
                cluster_id__in=list(cluster_ids),
                role_assignments__role__in=[Role.MEDEWERKER, Role.KCC],
            )
            # A subquery: exclude() with two conditions on a multi-valued relation
            # would also drop people with any sign-up here (even a cancelled one)
            # who have a confirmed place somewhere else.
            .exclude(pk__in=shift.signups.confirmed().values("user_id"))
            .values_list("email", flat=True)
        )
        context = {**_shift_context(shift), "shortage": shift.shortage}
        for email in sorted(recipients):
            send_templated_email(NotificationKind.UNDERSTAFFED, email, context)
        sent += 1
    return sent
