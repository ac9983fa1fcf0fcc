"""Workflows of the desk and the callback queue.

Claiming is exclusive: the callback's row is locked (SELECT ... FOR UPDATE on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers) and the claim is
re-checked after the lock, so of twenty colleagues pressing "Oppakken" at once
exactly one owns it and the others are told who does.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    CLOSED_STATUSES,
    AttemptResult,
    CallbackEventKind,
    CallbackStatus,
    Outcome,
)
from .models import (
    CallbackAttempt,
    CallbackEvent,
    CallbackRequest,
    PersonalDataAccess,
    Question,
    new_reference,
)
from .workdays import add_working_days


class CallbackError(Exception):
    """A rule stopped the action; ``message`` is shown to the person as it is."""

    def __init__(self, message, code: str = "error"):
        super().__init__(str(message))
        self.message, self.code = message, code


def _dagdeel_now(hub, now: dt.datetime) -> str:
    """The dagdeel the hub is open in at ``now`` ('' outside opening hours)."""
    opening = hub.calendar(timezone.localdate(now), timezone.localdate(now)).current_opening(
        hub.pk, now
    )
    return opening.dagdeel if opening else ""


def question_log(
    *,
    hub,
    user,
    topic,
    outcome: str,
    referral_target=None,
    note: str = "",
    language: str = "",
    interpreter_needed: bool = False,
    article=None,
    dagdeel: str | None = None,
    now: dt.datetime | None = None,
) -> Question:
    now = now or timezone.now()
    return Question.objects.create(
        hub=hub,
        date=timezone.localdate(now),
        dagdeel=_dagdeel_now(hub, now) if dagdeel is None else dagdeel,
        created_at=now,
        created_by=user,
        topic=topic,
        outcome=outcome,
        referral_target=referral_target if outcome == Outcome.REFERRED else None,
        note=note,
        language=language,
        interpreter_needed=interpreter_needed,
        article=article,
    )


def callback_create(
    *,
    hub,
    user,
    topic,
    team,
    resident_name: str,
    phone: str,
    email: str,
    reachable: str,
    language: str,
    question_text: str,
    consent: bool,
    note: str = "",
    dagdeel: str | None = None,
    now: dt.datetime | None = None,
) -> CallbackRequest:
    """Logs the question with outcome "callback" and makes the callback request.

    The due date is ``team.due_working_days`` working days after today.
    """
    if not consent:
        raise CallbackError(
            _("Without the resident's consent the details may not be stored."), "consent"
        )
    if not (phone or email):
        raise CallbackError(_("Give a phone number or an e-mail address."), "contact")
    now = now or timezone.now()
    with transaction.atomic():
        question = question_log(
            hub=hub,
            user=user,
            topic=topic,
            outcome=Outcome.CALLBACK,
            note=note,
            language=language,
            dagdeel=dagdeel,
            now=now,
        )
        callback = CallbackRequest(
            question=question,
            hub=hub,
            team=team,
            created_at=now,
            created_by=user,
            due_date=add_working_days(timezone.localdate(now), team.due_working_days),
            resident_name=resident_name,
            phone=phone,
            email=email,
            reachable=reachable,
            language=language or "nl",
            question_text=question_text,
            consent_at=now,
        )
        for _attempt in range(10):
            try:
                with transaction.atomic():
                    callback.save()
                break
            except IntegrityError:
                callback.pk, callback.reference = None, new_reference()  # a rare clash
        else:  # pragma: no cover - 26^6 references; ten clashes in a row do not happen
            raise CallbackError(_("No free reference could be made; try again."), "reference")
        CallbackEvent.objects.create(
            callback=callback, by=user, kind=CallbackEventKind.CREATED, to_team=team, at=now
        )
    return callback


def _locked(callback_id: int) -> CallbackRequest:
    try:
        return (
            CallbackRequest.objects.select_for_update().select_related("team").get(pk=callback_id)
        )
    except CallbackRequest.DoesNotExist:
        raise CallbackError(_("This callback request does not exist."), "missing") from None


def _require_member(callback: CallbackRequest, user) -> None:
    if not callback.team.members.filter(pk=user.pk).exists():
        raise CallbackError(
            _("Only members of team %(team)s can do this.") % {"team": callback.team}, "forbidden"
        )


def _require_open(callback: CallbackRequest) -> None:
    if callback.status in CLOSED_STATUSES:
        raise CallbackError(_("This callback request is closed; reopen it first."), "closed")


def _require_owner(callback: CallbackRequest, user) -> None:
    if callback.claimed_by_id != user.pk:
        raise CallbackError(_("Claim this callback request first."), "not_claimed")


def callback_claim(*, callback_id: int, user) -> CallbackRequest:
    with transaction.atomic():
        callback = _locked(callback_id)
        _require_member(callback, user)
        _require_open(callback)
        if callback.claimed_by_id and callback.claimed_by_id != user.pk:
            raise CallbackError(
                _("%(name)s is already handling this callback request.")
                % {"name": callback.claimed_by},
                "taken",
            )
        if callback.claimed_by_id != user.pk:
            callback.claimed_by, callback.claimed_at = user, timezone.now()
            callback.status = CallbackStatus.CLAIMED
            callback.save(update_fields=["claimed_by", "claimed_at", "status"])
            CallbackEvent.objects.create(callback=callback, by=user, kind=CallbackEventKind.CLAIMED)
        return callback


def callback_release(*, callback_id: int, user) -> CallbackRequest:
    with transaction.atomic():
        callback = _locked(callback_id)
        _require_owner(callback, user)
        callback.claimed_by, callback.claimed_at, callback.status = None, None, CallbackStatus.OPEN
        callback.save(update_fields=["claimed_by", "claimed_at", "status"])
        CallbackEvent.objects.create(callback=callback, by=user, kind=CallbackEventKind.RELEASED)
        return callback


def callback_log_attempt(*, callback_id: int, user, result: str, note: str = "") -> CallbackRequest:
    """Records a call attempt. After ``team.max_attempts`` failed attempts the callback
    is unreachable and the host who made it is told."""
    now = timezone.now()
    with transaction.atomic():
        callback = _locked(callback_id)
        _require_open(callback)
        _require_owner(callback, user)
        CallbackAttempt.objects.create(callback=callback, by=user, result=result, note=note, at=now)
        fields = []
        if callback.first_attempt_at is None:
            callback.first_attempt_at = now
            fields.append("first_attempt_at")
        if result != AttemptResult.REACHED:
            callback.failed_attempts += 1
            fields.append("failed_attempts")
            if callback.failed_attempts >= callback.team.max_attempts:
                callback.status, callback.closed_at = CallbackStatus.UNREACHABLE, now
                fields += ["status", "closed_at"]
                CallbackEvent.objects.create(
                    callback=callback, by=user, at=now, kind=CallbackEventKind.UNREACHABLE
                )
                _notify_host_after_commit(callback)
        callback.save(update_fields=fields or ["status"])
        return callback


def callback_complete(*, callback_id: int, user, result: str) -> CallbackRequest:
    now = timezone.now()
    with transaction.atomic():
        callback = _locked(callback_id)
        _require_open(callback)
        _require_owner(callback, user)
        callback.status, callback.closed_at, callback.result = CallbackStatus.COMPLETED, now, result
        callback.save(update_fields=["status", "closed_at", "result"])
        CallbackEvent.objects.create(
            callback=callback, by=user, at=now, kind=CallbackEventKind.COMPLETED
        )
        _notify_host_after_commit(callback)
        return callback


def callback_forward(*, callback_id: int, user, team, reason: str) -> CallbackRequest:
    """Hands the callback to another team, with a reason; it gets that team's deadline."""
    if not reason.strip():
        raise CallbackError(_("Say why the callback request goes to another team."), "reason")
    with transaction.atomic():
        callback = _locked(callback_id)
        _require_member(callback, user)
        _require_open(callback)
        if team.pk == callback.team_id:
            raise CallbackError(_("The callback request is already with this team."), "same")
        old = callback.team
        callback.team, callback.status = team, CallbackStatus.OPEN
        callback.claimed_by, callback.claimed_at = None, None
        callback.due_date = max(
            callback.due_date, add_working_days(timezone.localdate(), team.due_working_days)
        )
        callback.save(update_fields=["team", "status", "claimed_by", "claimed_at", "due_date"])
        CallbackEvent.objects.create(
            callback=callback,
            by=user,
            kind=CallbackEventKind.FORWARDED,
            from_team=old,
            to_team=team,
            note=reason[:300],
        )
        return callback


def callback_reopen(*, callback_id: int, user, reason: str) -> CallbackRequest:
    """A closed callback goes back to its team's queue with a new deadline."""
    with transaction.atomic():
        callback = _locked(callback_id)
        if callback.status not in CLOSED_STATUSES:
            raise CallbackError(_("This callback request is still open."), "open")
        if callback.is_purged:
            raise CallbackError(
                _("The resident's details were removed; make a new callback request."), "purged"
            )
        if not callback.personal_data_visible_to(user):
            raise CallbackError(_("You cannot reopen this callback request."), "forbidden")
        callback.status, callback.closed_at = CallbackStatus.OPEN, None
        callback.claimed_by, callback.claimed_at, callback.failed_attempts = None, None, 0
        callback.due_date = add_working_days(timezone.localdate(), callback.team.due_working_days)
        callback.save(
            update_fields=[
                "status",
                "closed_at",
                "claimed_by",
                "claimed_at",
                "failed_attempts",
                "due_date",
            ]
        )
        CallbackEvent.objects.create(
            callback=callback, by=user, kind=CallbackEventKind.REOPENED, note=reason[:300]
        )
        return callback


def personal_data_viewed(*, callback: CallbackRequest, user, purpose: str) -> None:
    """Records that ``user`` was shown the resident's details (AVG access log)."""
    if not callback.is_purged:
        PersonalDataAccess.objects.create(callback=callback, user=user, purpose=purpose[:40])


def callbacks_purge(*, now: dt.datetime | None = None) -> int:
    """Removes the personal data of callbacks closed more than CALLBACK_RETENTION_DAYS
    ago. The anonymous record (hub, topic, team, dates, outcome) stays for reports."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CALLBACK_RETENTION_DAYS)
    purged = 0
    due = CallbackRequest.objects.closed().filter(purged_at__isnull=True, closed_at__lt=cutoff)
    for callback in due.iterator():
        with transaction.atomic():
            callback.purge(now)
            CallbackEvent.objects.create(callback=callback, kind=CallbackEventKind.PURGED, at=now)
        purged += 1
    if purged:
        from audit.models import AuditKind
        from audit.services import record

        record(AuditKind.PURGE, subject="callbacks", removed=purged, before=cutoff.isoformat())
    return purged


def _notify_host_after_commit(callback: CallbackRequest) -> None:
    from . import tasks

    pk = callback.pk
    transaction.on_commit(lambda: tasks.notify_callback_closed.delay(pk))


CORRECTABLE_FIELDS = frozenset(
    {"topic", "outcome", "referral_target", "note", "language", "interpreter_needed", "article"}
)


def question_correct(
    *, question: Question, user, now: dt.datetime | None = None, **fields
) -> Question:
    """Its author corrects a desk entry within QUESTION_CORRECTION_MINUTES.

    A callback question keeps its outcome (the callback request hangs off it), and
    no other question can become one here: that needs the callback form."""
    unknown = set(fields) - CORRECTABLE_FIELDS
    if unknown:
        raise TypeError(f"question_correct() cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if not question.can_be_corrected_by(user, now):
            raise CallbackError(
                _(
                    "Only its author can correct a question, and only within %(minutes)s "
                    "minutes of logging it."
                )
                % {"minutes": settings.QUESTION_CORRECTION_MINUTES},
                "window",
            )
        outcome = fields.get("outcome", question.outcome)
        if (question.outcome == Outcome.CALLBACK) != (outcome == Outcome.CALLBACK):
            raise CallbackError(
                _("A callback request stays a callback request; change it on its own page.")
                if question.outcome == Outcome.CALLBACK
                else _("Make a callback request with the callback form."),
                "callback",
            )
        for name, value in fields.items():
            setattr(question, name, value)
        if question.outcome != Outcome.REFERRED:
            question.referral_target = None
        elif question.referral_target is None:
            raise CallbackError(_("Choose where the resident was referred to."), "referral")
        question.save(update_fields=sorted(CORRECTABLE_FIELDS))
    return question
