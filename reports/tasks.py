"""Keeping the weekly rollups fresh, and the Monday digest for wijkmanagers.

The schedule is in ``settings.CELERY_BEAT_SCHEDULE``. Refreshing a week replaces
its figures under a lock (``rollup.refresh_week``), so a task that runs twice, or
two that overlap, leave the same numbers behind.
"""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import digest, rollup


@shared_task(ignore_result=True)
def refresh_recent() -> None:
    """This week and last week: questions keep coming in this week, and attendance
    and corrections of last week are often entered after the fact."""
    today = timezone.localdate()
    rollup.refresh_weeks([today - dt.timedelta(weeks=1), today])


@shared_task(ignore_result=True)
def refresh_weeks_back(weeks: int = 8) -> None:
    """Nightly: the last ``weeks`` weeks (this one included), for changes made long
    after the fact, such as a shift cancelled in retrospect or a removed question."""
    today = timezone.localdate()
    rollup.refresh_weeks(today - dt.timedelta(weeks=i) for i in range(weeks))


@shared_task(ignore_result=True)
def send_weekly_digest() -> None:
    digest.weekly_digests_due()
