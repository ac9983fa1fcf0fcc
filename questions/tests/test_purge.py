"""Residents' details are removed CALLBACK_RETENTION_DAYS after a callback closed; the
anonymous record stays, so the reports count the same."""

import datetime as dt

import pytest
import time_machine
from django.db.models import Count

from questions.constants import CallbackEventKind, CallbackStatus
from questions.models import CallbackAttempt, CallbackEvent, CallbackRequest, Question
from questions.services import (
    callback_claim,
    callback_complete,
    callback_forward,
    callback_log_attempt,
    callbacks_purge,
)
from questions.tasks import purge_callbacks
from tests.factories import TeamFactory, UserFactory, make_callback

pytestmark = pytest.mark.django_db

CLOSED_AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
PURGE_DAY = CLOSED_AT + dt.timedelta(days=31)


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def team(member):
    return TeamFactory(members=[member], max_attempts=2)


def _closed(hub, team, member, *, completed=True, note="belde terug op 06-87654321"):
    callback = make_callback(hub=hub, team=team, email="jan@example.org")
    callback_claim(callback_id=callback.pk, user=member)
    if completed:
        callback_log_attempt(callback_id=callback.pk, user=member, result="reached", note=note)
        callback_complete(callback_id=callback.pk, user=member, result="Uitgelegd")
    else:
        for _ in range(2):
            callback_log_attempt(
                callback_id=callback.pk, user=member, result="not_reached", note=note
            )
    callback.refresh_from_db()
    return callback


def _report(hub):
    """What the reports count: per team, topic and status."""
    return list(
        CallbackRequest.objects.filter(hub=hub)
        .values("team", "question__topic", "status", "due_date", "closed_at")
        .annotate(n=Count("pk"))
        .order_by("team", "status", "due_date")
    )


def test_callbacks_closed_31_days_ago_lose_their_personal_data(hub, team, member):
    with time_machine.travel(CLOSED_AT, tick=False):
        done = _closed(hub, team, member)
        unreachable = _closed(hub, team, member, completed=False)
        debt_team = TeamFactory()
        forwarded = make_callback(hub=hub, team=team)
        callback_forward(
            callback_id=forwarded.pk, user=member, team=debt_team, reason="hoort bij schulden"
        )
    before = _report(hub)
    questions_before = Question.objects.count()

    with time_machine.travel(PURGE_DAY, tick=False):
        assert callbacks_purge() == 2

    for callback in (done, unreachable):
        kept = (
            callback.hub_id,
            callback.team_id,
            callback.question_id,
            callback.status,
            callback.due_date,
            callback.closed_at,
            callback.created_at,
            callback.result,
        )
        callback.refresh_from_db()
        assert (
            callback.resident_name,
            callback.phone,
            callback.email,
            callback.reachable,
            callback.question_text,
        ) == ("", "", "", "", "")
        assert callback.purged_at == PURGE_DAY
        assert (
            callback.hub_id,
            callback.team_id,
            callback.question_id,
            callback.status,
            callback.due_date,
            callback.closed_at,
            callback.created_at,
            callback.result,
        ) == kept
        assert not CallbackAttempt.objects.filter(callback=callback).exclude(note="").exists()
        assert CallbackAttempt.objects.filter(callback=callback).count() >= 1  # counts stay
        assert callback.events.filter(kind=CallbackEventKind.PURGED).count() == 1
    assert done.status == CallbackStatus.COMPLETED
    assert unreachable.status == CallbackStatus.UNREACHABLE
    assert _report(hub) == before
    assert Question.objects.count() == questions_before
    # The open (forwarded) one keeps everything, its forward reason included.
    forwarded.refresh_from_db()
    assert forwarded.resident_name == "Jan Jansen" and forwarded.purged_at is None
    assert CallbackEvent.objects.get(callback=forwarded, kind="forwarded").note


def test_recently_closed_and_open_callbacks_are_untouched(hub, team, member):
    with time_machine.travel(CLOSED_AT, tick=False):
        recent = _closed(hub, team, member)
        still_open = make_callback(hub=hub, team=team)
    # 29 days later: within the retention period.
    with time_machine.travel(CLOSED_AT + dt.timedelta(days=29), tick=False):
        assert callbacks_purge() == 0
    # Far later, the open one still keeps everything.
    with time_machine.travel(CLOSED_AT + dt.timedelta(days=400), tick=False):
        assert callbacks_purge() == 1
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.purged_at is not None
    assert still_open.resident_name == "Jan Jansen"
    assert still_open.phone == "0612345678"
    assert still_open.purged_at is None


def test_the_retention_period_comes_from_the_settings(hub, team, member, settings):
    settings.CALLBACK_RETENTION_DAYS = 7
    with time_machine.travel(CLOSED_AT, tick=False):
        callback = _closed(hub, team, member)
    with time_machine.travel(CLOSED_AT + dt.timedelta(days=8), tick=False):
        assert callbacks_purge() == 1
    callback.refresh_from_db()
    assert callback.is_purged


def test_purging_twice_changes_nothing_more(hub, team, member):
    with time_machine.travel(CLOSED_AT, tick=False):
        callback = _closed(hub, team, member)
    with time_machine.travel(PURGE_DAY, tick=False):
        assert callbacks_purge() == 1
    with time_machine.travel(PURGE_DAY + dt.timedelta(days=1), tick=False):
        assert callbacks_purge() == 0
        purge_callbacks()  # the periodic task, run again
    callback.refresh_from_db()
    assert callback.purged_at == PURGE_DAY
    assert callback.events.filter(kind=CallbackEventKind.PURGED).count() == 1
