"""The period a report covers: whole weeks, Monday to Sunday.

Reports count in weeks because residents' questions and the roster follow the
week, and because the rollups are weekly. A chosen date is widened to its week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wijkhubs.widgets import MIN_YEAR, DateInput

from .rollup import monday

# The longest period one report covers: three years of weeks.
MAX_WEEKS = 156


@dataclass(frozen=True)
class Period:
    first: dt.date  # a Monday
    last: dt.date  # a Sunday

    @classmethod
    def of_weeks(cls, last_sunday: dt.date, weeks: int) -> Period:
        return cls(last_sunday - dt.timedelta(weeks=weeks, days=-1), last_sunday)

    @property
    def weeks(self) -> int:
        return ((self.last - self.first).days + 1) // 7

    @property
    def mondays(self) -> list[dt.date]:
        return [self.first + dt.timedelta(weeks=i) for i in range(self.weeks)]

    def previous(self) -> Period:
        """The same number of weeks just before this period."""
        return Period(self.first - dt.timedelta(weeks=self.weeks), self.first - dt.timedelta(1))

    def contains(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def label(self) -> str:
        return gettext("week %(first_week)s %(first_year)s to week %(last_week)s %(last_year)s") % {
            "first_week": self.first.isocalendar().week,
            "first_year": self.first.isocalendar().year,
            "last_week": self.last.isocalendar().week,
            "last_year": self.last.isocalendar().year,
        }

    def dates_label(self) -> str:
        first, last = (formats.date_format(d, "j b Y") for d in (self.first, self.last))
        return f"{first} – {last}"

    def query(self) -> str:
        return f"van={self.first:%Y-%m-%d}&tot={self.last:%Y-%m-%d}"

    def slug(self) -> str:
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"


def default_period(today: dt.date | None = None) -> Period:
    """The last 13 complete weeks: a quarter."""
    today = today or timezone.localdate()
    return Period.of_weeks(monday(today) - dt.timedelta(days=1), 13)


PRESETS = (
    ("4", _("Last 4 weeks")),
    ("13", _("Last 13 weeks")),
    ("52", _("Last 52 weeks")),
    ("year", _("This year so far")),
    ("lastyear", _("Last year")),
)


def preset_period(name: str, today: dt.date) -> Period | None:
    this_monday = monday(today)
    last_sunday = this_monday - dt.timedelta(days=1)
    if name in ("4", "13", "52"):
        return Period.of_weeks(last_sunday, int(name))
    if name == "year":
        return Period(monday(dt.date(today.year, 1, 4)), this_monday + dt.timedelta(days=6))
    if name == "lastyear":
        first = monday(dt.date(today.year - 1, 1, 4))
        return Period(first, monday(dt.date(today.year, 1, 4)) - dt.timedelta(days=1))
    return None


class PeriodForm(forms.Form):
    """``?van=…&tot=…`` (or ``?periode=13``) of every report page."""

    periode = forms.ChoiceField(
        label=_("Period"), choices=[("", _("Own dates"))] + list(PRESETS), required=False
    )
    van = forms.DateField(label=_("From"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("To"), required=False, widget=DateInput())
    # Which of the two the page showed ("preset" or "dates"). Without JavaScript both
    # arrive filled in; what differs from what was shown is what the user changed.
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self.data.copy()
        self.today = today or timezone.localdate()

    def _check_year(self, value: dt.date | None) -> dt.date | None:
        if value and not MIN_YEAR <= value.year <= self.today.year:
            raise forms.ValidationError(
                gettext("Choose a date between %(first)s and %(last)s.")
                % {"first": MIN_YEAR, "last": self.today.year}
            )
        return value

    def clean_van(self):
        return self._check_year(self.cleaned_data.get("van"))

    def clean_tot(self):
        return self._check_year(self.cleaned_data.get("tot"))

    def clean(self):
        data = super().clean()
        preset = data.get("periode")
        typed = bool(self.data.get("van") or self.data.get("tot"))
        if preset and typed and data.get("shown") == "preset":
            preset = ""  # dates typed while a preset was shown: the dates win
        if preset:
            self._show("preset", van="", tot="")
            data["period"] = preset_period(preset, self.today)
            return data
        self._show("dates", periode="")
        first, last = data.get("van"), data.get("tot")
        if self.errors:
            return data
        if not first and not last:
            data["period"] = default_period(self.today)
            return data
        if not first or not last:
            raise forms.ValidationError(gettext("Fill in both the start and the end date."))
        if last < first:
            self.add_error("tot", gettext("The end date is before the start date."))
            return data
        if monday(last) > monday(self.today):
            self.add_error("tot", gettext("A report cannot end after this week."))
            return data
        period = Period(monday(first), monday(last) + dt.timedelta(days=6))
        if period.weeks > MAX_WEEKS:
            self.add_error(
                "tot", gettext("Choose a period of at most %(weeks)s weeks.") % {"weeks": MAX_WEEKS}
            )
            return data
        data["period"] = period
        return data

    def _show(self, shown: str, **cleared) -> None:
        """Renders the form the way it was understood: the losing choice emptied."""
        self.data["shown"] = shown
        for name, value in cleared.items():
            self.data[name] = value

    @property
    def period(self) -> Period | None:
        if self.is_valid():
            return self.cleaned_data.get("period")
        return None
