"""The reminder machinery: beat only schedules tasks that exist, and the broker works —
the filesystem transport used by `make run` and, in CI, the real Redis."""

import datetime as dt
import os

import pytest
from kombu import Connection, Exchange, Queue

from hubs.models import ClosingDay
from wijkhubs.celery import app


def test_every_beat_entry_names_a_registered_task(settings):
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task"


def test_celery_runs_in_the_city_timezone(settings):
    assert app.conf.timezone == settings.CELERY_TIMEZONE == "Europe/Amsterdam"


def _round_trip(url: str, **transport_options) -> dict:
    exchange = Exchange("wijkhubs-test", type="direct")
    queue = Queue("wijkhubs-test", exchange, routing_key="test")
    with Connection(url, transport_options=transport_options) as conn:
        producer = conn.Producer(serializer="json")
        producer.publish(
            {"hello": "wijkhub"}, exchange=exchange, routing_key="test", declare=[queue]
        )
        simple = conn.SimpleQueue(queue)
        message = simple.get(timeout=5)
        message.ack()
        simple.close()
        return message.payload


def test_filesystem_broker_delivers_a_message(tmp_path):
    folder = tmp_path / "queue"
    folder.mkdir()
    payload = _round_trip(
        "filesystem://",
        data_folder_in=str(folder),
        data_folder_out=str(folder),
        control_folder=str(tmp_path / "control"),
    )
    assert payload == {"hello": "wijkhub"}


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
def test_redis_broker_delivers_a_message():
    assert _round_trip(os.environ["REDIS_URL"]) == {"hello": "wijkhub"}


@pytest.mark.django_db
@pytest.mark.travel(dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC))
def test_refresh_closing_days_task_fills_this_and_next_year():
    from hubs.tasks import refresh_closing_days

    refresh_closing_days.delay()
    assert ClosingDay.objects.filter(date=dt.date(2026, 12, 25), is_closed=True).exists()
    assert ClosingDay.objects.filter(date=dt.date(2027, 4, 27), name="Koningsdag").exists()
