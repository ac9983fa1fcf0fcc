from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role

from .constants import (
    DAGDEEL_ORDER,
    NORM_MIN_DAGDELEN,
    NORM_MIN_DAYS,
    ClosingDaySource,
    Dagdeel,
    Weekday,
)
from .validators import validate_phone, validate_postcode


class Gebied(models.Model):
    """A district of the city (Feijenoord, Charlois, ...); hubs are grouped by it."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district (gebied)")
        verbose_name_plural = _("districts (gebieden)")

    def __str__(self) -> str:
        return self.name


class HubQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def manageable_by(self, user):
        """Hubs whose details, schedule and closures ``user`` may edit."""
        access = user.access
        if access.is_coordinator:
            return self.all()
        return self.filter(pk__in=access.managed_hub_ids)

    def related_to(self, user):
        """Hubs the user holds any role at (all hubs for a coordinator)."""
        access = user.access
        if access.is_coordinator:
            return self.all()
        return self.filter(pk__in=access.related_hub_ids)


class Hub(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("Used in the web address of the public hub page."),
    )
    gebied = models.ForeignKey(
        Gebied, verbose_name=_("district (gebied)"), on_delete=models.PROTECT, related_name="hubs"
    )
    wijk = models.CharField(
        _("neighbourhood (wijk)"),
        max_length=120,
        blank=True,
        help_text=_("The wijkraad area this hub serves."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    city = models.CharField(_("city"), max_length=80, default="Rotterdam")
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail address"), blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Shown to residents on the public hub page.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive hubs are hidden from residents.")
    )
    is_mobile = models.BooleanField(
        _("mobile hub"),
        default=False,
        help_text=_("A mobile hub is open only where it has a stop."),
    )
    # Staffing defaults for the shifts of this hub (each shift may override them).
    min_staff = models.PositiveSmallIntegerField(
        _("minimum staff"),
        default=2,
        help_text=_("The hub may only open with at least this many people present."),
    )
    max_staff = models.PositiveSmallIntegerField(
        _("maximum staff"), default=4, help_text=_("No more people than this per dagdeel.")
    )
    required_roles = models.JSONField(
        _("required roles"),
        default=list,
        blank=True,
        help_text=_(
            "At least one person holding one of these roles must be present, "
            "e.g. a host or a KCC employee."
        ),
    )

    objects = HubQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("wijkhub")
        verbose_name_plural = _("wijkhubs")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90) | Q(latitude__isnull=True),
                name="hub_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180) | Q(longitude__isnull=True),
                name="hub_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(min_staff__lte=F("max_staff"), max_staff__gte=1),
                name="hub_staff_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:hub_detail", args=[self.slug])

    @property
    def wijkmanagers(self):
        from accounts.models import User

        return User.objects.filter(
            role_assignments__hub=self, role_assignments__role=Role.WIJKMANAGER, is_active=True
        )

    @property
    def map_url(self) -> str:
        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=18/{self.latitude}/{self.longitude}"
            )
        from urllib.parse import quote

        return f"https://www.openstreetmap.org/search?query={quote(self.full_address)}"

    @property
    def full_address(self) -> str:
        return ", ".join(p for p in [self.address, f"{self.postcode} {self.city}".strip()] if p)

    # --- opening (see opening.py for how it is computed) ----------------------
    def calendar(self, start: dt.date, end: dt.date):
        from .opening import OpeningCalendar

        return OpeningCalendar([self], start, end)

    def is_open_at(self, moment: dt.datetime) -> bool:
        """Is the hub open at this (aware) moment?"""
        from .opening import local_date

        day = local_date(moment)
        return self.calendar(day, day).is_open_at(self.pk, moment)

    def next_opening(self, after: dt.datetime, days: int = 28):
        """The first opening that is still going on or starts after ``after``."""
        from .opening import local_date

        day = local_date(after)
        return self.calendar(day, day + dt.timedelta(days=days)).next_opening(self.pk, after)

    def opening_for_week(self, any_day: dt.date):
        """The DayStatus of each day, Monday to Sunday, of the week holding ``any_day``."""
        monday = any_day - dt.timedelta(days=any_day.weekday())
        sunday = monday + dt.timedelta(days=6)
        return self.calendar(monday, sunday).days(self.pk, monday, sunday)


class ScheduleVersion(models.Model):
    """The weekly opening of a hub, in force from ``valid_from`` until the next version."""

    hub = models.ForeignKey(
        Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="schedule_versions"
    )
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Why this schedule was made, e.g. a wijkraad proposal."),
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
        ordering = ["hub", "valid_from"]
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        constraints = [
            models.UniqueConstraint(fields=["hub", "valid_from"], name="one_version_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.hub} – {self.valid_from:%d-%m-%Y}"

    def weekly_counts(self, slots=None) -> tuple[int, int]:
        """(dagdelen, distinct days) per week according to this version alone."""
        slots = list(self.slots.all()) if slots is None else slots
        return len(slots), len({s.weekday for s in slots})

    def meets_norm(self, slots=None) -> bool:
        dagdelen, days = self.weekly_counts(slots)
        return dagdelen >= NORM_MIN_DAGDELEN and days >= NORM_MIN_DAYS


class OpeningSlot(models.Model):
    """One open dagdeel on one weekday of a schedule version, with its local times."""

    version = models.ForeignKey(
        ScheduleVersion,
        verbose_name=_("schedule version"),
        on_delete=models.CASCADE,
        related_name="slots",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    dagdeel = models.CharField(_("dagdeel"), max_length=10, choices=Dagdeel.choices)
    start_time = models.TimeField(_("opens at"))
    end_time = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("opening slot")
        verbose_name_plural = _("opening slots")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "weekday", "dagdeel"], name="one_slot_per_dagdeel"
            ),
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_dagdeel_display()}"

    @property
    def sort_key(self):
        return (self.weekday, DAGDEEL_ORDER[self.dagdeel])


class ClosingDayQuerySet(models.QuerySet):
    def closed(self):
        return self.filter(is_closed=True)


class ClosingDay(models.Model):
    """The city's own list of days on which every hub is closed.

    Seeded from the ``holidays`` package; the city decides (Goede Vrijdag and
    Bevrijdingsdag differ between sources), so a day can be switched off
    without being deleted, and the yearly refresh never re-adds a removed day.
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_closed = models.BooleanField(
        _("hubs closed"), default=True, help_text=_("Untick to keep the hubs open on this day.")
    )
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=ClosingDaySource.choices,
        default=ClosingDaySource.MANUAL,
    )

    objects = ClosingDayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


class ClosureQuerySet(models.QuerySet):
    def overlapping(self, start: dt.date, end: dt.date):
        return self.filter(start_date__lte=end, end_date__gte=start)

    def for_hub_ids(self, hub_ids):
        """Closures of these hubs plus the city-wide ones."""
        return self.filter(Q(hub_id__in=list(hub_ids)) | Q(hub__isnull=True))


class Closure(models.Model):
    """A hub (or, with no hub, every hub) is closed on these days."""

    hub = models.ForeignKey(
        Hub,
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        help_text=_("Leave empty to close every hub."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    reason = models.CharField(
        _("reason"), max_length=200, help_text=_("Shown to residents, e.g. 'Renovation'.")
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

    objects = ClosureQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="closure_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub or _('All hubs')}: {self.start_date} – {self.end_date}"

    def clean(self):
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError(
                    {"end_date": _("The last day cannot be before the first day.")}
                )
            same_scope = (
                Closure.objects.filter(hub=self.hub)
                .overlapping(self.start_date, self.end_date)
                .exclude(pk=self.pk)
            )
            clash = same_scope.first()
            if clash:
                raise ValidationError(
                    _("This closure overlaps an existing one (%(start)s – %(end)s: %(reason)s).")
                    % {
                        "start": clash.start_date.strftime("%d-%m-%Y"),
                        "end": clash.end_date.strftime("%d-%m-%Y"),
                        "reason": clash.reason,
                    }
                )


class MobileStop(models.Model):
    """Where the mobile hub stands on a date and dagdeel."""

    hub = models.ForeignKey(
        Hub,
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="mobile_stops",
        limit_choices_to={"is_mobile": True},
    )
    date = models.DateField(_("date"))
    dagdeel = models.CharField(_("dagdeel"), max_length=10, choices=Dagdeel.choices)
    place = models.CharField(
        _("place"), max_length=120, help_text=_("E.g. 'Afrikaandermarkt' or 'Library Hillesluis'.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "dagdeel"]
        verbose_name = _("mobile hub stop")
        verbose_name_plural = _("mobile hub stops")
        constraints = [
            models.UniqueConstraint(fields=["hub", "date", "dagdeel"], name="one_stop_per_dagdeel"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.get_dagdeel_display()}: {self.place}"
