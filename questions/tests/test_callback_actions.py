"""Handling a callback request: claim, release, attempts, complete, forward, reopen.

Every action is a POST that goes through questions/services.py and redirects; a
refusal becomes a message, a replay or a forged reference never ends in a 500.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from questions.constants import CallbackEventKind, CallbackStatus
from questions.models import CallbackAttempt
from tests.factories import TeamFactory, UserFactory, give_role, make_callback

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # Tuesday 1 December, 10:00


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _messages(response) -> list[str]:
    """The message this response added (earlier ones, never displayed, come first)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def member():
    return give_role(UserFactory(first_name="Lotte", last_name="Visser"), Role.MEDEWERKER)


@pytest.fixture
def colleague():
    return give_role(UserFactory(first_name="Karim", last_name="Bouali"), Role.MEDEWERKER)


@pytest.fixture
def team(member, colleague):
    return TeamFactory(name="Team Wonen", members=[member, colleague], max_attempts=3)


@pytest.fixture
def other_team():
    return TeamFactory(name="Team Schulden", due_working_days=5)


@pytest.fixture
def callback(hub, team, host):
    return make_callback(hub=hub, team=team, user=host)


def _post(client, name, callback, data=None):
    return client.post(reverse(f"questions:{name}", args=[callback.reference]), data or {})


def _refresh(callback):
    callback.refresh_from_db()
    return callback


# --- claim and release -----------------------------------------------------------------------


def test_a_member_claims_and_releases(client, callback, member):
    client.force_login(member)
    response = _post(client, "callback_claim", callback)
    assert response.status_code == 302
    assert response.url == callback.get_absolute_url()
    assert _refresh(callback).claimed_by == member
    assert callback.status == CallbackStatus.CLAIMED
    response = _post(client, "callback_release", callback)
    assert response.status_code == 302
    assert _refresh(callback).claimed_by is None
    assert callback.status == CallbackStatus.OPEN
    kinds = list(callback.events.values_list("kind", flat=True))
    assert kinds == [
        CallbackEventKind.CREATED,
        CallbackEventKind.CLAIMED,
        CallbackEventKind.RELEASED,
    ]


def test_claiming_twice_is_harmless(client, callback, member):
    client.force_login(member)
    _post(client, "callback_claim", callback)
    response = _post(client, "callback_claim", callback)
    assert response.status_code == 302
    assert _refresh(callback).claimed_by == member
    assert callback.events.filter(kind=CallbackEventKind.CLAIMED).count() == 1


def test_a_colleague_is_told_who_has_it(client, callback, member, colleague):
    client.force_login(member)
    _post(client, "callback_claim", callback)
    client.force_login(colleague)
    response = _post(client, "callback_claim", callback)
    assert response.status_code == 302
    expected = _nl("%(name)s has already claimed this.") % {"name": member}
    assert _messages(response) == [expected]
    assert "Lotte Visser" in expected
    assert _refresh(callback).claimed_by == member
    page = client.get(callback.get_absolute_url())
    assert page.context["taken_by_other"]
    assert "Lotte Visser" in page.content.decode()


@pytest.mark.parametrize("who", ["host", "wijkmanager", "coordinator"])
def test_those_who_see_it_but_are_not_in_the_team_cannot_act_on_it(client, request, callback, who):
    client.force_login(request.getfixturevalue(who))
    for name in (
        "callback_claim",
        "callback_release",
        "callback_attempt",
        "callback_complete",
        "callback_forward",
    ):
        assert _post(client, name, callback).status_code == 403, name
    assert _refresh(callback).claimed_by is None
    assert callback.status == CallbackStatus.OPEN


def test_a_member_removed_from_the_team_is_refused_by_the_service(client, callback, member, team):
    from questions.services import CallbackError, callback_claim

    team.members.remove(member)
    with pytest.raises(CallbackError) as refused:
        callback_claim(callback_id=callback.pk, user=member)
    assert refused.value.code == "forbidden"
    assert refused.value.message == _nl("Only members of team %(team)s can do this.") % {
        "team": "Team Wonen"
    }


@pytest.mark.parametrize("who", ["outsider", "medewerker"])
def test_outsiders_get_404_on_every_action(client, request, callback, who):
    client.force_login(request.getfixturevalue(who))
    for name in (
        "callback_claim",
        "callback_release",
        "callback_attempt",
        "callback_complete",
        "callback_forward",
        "callback_reopen",
    ):
        assert _post(client, name, callback).status_code == 404, name
    assert _refresh(callback).claimed_by is None


def test_a_member_of_another_team_gets_404(client, callback, other_team):
    stranger = give_role(UserFactory(), Role.MEDEWERKER)
    other_team.members.add(stranger)
    client.force_login(stranger)
    assert _post(client, "callback_claim", callback).status_code == 404


def test_forged_references_are_404_on_every_action(client, member):
    client.force_login(member)
    for name in (
        "callback_claim",
        "callback_release",
        "callback_attempt",
        "callback_complete",
        "callback_forward",
        "callback_reopen",
    ):
        response = client.post(reverse(f"questions:{name}", args=["TB-NOPE-00"]))
        assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "callback_claim",
        "callback_release",
        "callback_attempt",
        "callback_complete",
        "callback_forward",
        "callback_reopen",
    ],
)
def test_actions_refuse_get(client, callback, member, name):
    client.force_login(member)
    assert client.get(reverse(f"questions:{name}", args=[callback.reference])).status_code == 405


def test_releasing_what_you_do_not_hold_is_a_message(client, callback, member):
    client.force_login(member)
    response = _post(client, "callback_release", callback)
    assert response.status_code == 302
    assert _messages(response) == [_nl("Claim this callback request first.")]


# --- attempts and completing --------------------------------------------------------------------


def test_three_failed_attempts_make_it_unreachable_and_tell_the_host_once(
    client, callback, member, host, django_capture_on_commit_callbacks
):
    client.force_login(member)
    _post(client, "callback_claim", callback)
    for result in ("not_reached", "voicemail", "not_reached"):
        with django_capture_on_commit_callbacks(execute=True):
            response = _post(
                client,
                "callback_attempt",
                callback,
                {"attempt-result": result, "attempt-note": "geen gehoor"},
            )
        assert response.status_code == 302
    assert _refresh(callback).status == CallbackStatus.UNREACHABLE
    assert callback.failed_attempts == 3
    assert callback.closed_at == NOW
    assert CallbackAttempt.objects.filter(callback=callback).count() == 3
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [host.email]
    assert callback.reference in message.subject
    assert "Jan Jansen" not in message.subject + message.body
    assert "0612345678" not in message.subject + message.body
    # A fourth attempt on the closed callback is refused with a message, and no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "callback_attempt", callback, {"attempt-result": "not_reached"})
    assert response.status_code == 302
    assert _messages(response) == [_nl("This callback request is closed; reopen it first.")]
    assert len(mail.outbox) == 1


def test_reached_and_completed_tells_the_host_once(
    client, callback, member, host, django_capture_on_commit_callbacks
):
    client.force_login(member)
    _post(client, "callback_claim", callback)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, "callback_attempt", callback, {"attempt-result": "reached"})
    assert _refresh(callback).failed_attempts == 0
    assert callback.first_attempt_at == NOW
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            "callback_complete",
            callback,
            {"complete-result": "Huurtoeslag opnieuw aangevraagd"},
        )
    assert response.status_code == 302
    assert _refresh(callback).status == CallbackStatus.COMPLETED
    assert callback.result == "Huurtoeslag opnieuw aangevraagd"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [host.email]
    assert callback.reference in mail.outbox[0].subject
    assert "Huurtoeslag opnieuw aangevraagd" in mail.outbox[0].body
    # A replayed "complete" is a message, not a second mail.
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "callback_complete", callback, {"complete-result": "nogmaals"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert _refresh(callback).result == "Huurtoeslag opnieuw aangevraagd"


def test_completing_needs_an_outcome(client, callback, member):
    client.force_login(member)
    _post(client, "callback_claim", callback)
    response = _post(client, "callback_complete", callback, {"complete-result": "  "})
    assert response.status_code == 400
    assert "result" in response.context["complete_form"].errors
    assert _refresh(callback).status == CallbackStatus.CLAIMED


def test_a_forged_attempt_result_is_a_form_error(client, callback, member):
    client.force_login(member)
    _post(client, "callback_claim", callback)
    response = _post(client, "callback_attempt", callback, {"attempt-result": "gehackt"})
    assert response.status_code == 400
    assert "result" in response.context["attempt_form"].errors
    assert not CallbackAttempt.objects.exists()


def test_an_attempt_without_claiming_is_a_message(client, callback, member):
    client.force_login(member)
    response = _post(client, "callback_attempt", callback, {"attempt-result": "reached"})
    assert response.status_code == 302
    assert _messages(response) == [_nl("Claim this callback request first.")]
    assert not CallbackAttempt.objects.exists()


# --- forward and reopen --------------------------------------------------------------------------


def test_forwarding_needs_a_team_and_a_reason(client, callback, member, other_team):
    client.force_login(member)
    response = _post(client, "callback_forward", callback, {"forward-team": other_team.pk})
    assert response.status_code == 400
    assert "reason" in response.context["forward_form"].errors
    response = _post(client, "callback_forward", callback, {"forward-reason": "schulden"})
    assert response.status_code == 400
    assert "team" in response.context["forward_form"].errors
    for forged in ("999999", "abc", str(callback.team_id)):
        response = _post(
            client, "callback_forward", callback, {"forward-team": forged, "forward-reason": "x"}
        )
        assert response.status_code == 400
    assert _refresh(callback).team.name == "Team Wonen"


def test_forwarding_moves_it_to_the_other_teams_queue(client, callback, member, other_team):
    client.force_login(member)
    _post(client, "callback_claim", callback)
    response = _post(
        client,
        "callback_forward",
        callback,
        {"forward-team": other_team.pk, "forward-reason": "Het gaat om schulden"},
    )
    # The member cannot see it any more: back to their own team's queue.
    assert response.status_code == 302
    assert response.url == reverse("questions:team_queue", args=[callback.team_id])
    assert _refresh(callback).team == other_team
    assert callback.status == CallbackStatus.OPEN
    assert callback.claimed_by is None
    assert callback.due_date == dt.date(2026, 12, 8)  # Team Schulden: 5 working days
    event = callback.events.get(kind=CallbackEventKind.FORWARDED)
    assert event.note == "Het gaat om schulden"
    assert client.get(callback.get_absolute_url()).status_code == 404


def test_the_host_reopens_a_closed_callback(client, callback, member, host):
    client.force_login(member)
    _post(client, "callback_claim", callback)
    _post(client, "callback_complete", callback, {"complete-result": "Uitgelegd"})
    client.force_login(host)
    response = _post(client, "callback_reopen", callback, {"reopen-reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["reopen_form"].errors
    response = _post(
        client, "callback_reopen", callback, {"reopen-reason": "Bewoner kwam terug: nog een vraag"}
    )
    assert response.status_code == 302
    assert _refresh(callback).status == CallbackStatus.OPEN
    assert callback.closed_at is None
    # A replayed reopen is a message.
    response = _post(client, "callback_reopen", callback, {"reopen-reason": "nogmaals"})
    assert _messages(response) == [_nl("This callback request is still open.")]
    assert callback.events.filter(kind=CallbackEventKind.REOPENED).count() == 1


def test_a_coordinator_without_a_role_cannot_reopen(client, callback, member, coordinator):
    client.force_login(member)
    _post(client, "callback_claim", callback)
    _post(client, "callback_complete", callback, {"complete-result": "Uitgelegd"})
    client.force_login(coordinator)
    response = _post(client, "callback_reopen", callback, {"reopen-reason": "Waarom niet"})
    assert response.status_code == 403
    assert _refresh(callback).status == CallbackStatus.COMPLETED


def test_the_detail_page_offers_the_actions_that_fit(client, callback, member, colleague, host):
    client.force_login(member)
    page = client.get(callback.get_absolute_url())
    assert page.context["can_claim"] and "forward_form" in page.context
    assert "attempt_form" not in page.context
    _post(client, "callback_claim", callback)
    page = client.get(callback.get_absolute_url())
    assert "attempt_form" in page.context and "complete_form" in page.context
    client.force_login(colleague)
    page = client.get(callback.get_absolute_url())
    assert not page.context["can_claim"] and "attempt_form" not in page.context
    client.force_login(host)
    page = client.get(callback.get_absolute_url())
    assert not page.context["can_claim"] and "forward_form" not in page.context
