"""Rostering: one Shift per hub per open dagdeel; staff take places with a SignUp.

Overbooking is prevented twice over: sign-up locks the user's row and then the
shift's row and re-checks the places after the lock (services.py), and the
database refuses a ``confirmed_count`` above ``max_staff`` (a CHECK constraint),
so even code that skips the service cannot overbook.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hubs.constants import DAGDEEL_ORDER, Dagdeel

from .constants import HandoverStatus, NotificationKind, SignUpStatus, Staffing


class ShiftQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_cancelled=False)

    def upcoming(self, now: dt.datetime | None = None):
        return self.filter(ends_at__gt=now or timezone.now())

    def between(self, first: dt.date, last: dt.date):
        return self.filter(date__range=(first, last))

    def visible_to_managers(self, user):
        access = user.access
        if access.is_coordinator:
            return self.all()
        return self.filter(hub_id__in=access.managed_hub_ids)


class Shift(models.Model):
    hub = models.ForeignKey(
        "hubs.Hub", verbose_name=_("hub"), on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField(_("date"))
    dagdeel = models.CharField(_("dagdeel"), max_length=10, choices=Dagdeel.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    min_staff = models.PositiveSmallIntegerField(
        _("minimum staff"), help_text=_("The hub may only open with this many people.")
    )
    max_staff = models.PositiveSmallIntegerField(_("maximum staff"))
    required_roles = models.JSONField(_("required roles"), default=list, blank=True)
    staffing_overridden = models.BooleanField(
        _("staffing set by hand"),
        default=False,
        help_text=_("When set, changes to the hub's defaults leave this shift alone."),
    )
    # Kept in step with the confirmed sign-ups by services.py; the CHECK
    # constraint below is the database's own guard against overbooking.
    confirmed_count = models.PositiveSmallIntegerField(_("people signed up"), default=0)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at", "hub__name"]
        verbose_name = _("shift (dagdeel)")
        verbose_name_plural = _("shifts (dagdelen)")
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "date", "dagdeel"], name="one_shift_per_dagdeel"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("max_staff")), name="shift_never_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(min_staff__lte=F("max_staff"), max_staff__gte=1),
                name="shift_staff_range",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="shift_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["date", "hub"], name="shift_date_hub")]

    def __str__(self) -> str:
        return f"{self.hub} {self.date:%d-%m-%Y} {self.get_dagdeel_display()}"

    @property
    def sort_key(self):
        return (self.date, DAGDEEL_ORDER[self.dagdeel])

    @property
    def free_places(self) -> int:
        return max(0, self.max_staff - self.confirmed_count)

    @property
    def shortage(self) -> int:
        """How many people are still needed to reach the minimum."""
        return self.shortage_of(self.is_cancelled, self.confirmed_count, self.min_staff)

    @staticmethod
    def shortage_of(is_cancelled: bool, confirmed_count: int, min_staff: int) -> int:
        """``shortage`` from the values alone (the coverage page reads plain rows)."""
        if is_cancelled:
            return 0
        return max(0, min_staff - confirmed_count)

    @property
    def is_full(self) -> bool:
        return self.confirmed_count >= self.max_staff

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def decision_time(self) -> dt.datetime:
        """When the go/no-go is decided: by default the day before at 12:00, local time."""
        day = self.date - dt.timedelta(days=settings.SHIFT_DECISION_DAYS_BEFORE)
        return dt.datetime.combine(
            day, dt.time(settings.SHIFT_DECISION_HOUR), tzinfo=timezone.get_current_timezone()
        )

    def cancellation_cutoff(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(hours=settings.SHIFT_CANCELLATION_CUTOFF_HOURS)

    def staffing(self, present_roles: set[str] | None = None) -> str:
        """Go/no-go. ``present_roles``: the roles held by the confirmed people,
        needed only when the shift requires a role."""
        return self.staffing_of(
            self.is_cancelled,
            self.confirmed_count,
            self.min_staff,
            self.required_roles,
            present_roles,
        )

    @staticmethod
    def staffing_of(
        is_cancelled: bool,
        confirmed_count: int,
        min_staff: int,
        required_roles: list[str],
        present_roles: set[str] | None = None,
    ) -> str:
        """``staffing()`` from the values alone: for a page that reads thousands of
        shifts as plain rows."""
        if is_cancelled:
            return Staffing.CANCELLED
        if confirmed_count < min_staff:
            return Staffing.SHORT
        if required_roles and present_roles is not None and not set(required_roles) & present_roles:
            return Staffing.NO_ROLE
        return Staffing.GO


class SignUpQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=SignUpStatus.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=SignUpStatus.WAITLISTED)

    def live(self):
        return self.filter(status__in=[SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED])


class SignUp(models.Model):
    """A person's place in a shift, or their place on its waitlist."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="signups"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="signups",
    )
    # Copied from the shift so the database can refuse two places in one dagdeel.
    date = models.DateField(_("date"))
    dagdeel = models.CharField(_("dagdeel"), max_length=10, choices=Dagdeel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=SignUpStatus.choices, default=SignUpStatus.CONFIRMED
    )
    cluster = models.ForeignKey(
        "accounts.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signups",
        help_text=_("The person's cluster at the time of signing up."),
    )
    attended = models.BooleanField(
        _("attended"),
        null=True,
        blank=True,
        help_text=_("Marked by the host: came, did not come, or not yet known."),
    )
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "user"],
                condition=Q(status__in=[SignUpStatus.CONFIRMED, SignUpStatus.WAITLISTED]),
                name="one_live_signup_per_shift",
            ),
            models.UniqueConstraint(
                fields=["user", "date", "dagdeel"],
                condition=Q(status=SignUpStatus.CONFIRMED),
                name="one_place_per_dagdeel",
            ),
        ]
        indexes = [models.Index(fields=["user", "date"], name="signup_user_date")]

    def __str__(self) -> str:
        return f"{self.user} – {self.shift} ({self.get_status_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == SignUpStatus.CONFIRMED


class ClusterOffer(models.Model):
    """Places in a shift reserved for one cluster until ``release_at``."""

    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), on_delete=models.CASCADE, related_name="offers"
    )
    cluster = models.ForeignKey(
        "accounts.Cluster",
        verbose_name=_("cluster"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    release_at = models.DateTimeField(
        _("released at"), help_text=_("After this moment anyone may take the places.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["shift__date", "cluster__name"]
        verbose_name = _("cluster offer")
        verbose_name_plural = _("cluster offers")
        constraints = [
            models.UniqueConstraint(fields=["shift", "cluster"], name="one_offer_per_cluster"),
            models.CheckConstraint(condition=Q(places__gte=1), name="offer_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster}: {self.places} × {self.shift}"

    def is_released(self, now: dt.datetime | None = None) -> bool:
        return self.release_at <= (now or timezone.now())


class HandoverRequest(models.Model):
    """A late cancellation that would leave the shift short: a colleague must take over."""

    signup = models.ForeignKey(
        SignUp, verbose_name=_("sign-up"), on_delete=models.CASCADE, related_name="handovers"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.OPEN
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken over by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("hand-over request")
        verbose_name_plural = _("hand-over requests")
        constraints = [
            models.UniqueConstraint(
                fields=["signup"],
                condition=Q(status=HandoverStatus.OPEN),
                name="one_open_handover_per_signup",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signup} ({self.get_status_display()})"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's secret calendar address; resetting it makes the old one stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    def reset(self) -> None:
        self.token = _new_token()
        self.save(update_fields=["token", "created_at"])


class SentNotification(models.Model):
    """One row per notification sent: claiming it first makes every reminder go once,
    even when a task runs twice or two beats run."""

    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    key = models.CharField(_("key"), max_length=100)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="notification_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
