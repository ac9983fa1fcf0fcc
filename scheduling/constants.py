from django.db import models
from django.utils.translation import gettext_lazy as _


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Signed up")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class HandoverStatus(models.TextChoices):
    OPEN = "open", _("Looking for a colleague")
    TAKEN = "taken", _("Taken over")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Staffing(models.TextChoices):
    """Go/no-go of a hub-dagdeel, derived from who signed up."""

    GO = "go", _("Staffed")
    SHORT = "short", _("Needs people")
    NO_ROLE = "no_role", _("Missing a required role")
    CANCELLED = "cancelled", _("Cancelled")


class PublicUnderstaffed(models.TextChoices):
    """What residents see for a dagdeel still under its minimum at decision time."""

    TENTATIVE = "tentative", _("Subject to change (onder voorbehoud)")
    CLOSED = "closed", _("Closed")


class NotificationKind(models.TextChoices):
    SHIFT_REMINDER = "shift_reminder", _("Reminder the day before")
    UNDERSTAFFED = "understaffed", _("Understaffing alert")
    SHIFT_CANCELLED = "shift_cancelled", _("Shift cancelled")
    WAITLIST_PROMOTED = "waitlist_promoted", _("Promoted from the waitlist")
    HANDOVER = "handover", _("Hand-over request")
    REPORT_DIGEST = "report_digest", _("Weekly report digest")
