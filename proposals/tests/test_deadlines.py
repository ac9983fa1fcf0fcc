"""The answer deadline: set on submission, shown to the wijkraad (and marked when
overdue), a reminder to the coordinators a week before and an escalation to them and
the hub's wijkmanagers after it — each once, however often the beat task runs."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from proposals import tasks
from proposals.constants import Decision, Status
from proposals.notifications import deadlines_due
from proposals.services import proposal_decide, proposal_transition
from tests.factories import make_proposal

# Wednesday 4 November 2026, 11:00 in Rotterdam: the proposal is submitted, so the
# city answers by Wednesday 2 December (four weeks).
SUBMITTED = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)
DUE = dt.date(2026, 12, 2)

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 8):
    """``day`` at ``hour`` o'clock in Rotterdam (winter time: UTC+1)."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour - 1, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture
def proposal(hub, wijkraad):
    with time_machine.travel(SUBMITTED, tick=False):
        return make_proposal(hub, wijkraad, submit=True)


def _recipients() -> list[str]:
    return sorted(address for m in mail.outbox for address in m.to)


def test_the_answer_is_due_four_weeks_after_submission(proposal):
    assert proposal.answer_due == DUE


def test_the_deadline_follows_the_setting(hub, wijkraad, settings):
    settings.PROPOSAL_ANSWER_WEEKS = 6
    with time_machine.travel(SUBMITTED, tick=False):
        proposal = make_proposal(hub, wijkraad, submit=True)
    assert proposal.answer_due == dt.date(2026, 12, 16)


def test_no_reminder_more_than_a_week_before(proposal, coordinator, wijkmanager):
    mail.outbox.clear()
    with at(DUE - dt.timedelta(days=8)):
        assert deadlines_due() == 0
    assert mail.outbox == []


def test_the_coordinators_are_reminded_a_week_before_once(proposal, coordinator, wijkmanager):
    mail.outbox.clear()

    with at(DUE - dt.timedelta(days=7)):
        assert deadlines_due() == 1
        assert deadlines_due() == 0
        tasks.send_proposal_deadlines()
    with at(DUE - dt.timedelta(days=3)):
        assert deadlines_due() == 0

    # The reminder is for the coordinators; the wijkmanager hears when it is late.
    assert _recipients() == [coordinator.email]
    reminder = mail.outbox[0]
    assert proposal.title in reminder.subject
    assert reverse("proposals:detail", args=[proposal.pk]) in reminder.body
    assert "2 december 2026" in reminder.body


def test_after_the_deadline_the_coordinators_and_wijkmanagers_are_told_once(
    proposal, coordinator, wijkmanager, outsider
):
    with at(DUE - dt.timedelta(days=7)):
        deadlines_due()
    mail.outbox.clear()

    with at(DUE):
        assert deadlines_due() == 0  # due today is not late yet
    with at(DUE + dt.timedelta(days=1)):
        assert deadlines_due() == 1
        assert deadlines_due() == 0
    with at(DUE + dt.timedelta(days=10)):
        tasks.send_proposal_deadlines()

    assert _recipients() == sorted([coordinator.email, wijkmanager.email])
    assert outsider.email not in _recipients()
    assert all(proposal.title in m.subject for m in mail.outbox)


def test_a_late_first_run_still_escalates_once(proposal, coordinator, wijkmanager):
    """Beat was down for the reminder; after the deadline only the escalation goes."""
    mail.outbox.clear()
    with at(DUE + dt.timedelta(days=2)):
        assert deadlines_due() == 1
        assert deadlines_due() == 0
    assert _recipients() == sorted([coordinator.email, wijkmanager.email])


def test_an_answered_proposal_is_not_chased(proposal, coordinator, wijkraad):
    with time_machine.travel(SUBMITTED, tick=False):
        proposal_decide(
            proposal_id=proposal.pk,
            user=coordinator,
            expected=Status.SUBMITTED,
            decision=Decision.REJECTED,
            motivation="Geen budget.",
        )
    mail.outbox.clear()
    with at(DUE + dt.timedelta(days=1)):
        assert deadlines_due() == 0
    assert mail.outbox == []


def test_a_withdrawn_proposal_is_not_chased(proposal, coordinator, wijkraad):
    with time_machine.travel(SUBMITTED, tick=False):
        proposal_transition(
            proposal_id=proposal.pk,
            user=wijkraad,
            to=Status.WITHDRAWN,
            expected=Status.SUBMITTED,
            note="Niet meer nodig.",
        )
    with at(DUE - dt.timedelta(days=7)):
        assert deadlines_due() == 0


def test_the_wijkraad_sees_the_deadline_and_when_it_has_passed(client, proposal, wijkraad):
    with at(DUE):
        client.force_login(wijkraad)
        html = client.get(proposal.get_absolute_url()).content.decode()
    assert "2 december 2026" in html
    assert 'data-overdue="true"' not in html

    with at(DUE + dt.timedelta(days=1)):
        client.force_login(wijkraad)
        html = client.get(proposal.get_absolute_url()).content.decode()
    assert "2 december 2026" in html
    assert 'data-overdue="true"' in html


def test_a_decided_proposal_is_not_marked_overdue(client, proposal, coordinator, wijkraad):
    with at(DUE + dt.timedelta(days=3)):
        proposal_decide(
            proposal_id=proposal.pk,
            user=coordinator,
            expected=Status.SUBMITTED,
            decision=Decision.REJECTED,
            motivation="Te laat, maar toch: nee.",
        )
        client.force_login(wijkraad)
        html = client.get(proposal.get_absolute_url()).content.decode()
    assert 'data-overdue="true"' not in html
