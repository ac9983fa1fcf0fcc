"""Callback e-mails go exactly once, and never carry a resident's data in the subject
(nor, for the team digest and the escalation, in the body)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from accounts.constants import Role
from questions import notifications
from questions.services import callback_claim, callback_complete, callback_log_attempt
from questions.tasks import send_callback_escalations, send_team_digests
from tests.factories import TeamFactory, UserFactory, give_role, make_callback

pytestmark = pytest.mark.django_db

MADE = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)  # Monday 30 November: due Wednesday 2
PERSONAL = ("Jan Jansen", "0612345678", "jan@example.org", "huurtoeslag", "na 15:00")


def _assert_no_personal_data(message, *, body_too=True):
    for value in PERSONAL:
        assert value not in message.subject
        if body_too:
            assert value not in message.body
            assert value not in message.alternatives[0][0]


@pytest.fixture
def members():
    return [UserFactory(email="a@example.org"), UserFactory(email="b@example.org")]


@pytest.fixture
def team(members):
    return TeamFactory(name="Team Wonen", members=members)


@pytest.fixture
def callbacks(hub, host, team):
    with time_machine.travel(MADE, tick=False):
        return [
            make_callback(hub=hub, team=team, user=host, email="jan@example.org") for _ in range(2)
        ]


def test_the_team_digest_goes_once_a_day_to_each_member(callbacks, members):
    with time_machine.travel(dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC), tick=False):
        assert notifications.team_digests_due() == 1
        send_team_digests()  # the same day again: nothing more
        assert notifications.team_digests_due() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    message = mail.outbox[0]
    for callback in callbacks:
        assert callback.reference in message.body
        assert callback.reference in message.alternatives[0][0]
    _assert_no_personal_data(message)
    # The next day: a new digest.
    with time_machine.travel(dt.datetime(2026, 12, 4, 6, 0, tzinfo=dt.UTC), tick=False):
        assert notifications.team_digests_due() == 1
    assert len(mail.outbox) == 4


def test_no_digest_for_a_team_without_open_callbacks(members, team):
    assert notifications.team_digests_due() == 0
    assert mail.outbox == []


def test_the_escalation_goes_once_to_the_hubs_wijkmanagers(callbacks, wijkmanager, outsider):
    second_manager = give_role(
        UserFactory(email="wm2@example.org"), Role.WIJKMANAGER, callbacks[0].hub
    )
    # Due Wednesday 2 December; one working day later (Thursday 3) it is escalated.
    with time_machine.travel(dt.datetime(2026, 12, 2, 17, 0, tzinfo=dt.UTC), tick=False):
        assert notifications.escalations_due() == 0  # the due day itself
    with time_machine.travel(dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC), tick=False):
        assert notifications.escalations_due() == 2
        send_callback_escalations()
        assert notifications.escalations_due() == 0
    with time_machine.travel(dt.datetime(2026, 12, 4, 7, 0, tzinfo=dt.UTC), tick=False):
        assert notifications.escalations_due() == 0  # still open a day later: not again
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [wijkmanager.email, second_manager.email] * 2
    )
    for message in mail.outbox:
        _assert_no_personal_data(message)
    for callback in callbacks:  # one mail per wijkmanager per callback
        assert sum(callback.reference in m.subject for m in mail.outbox) == 2


def test_the_host_notice_names_the_reference_not_the_resident(
    callbacks, members, host, django_capture_on_commit_callbacks
):
    callback = callbacks[0]
    callback_claim(callback_id=callback.pk, user=members[0])
    with django_capture_on_commit_callbacks(execute=True):
        callback_complete(callback_id=callback.pk, user=members[0], result="Uitgelegd")
    assert notifications.callback_closed(callback.pk) is False  # already sent
    [message] = mail.outbox
    assert message.to == [host.email]
    assert callback.reference in message.subject
    assert "Uitgelegd" in message.body
    _assert_no_personal_data(message)


def test_the_unreachable_notice_is_sent_once(
    callbacks, members, host, django_capture_on_commit_callbacks
):
    callback = callbacks[1]
    callback_claim(callback_id=callback.pk, user=members[0])
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            callback_log_attempt(callback_id=callback.pk, user=members[0], result="not_reached")
    assert notifications.callback_closed(callback.pk) is False
    [message] = mail.outbox
    assert callback.reference in message.subject
    _assert_no_personal_data(message)


def test_no_notice_for_an_open_callback(callbacks):
    assert notifications.callback_closed(callbacks[0].pk) is False
    assert mail.outbox == []
