"""Proposal e-mails, each claimed before sending so every event goes exactly once:
wijkraad members on every published status change and every reply from the city;
coordinators and the hub's wijkmanagers on a submission and on replies from the
wijkraad; coordinators a week before the answer is due, and again when it is late."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.emails import send_templated_email
from accounts.models import User
from scheduling.services import claim_notification

from . import rules
from .constants import OPEN_STATUSES, ProposalNotification, Status
from .models import Message, Proposal, Transition


def _wijkraad(proposal) -> list[str]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.WIJKRAAD,
            role_assignments__hub_id=proposal.hub_id,
        )
        .values_list("email", flat=True)
        .distinct()
    )


def _city(proposal, *, managers: bool = True) -> list[str]:
    condition = Q(role_assignments__role=Role.COORDINATOR)
    if managers:
        condition |= Q(
            role_assignments__role=Role.WIJKMANAGER, role_assignments__hub_id=proposal.hub_id
        )
    return list(
        User.objects.filter(condition, is_active=True).values_list("email", flat=True).distinct()
    )


def _send(name: str, recipients, context) -> None:
    for email in sorted(set(recipients)):
        send_templated_email(name, email, context)


def send(kind: str, object_id: int) -> bool:
    if not claim_notification(kind, str(object_id)):
        return False
    if kind in (ProposalNotification.STATUS, ProposalNotification.SUBMITTED):
        step = Transition.objects.select_related("proposal__hub", "by").filter(pk=object_id).first()
        if step is None or step.to_status == Status.CONCEPT:
            return False
        proposal = step.proposal
        context = {"proposal": proposal, "step": step, "url": _url(proposal)}
        if kind == ProposalNotification.SUBMITTED:
            _send("proposal_submitted", _city(proposal), context)
        else:
            _send("proposal_status", _wijkraad(proposal), context)
        return True
    if kind == ProposalNotification.MESSAGE:
        message = (
            Message.objects.select_related("proposal__hub", "author")
            .filter(pk=object_id, internal=False)
            .first()
        )
        if message is None:
            return False
        proposal = message.proposal
        from_city = message.author is not None and rules.is_city_for(message.author, proposal)
        recipients = _wijkraad(proposal) if from_city else _city(proposal)
        author = message.author.email if message.author else ""
        context = {"proposal": proposal, "message": message, "url": _url(proposal)}
        _send("proposal_message", [r for r in recipients if r != author], context)
        return True
    return False


def _url(proposal) -> str:
    return settings.SITE_URL + reverse("proposals:detail", args=[proposal.pk])


def deadlines_due(today: dt.date | None = None) -> int:
    """A week before the answer is due: a reminder to the coordinators; after it: an
    escalation to the coordinators and the hub's wijkmanagers. Each once."""
    today = today or timezone.localdate()
    sent = 0
    open_ = Proposal.objects.filter(status__in=OPEN_STATUSES, answer_due__isnull=False)
    for proposal in open_.filter(answer_due__lte=today + dt.timedelta(days=7)).select_related(
        "hub"
    ):
        overdue = proposal.answer_due < today
        kind = ProposalNotification.OVERDUE if overdue else ProposalNotification.DUE_SOON
        if not claim_notification(kind, str(proposal.pk)):
            continue
        context = {"proposal": proposal, "url": _url(proposal), "overdue": overdue}
        _send("proposal_deadline", _city(proposal, managers=overdue), context)
        sent += 1
    return sent
