"""Weekly rollups behind the report pages.

A year of a busy city is about a million questions. Report pages never scan them:
a periodic task (``reports.tasks.refresh_recent``) folds each week into a few
thousand ``WeeklyFigure`` rows, per hub and for the whole city (``hub`` empty),
and the pages add those up. See ``reports.rollup`` for what each metric counts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RollupWeek(models.Model):
    """One row per week that has been rolled up: when, and the lock for refreshing it."""

    week = models.DateField(_("week (Monday)"), unique=True)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        ordering = ["week"]
        verbose_name = _("rolled-up week")
        verbose_name_plural = _("rolled-up weeks")

    def __str__(self) -> str:
        return f"{self.week:%G-W%V}"


class WeeklyFigure(models.Model):
    """A count for one week, one hub (or the whole city) and one metric/key."""

    week = models.DateField(_("week (Monday)"))
    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole city."),
    )
    metric = models.CharField(_("metric"), max_length=20)
    key = models.IntegerField(_("key"), default=0)
    value = models.IntegerField(_("value"))

    class Meta:
        verbose_name = _("weekly figure")
        verbose_name_plural = _("weekly figures")
        indexes = [
            models.Index(fields=["hub", "week", "metric"], name="figure_hub_week"),
            models.Index(fields=["week", "metric"], name="figure_week_metric"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.hub_id or 'city'} {self.metric}[{self.key}]={self.value}"
