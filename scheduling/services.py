"""Rostering workflows: generating shifts, signing up, waitlists, cancelling, handing over.

Locking (as ephios does it): every write that changes who is in a shift locks the
acting user's row first and then the shift's row, always in that order, and
re-reads the places after the lock. On PostgreSQL that is ``SELECT ... FOR UPDATE``;
on SQLite the transaction is IMMEDIATE, which serialises writers. The CHECK
constraint ``shift_never_overbooked`` and the unique constraints on SignUp are the
database's backstop: if a bug let two writers through, one of them gets an
IntegrityError, which we turn into the same "vol" answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from hubs.models import Hub
from hubs.opening import OpeningCalendar

from .constants import HandoverStatus, NotificationKind, SignUpStatus
from .models import HandoverRequest, SentNotification, Shift, SignUp


class RosterError(Exception):
    """A rule stopped the action; ``message`` is shown to the person as it is."""

    code = "error"

    def __init__(self, message, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class ShiftFull(RosterError):
    code = "full"


@dataclass
class SyncResult:
    created: int = 0
    cancelled: int = 0
    reopened: int = 0
    updated: int = 0


@dataclass
class CancelResult:
    cancelled: bool
    handover: HandoverRequest | None = None


# --- generating shifts ----------------------------------------------------------------


def shifts_sync(
    *, hubs=None, first: dt.date | None = None, last: dt.date | None = None
) -> SyncResult:
    """Makes the shifts match the opening hours from ``first`` to ``last``.

    New openings get a shift; shifts whose dagdeel is no longer open (a closure, a
    closing day, a new schedule version) are cancelled and their people told; a
    cancelled shift whose dagdeel opens again is reopened (without its old sign-ups).
    Past shifts are history and are left alone.
    """
    today = timezone.localdate()
    first = max(first or today, today)
    last = last or today + dt.timedelta(weeks=settings.SHIFT_HORIZON_WEEKS)
    hubs = list(hubs if hubs is not None else Hub.objects.active())
    calendar = OpeningCalendar(hubs, first, last)
    result = SyncResult()
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (s.hub_id, s.date, s.dagdeel): s
            for s in Shift.objects.select_for_update().filter(
                hub__in=hubs, date__range=(first, last)
            )
        }
        wanted = {}
        for hub in hubs:
            for opening in calendar.openings(hub.pk):
                wanted[(hub.pk, opening.date, opening.dagdeel)] = (hub, opening)
        to_create = []
        for key, (hub, opening) in wanted.items():
            shift = existing.get(key)
            if shift is None:
                to_create.append(
                    Shift(
                        hub=hub,
                        date=opening.date,
                        dagdeel=opening.dagdeel,
                        starts_at=opening.start,
                        ends_at=opening.end,
                        min_staff=hub.min_staff,
                        max_staff=hub.max_staff,
                        required_roles=list(hub.required_roles),
                    )
                )
                continue
            changed = []
            if shift.is_cancelled:
                shift.is_cancelled, shift.cancel_reason = False, ""
                changed += ["is_cancelled", "cancel_reason"]
                result.reopened += 1
            if (shift.starts_at, shift.ends_at) != (opening.start, opening.end):
                shift.starts_at, shift.ends_at = opening.start, opening.end
                changed += ["starts_at", "ends_at"]
            if (
                not shift.staffing_overridden
                and shift.confirmed_count <= hub.max_staff
                and (
                    (shift.min_staff, shift.max_staff, shift.required_roles)
                    != (hub.min_staff, hub.max_staff, list(hub.required_roles))
                )
            ):
                shift.min_staff, shift.max_staff = hub.min_staff, hub.max_staff
                shift.required_roles = list(hub.required_roles)
                changed += ["min_staff", "max_staff", "required_roles"]
            if changed:
                shift.save(update_fields=changed)
                result.updated += 1
        Shift.objects.bulk_create(to_create)
        result.created = len(to_create)
        for key, shift in existing.items():
            if key in wanted or shift.is_cancelled or shift.starts_at <= now:
                continue
            reason = calendar.closed_reason(shift.hub_id, shift.date) or _(
                "The hub is no longer open in this dagdeel."
            )
            shift_cancel(shift=shift, reason=str(reason))
            result.cancelled += 1
    return result


def shift_cancel(*, shift: Shift, reason: str) -> None:
    """Cancels a shift (the hub is closed then) and tells everyone who was in it."""
    with transaction.atomic():
        affected = list(shift.signups.live().values_list("pk", flat=True))
        confirmed = list(shift.signups.confirmed().values_list("pk", flat=True))
        shift.signups.live().update(status=SignUpStatus.CANCELLED, cancelled_at=timezone.now())
        HandoverRequest.objects.filter(signup__shift=shift, status=HandoverStatus.OPEN).update(
            status=HandoverStatus.WITHDRAWN, closed_at=timezone.now()
        )
        shift.is_cancelled, shift.cancel_reason, shift.confirmed_count = True, reason[:200], 0
        shift.save(update_fields=["is_cancelled", "cancel_reason", "confirmed_count"])
        if affected:
            _notify_after_commit(NotificationKind.SHIFT_CANCELLED, confirmed)


# --- signing up -----------------------------------------------------------------------


def _lock(user: User, shift_id: int) -> Shift:
    """Locks the user's row, then the shift's row: always in this order."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    try:
        return Shift.objects.select_for_update().select_related("hub").get(pk=shift_id)
    except Shift.DoesNotExist:
        raise RosterError(_("This dagdeel does not exist (any more)."), "missing") from None


def can_sign_up(user: User) -> bool:
    return user.access.can_sign_up()


def _check_open_for(shift: Shift, user: User, now: dt.datetime) -> None:
    if not can_sign_up(user):
        raise RosterError(_("Your role does not let you sign up for dagdelen."), "forbidden")
    if shift.is_cancelled:
        raise RosterError(
            _("The hub is closed in this dagdeel: %(reason)s") % {"reason": shift.cancel_reason},
            "closed",
        )
    if shift.starts_at <= now:
        raise RosterError(_("This dagdeel has already begun or is over."), "past")


def _check_no_other_place(shift: Shift, user: User) -> None:
    other = (
        SignUp.objects.confirmed()
        .filter(user=user, date=shift.date, dagdeel=shift.dagdeel)
        .exclude(shift=shift)
        .select_related("shift__hub")
        .first()
    )
    if other:
        raise RosterError(
            _("You already have a place in this dagdeel, at %(hub)s.") % {"hub": other.shift.hub},
            "double",
        )


def places_for(shift: Shift, user: User, now: dt.datetime | None = None) -> int:
    """Free places ``user`` may take: places reserved for another cluster's offer
    (until its release) are not theirs to take."""
    now = now or timezone.now()
    confirmed_clusters = list(shift.signups.confirmed().values_list("cluster_id", flat=True))
    free = shift.max_staff - len(confirmed_clusters)
    for offer in shift.offers.filter(release_at__gt=now):
        if offer.cluster_id == user.cluster_id:
            continue
        taken = sum(1 for c in confirmed_clusters if c == offer.cluster_id)
        free -= max(0, offer.places - taken)
    return free


def _confirm(signup: SignUp, shift: Shift) -> None:
    """Turns ``signup`` into a place and counts it, refused by the database when full."""
    try:
        with transaction.atomic():
            updated = Shift.objects.filter(pk=shift.pk, confirmed_count__lt=F("max_staff")).update(
                confirmed_count=F("confirmed_count") + 1
            )
            if not updated:
                raise ShiftFull(_("This dagdeel is full."))
            signup.status = SignUpStatus.CONFIRMED
            signup.confirmed_at = timezone.now()
            signup.save()
    except IntegrityError as exc:
        # The constraints caught what the checks did not (a double place, or a full shift).
        raise ShiftFull(_("This dagdeel is full.")) from exc
    shift.confirmed_count += 1


def signup_create(*, shift_id: int, user: User) -> SignUp:
    """Takes a place in the shift, or raises RosterError (ShiftFull when full)."""
    now = timezone.now()
    with transaction.atomic():
        shift = _lock(user, shift_id)
        _check_open_for(shift, user, now)
        live = shift.signups.live().filter(user=user).first()
        if live and live.is_confirmed:
            raise RosterError(_("You are already signed up for this dagdeel."), "already")
        _check_no_other_place(shift, user)
        if places_for(shift, user, now) <= 0:
            raise ShiftFull(_("This dagdeel is full. You can join the waitlist."))
        signup = live or SignUp(shift=shift, user=user, date=shift.date, dagdeel=shift.dagdeel)
        signup.cluster_id = user.cluster_id
        _confirm(signup, shift)
        return signup


def waitlist_join(*, shift_id: int, user: User) -> SignUp:
    now = timezone.now()
    with transaction.atomic():
        shift = _lock(user, shift_id)
        _check_open_for(shift, user, now)
        live = shift.signups.live().filter(user=user).first()
        if live:
            raise RosterError(
                _("You are already signed up for this dagdeel.")
                if live.is_confirmed
                else _("You are already on the waitlist for this dagdeel."),
                "already",
            )
        _check_no_other_place(shift, user)
        if places_for(shift, user, now) > 0:
            raise RosterError(_("There is still a place: sign up instead."), "not_full")
        return SignUp.objects.create(
            shift=shift,
            user=user,
            date=shift.date,
            dagdeel=shift.dagdeel,
            status=SignUpStatus.WAITLISTED,
            cluster_id=user.cluster_id,
        )


def _promote_waitlist(shift: Shift) -> list[int]:
    """Gives freed places to the waitlist, first come first served. Returns promoted ids."""
    promoted = []
    now = timezone.now()
    for waiting in shift.signups.waitlisted().select_related("user").order_by("created_at", "pk"):
        if shift.confirmed_count >= shift.max_staff:
            break
        if places_for(shift, waiting.user, now) <= 0:
            continue
        clash = (
            SignUp.objects.confirmed()
            .filter(user=waiting.user, date=shift.date, dagdeel=shift.dagdeel)
            .exists()
        )
        if clash:
            continue
        try:
            _confirm(waiting, shift)
        except ShiftFull:
            continue
        promoted.append(waiting.pk)
    if promoted:
        _notify_after_commit(NotificationKind.WAITLIST_PROMOTED, promoted)
    return promoted


def signup_cancel(*, signup_id: int, user: User, reason: str = "") -> CancelResult:
    """Gives up a place (or leaves the waitlist).

    Inside the cut-off (default 48 hours before the start) a cancellation that would
    take the shift below its minimum becomes a hand-over request: the place is kept
    until a colleague takes it over, and colleagues and the wijkmanager see it.
    """
    now = timezone.now()
    with transaction.atomic():
        try:
            signup = SignUp.objects.select_related("shift").get(pk=signup_id, user=user)
        except SignUp.DoesNotExist:
            raise RosterError(_("This sign-up does not exist (any more)."), "missing") from None
        shift = _lock(user, signup.shift_id)
        signup.refresh_from_db()
        if signup.status == SignUpStatus.CANCELLED:
            raise RosterError(_("This sign-up was already cancelled."), "already")
        if shift.starts_at <= now:
            raise RosterError(
                _("This dagdeel has already begun; it can no longer be cancelled."), "past"
            )
        if signup.status == SignUpStatus.WAITLISTED:
            signup.status, signup.cancelled_at = SignUpStatus.CANCELLED, now
            signup.save(update_fields=["status", "cancelled_at"])
            return CancelResult(cancelled=True)
        inside_cutoff = now >= shift.cancellation_cutoff()
        if inside_cutoff and shift.confirmed_count - 1 < shift.min_staff:
            handover = HandoverRequest.objects.filter(
                signup=signup, status=HandoverStatus.OPEN
            ).first()
            if handover is None:
                handover = HandoverRequest.objects.create(signup=signup, reason=reason[:200])
                _notify_after_commit(NotificationKind.HANDOVER, [handover.pk])
            return CancelResult(cancelled=False, handover=handover)
        _release(signup, shift, now)
        _promote_waitlist(shift)
        return CancelResult(cancelled=True)


def _release(signup: SignUp, shift: Shift, now: dt.datetime) -> None:
    signup.status, signup.cancelled_at = SignUpStatus.CANCELLED, now
    signup.save(update_fields=["status", "cancelled_at"])
    Shift.objects.filter(pk=shift.pk).update(confirmed_count=F("confirmed_count") - 1)
    shift.confirmed_count -= 1
    HandoverRequest.objects.filter(signup=signup, status=HandoverStatus.OPEN).update(
        status=HandoverStatus.WITHDRAWN, closed_at=now
    )


def handover_take(*, handover_id: int, user: User) -> SignUp:
    """A colleague takes over the place of a hand-over request."""
    now = timezone.now()
    with transaction.atomic():
        try:
            handover = HandoverRequest.objects.select_related("signup").get(pk=handover_id)
        except HandoverRequest.DoesNotExist:
            raise RosterError(_("This hand-over request does not exist."), "missing") from None
        shift = _lock(user, handover.signup.shift_id)
        handover.refresh_from_db()
        if handover.status != HandoverStatus.OPEN:
            raise RosterError(_("Someone else has already taken over this place."), "taken")
        if handover.signup.user_id == user.pk:
            raise RosterError(_("You cannot take over your own place."), "own")
        _check_open_for(shift, user, now)
        if shift.signups.confirmed().filter(user=user).exists():
            raise RosterError(_("You are already signed up for this dagdeel."), "already")
        _check_no_other_place(shift, user)
        _release(handover.signup, shift, now)
        live = shift.signups.live().filter(user=user).first()  # maybe on the waitlist
        signup = live or SignUp(shift=shift, user=user, date=shift.date, dagdeel=shift.dagdeel)
        signup.cluster_id = user.cluster_id
        _confirm(signup, shift)
        handover.status, handover.taken_by, handover.closed_at = HandoverStatus.TAKEN, user, now
        handover.save(update_fields=["status", "taken_by", "closed_at"])
        return signup


def handover_withdraw(*, handover_id: int, user: User) -> None:
    """The requester can come after all: the request is closed, the place stays theirs."""
    updated = HandoverRequest.objects.filter(
        pk=handover_id, signup__user=user, status=HandoverStatus.OPEN
    ).update(status=HandoverStatus.WITHDRAWN, closed_at=timezone.now())
    if not updated:
        raise RosterError(_("This hand-over request is no longer open."), "missing")


def shift_set_staffing(
    *, shift: Shift, min_staff: int, max_staff: int, required_roles: list[str]
) -> list[int]:
    """Overrides a shift's staffing. Raising the maximum gives places to the waitlist."""
    with transaction.atomic():
        shift = Shift.objects.select_for_update().get(pk=shift.pk)
        if max_staff < shift.confirmed_count:
            raise RosterError(
                _("%(count)s people are already signed up; the maximum cannot be lower.")
                % {"count": shift.confirmed_count},
                "too_low",
            )
        shift.min_staff, shift.max_staff = min_staff, max_staff
        shift.required_roles, shift.staffing_overridden = required_roles, True
        shift.save(
            update_fields=["min_staff", "max_staff", "required_roles", "staffing_overridden"]
        )
        return _promote_waitlist(shift)


def attendance_mark(*, shift: Shift, attended: dict[int, bool | None]) -> int:
    """The host records who came. ``attended`` maps sign-up id to True/False/None."""
    count = 0
    with transaction.atomic():
        for signup in shift.signups.confirmed().filter(pk__in=list(attended)):
            signup.attended = attended[signup.pk]
            signup.save(update_fields=["attended"])
            count += 1
    return count


# --- notifications (sent once) ----------------------------------------------------------


def claim_notification(kind: str, key: str) -> bool:
    """True for the one caller that may send this notification; False for every other."""
    try:
        with transaction.atomic():
            SentNotification.objects.create(kind=kind, key=key)
    except IntegrityError:
        return False
    return True


def _notify_after_commit(kind: str, ids: list[int]) -> None:
    from . import tasks

    ids = list(ids)
    transaction.on_commit(lambda: tasks.notify.delay(kind, ids))
