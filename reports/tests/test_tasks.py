"""Keeping the rollups fresh: the periodic tasks, their schedule and rebuild_reports."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils.module_loading import import_string

from reports import tasks
from reports.models import RollupWeek, WeeklyFigure
from tests.factories import QuestionFactory, TopicFactory

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=AMS)  # Wednesday of week 48
THIS_MONDAY = dt.date(2026, 11, 23)

pytestmark = pytest.mark.django_db


def monday(weeks_ago: int) -> dt.date:
    return THIS_MONDAY - dt.timedelta(weeks=weeks_ago)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def questions(hub):
    """Questions on the Tuesday of this week and of each of the 11 weeks before:
    ``weeks_ago + 1`` of them, so each week's count tells which week it is."""
    topic = TopicFactory(name="Wonen")
    for weeks_ago in range(12):
        for _ in range(weeks_ago + 1):
            QuestionFactory(hub=hub, topic=topic, date=monday(weeks_ago) + dt.timedelta(days=1))


def city_questions() -> dict[dt.date, int]:
    """Rolled-up questions of the whole city, per week."""
    return dict(
        WeeklyFigure.objects.filter(metric="q", hub__isnull=True).values_list("week", "value")
    )


def test_refresh_recent_rolls_up_this_week_and_last_week(questions):
    tasks.refresh_recent()
    assert city_questions() == {monday(0): 1, monday(1): 2}
    assert set(RollupWeek.objects.values_list("week", flat=True)) == {monday(0), monday(1)}


def test_refreshing_again_replaces_the_figures_instead_of_adding_to_them(hub, questions):
    tasks.refresh_recent()
    QuestionFactory(hub=hub, topic=TopicFactory(name="Wonen"), date=monday(0))
    tasks.refresh_recent()
    assert city_questions() == {monday(0): 2, monday(1): 2}
    hub_total = WeeklyFigure.objects.filter(metric="q", hub=hub).aggregate(n=Sum("value"))["n"]
    assert hub_total == 4


def test_refresh_weeks_back_rolls_up_the_last_weeks_at_night(questions):
    tasks.refresh_weeks_back()
    assert city_questions() == {monday(i): i + 1 for i in range(8)}
    WeeklyFigure.objects.all().delete()
    tasks.refresh_weeks_back(weeks=3)
    assert city_questions() == {monday(i): i + 1 for i in range(3)}


def test_rebuild_reports_rolls_up_every_week_with_progress(questions):
    out = StringIO()
    call_command("rebuild_reports", stdout=out)
    assert city_questions() == {monday(i): i + 1 for i in range(12)}
    assert "10/12 weeks" in out.getvalue()
    assert "12/12 weeks" in out.getvalue()


def test_rebuild_reports_can_do_only_the_last_weeks(questions):
    out = StringIO()
    call_command("rebuild_reports", "--weeks", "2", stdout=out)
    assert city_questions() == {monday(0): 1, monday(1): 2}
    assert "Rolled up 2 weeks" in out.getvalue()


def test_rebuild_reports_refuses_zero_weeks(db):
    with pytest.raises(CommandError):
        call_command("rebuild_reports", "--weeks", "0")


def test_rebuild_reports_without_data_writes_nothing(db):
    out = StringIO()
    call_command("rebuild_reports", stdout=out)
    assert WeeklyFigure.objects.count() == 0


def test_the_beat_schedule_runs_the_report_tasks():
    schedule = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["reports.tasks.refresh_recent"] == dt.timedelta(minutes=15)
    assert schedule["reports.tasks.refresh_weeks_back"] == crontab(hour=2, minute=40)
    assert schedule["reports.tasks.send_weekly_digest"] == crontab(
        hour=7, minute=0, day_of_week="mon"
    )
    for name in schedule:
        if name.startswith("reports."):
            assert import_string(name).name == name  # a registered Celery task of that name
