from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Dagdeel(models.TextChoices):
    OCHTEND = "ochtend", _("Morning")
    MIDDAG = "middag", _("Afternoon")
    AVOND = "avond", _("Evening")


DAGDEEL_ORDER = {d.value: i for i, d in enumerate(Dagdeel)}

DEFAULT_TIMES = {
    Dagdeel.OCHTEND: (time(9, 0), time(12, 30)),
    Dagdeel.MIDDAG: (time(13, 0), time(17, 0)),
    Dagdeel.AVOND: (time(18, 0), time(21, 0)),
}


class Weekday(models.IntegerChoices):
    # A context of our own: Django's date filter translates plain "Monday" (lower case
    # in Dutch, mid-sentence); these are headings and keep their capital.
    MONDAY = 0, pgettext_lazy("weekday", "Monday")
    TUESDAY = 1, pgettext_lazy("weekday", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("weekday", "Wednesday")
    THURSDAY = 3, pgettext_lazy("weekday", "Thursday")
    FRIDAY = 4, pgettext_lazy("weekday", "Friday")
    SATURDAY = 5, pgettext_lazy("weekday", "Saturday")
    SUNDAY = 6, pgettext_lazy("weekday", "Sunday")


class ClosingDaySource(models.TextChoices):
    HOLIDAYS = "holidays", _("Public holiday (imported)")
    MANUAL = "manual", _("Added by the city")


# The city's norm: every hub is open at least this much in a week.
NORM_MIN_DAGDELEN = 4
NORM_MIN_DAYS = 3
