"""Status changes through proposals:transition, for every role, and the actions page.

The table: each hand-made status change (and a few forged ones) from each status,
posted by each member of the cast. Someone who may not see the proposal gets a
404; someone who sees it but may not make this change gets a 403; the rest get
the change, recorded as one Transition.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from proposals.constants import Decision, Status
from proposals.models import Proposal, Transition
from proposals.services import proposal_decide, proposal_transition
from tests.factories import UserFactory, give_role, make_proposal

# Wednesday 4 November 2026, 11:00 in Rotterdam.
NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db

ROLES = [
    "wijkraad",
    "other_wijkraad",
    "wijkmanager",
    "outsider",
    "coordinator",
    "host",
    "medewerker",
]
CITY = {"wijkmanager", "coordinator"}

# Who may make which change by hand (proposals/rules.py allowed_transitions).
ALLOWED = {
    (Status.CONCEPT, Status.SUBMITTED): {"wijkraad"},
    (Status.CONCEPT, Status.WITHDRAWN): {"wijkraad"},
    (Status.SUBMITTED, Status.IN_CONVERSATION): CITY,
    (Status.SUBMITTED, Status.WITHDRAWN): {"wijkraad"},
    (Status.IN_CONVERSATION, Status.WITHDRAWN): {"wijkraad"},
}
FROM = [Status.CONCEPT, Status.SUBMITTED, Status.IN_CONVERSATION, Status.DECIDED, Status.WITHDRAWN]
# Deciding and "in force" are not hand-made transitions: posting them is always refused.
TO = [Status.SUBMITTED, Status.IN_CONVERSATION, Status.WITHDRAWN, Status.DECIDED, Status.IN_FORCE]


def _visible_to(status) -> set[str]:
    if status == Status.CONCEPT:
        return {"wijkraad"}
    return {"wijkraad", *CITY}


def _expected(from_status, to, role) -> str:
    if role not in _visible_to(from_status):
        return "404"
    if role in ALLOWED.get((from_status, to), set()):
        return "ok"
    return "403"


CASES = [
    pytest.param(f, t, r, _expected(f, t, r), id=f"{f}->{t}-{r}")
    for f in FROM
    for t in TO
    for r in ROLES
]


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def other_wijkraad(other_hub):
    return give_role(UserFactory(email="wijkraad2@example.org"), Role.WIJKRAAD, other_hub)


@pytest.fixture
def people(cast, other_wijkraad):
    return {**cast, "other_wijkraad": other_wijkraad}


def proposal_in(status, hub, wijkraad, coordinator) -> Proposal:
    """A proposal of ``hub`` brought to ``status`` through the services."""
    proposal = make_proposal(hub, wijkraad, submit=status != Status.CONCEPT)
    if status in (Status.IN_CONVERSATION, Status.DECIDED):
        proposal_transition(
            proposal_id=proposal.pk,
            user=coordinator,
            to=Status.IN_CONVERSATION,
            expected=Status.SUBMITTED,
        )
    if status == Status.DECIDED:
        proposal_decide(
            proposal_id=proposal.pk,
            user=coordinator,
            expected=Status.IN_CONVERSATION,
            decision=Decision.REJECTED,
            motivation="Past niet in de begroting.",
        )
    if status == Status.WITHDRAWN:
        proposal_transition(
            proposal_id=proposal.pk,
            user=wijkraad,
            to=Status.WITHDRAWN,
            expected=Status.SUBMITTED,
            note="Niet meer nodig.",
        )
    proposal.refresh_from_db()
    assert proposal.status == status
    return proposal


def _url(proposal, name="transition"):
    return reverse(f"proposals:{name}", args=[proposal.pk])


def _nl(message: str, **values) -> str:
    with translation.override("nl"):
        text = gettext(message)
        return text % {k: str(v) for k, v in values.items()} if values else text


def _stale(status) -> str:
    with translation.override("nl"):
        return gettext(
            "This proposal is already “%(status)s”: the page you used was out of date."
        ) % {"status": Status(status).label}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(("from_status", "to", "role", "expected"), CASES)
def test_who_may_make_which_change(client, hub, people, from_status, to, role, expected):
    proposal = proposal_in(from_status, hub, people["wijkraad"], people["coordinator"])
    steps = Transition.objects.filter(proposal=proposal).count()
    client.force_login(people[role])

    response = client.post(
        _url(proposal), {"to": to, "expected": from_status, "note": "Het is tijd."}
    )

    proposal.refresh_from_db()
    if expected == "ok":
        assert response.status_code == 302
        assert response["Location"] == proposal.get_absolute_url()
        assert proposal.status == to
        step = Transition.objects.filter(proposal=proposal).last()
        assert (step.from_status, step.to_status, step.by) == (from_status, to, people[role])
    else:
        assert response.status_code == int(expected)
        assert proposal.status == from_status
        assert Transition.objects.filter(proposal=proposal).count() == steps


def test_submitting_sets_the_answer_deadline_and_says_so(client, hub, wijkraad, settings):
    settings.PROPOSAL_ANSWER_WEEKS = 3
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)

    response = client.post(_url(proposal), {"to": Status.SUBMITTED, "expected": Status.CONCEPT})

    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert proposal.submitted_at == NOW
    assert proposal.answer_due == dt.date(2026, 11, 25)
    message = _nl(
        "The proposal is submitted. The city answers by %(date)s; you get an e-mail at every step."
    )
    assert _messages(response) == [message % {"date": "25-11-2026"}]


def test_a_transition_posted_twice_changes_once_and_says_the_page_was_stale(client, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    data = {"to": Status.SUBMITTED, "expected": Status.CONCEPT}

    client.post(_url(proposal), data)
    response = client.post(_url(proposal), data)

    assert response.status_code == 302
    assert _messages(response)[-1] == _stale(Status.SUBMITTED)
    assert Transition.objects.filter(proposal=proposal, to_status=Status.SUBMITTED).count() == 1


def test_the_city_starting_the_conversation_twice_is_stale_not_forbidden(
    client, hub, wijkraad, wijkmanager, coordinator
):
    proposal = make_proposal(hub, wijkraad, submit=True)
    data = {"to": Status.IN_CONVERSATION, "expected": Status.SUBMITTED}
    client.force_login(wijkmanager)
    client.post(_url(proposal), data)
    client.force_login(coordinator)

    response = client.post(_url(proposal), data)

    assert response.status_code == 302
    assert _messages(response)[-1] == _stale(Status.IN_CONVERSATION)
    assert Transition.objects.filter(to_status=Status.IN_CONVERSATION).count() == 1


def test_withdrawing_needs_a_reason(client, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(wijkraad)

    response = client.post(
        _url(proposal), {"to": Status.WITHDRAWN, "expected": Status.SUBMITTED, "note": "   "}
    )

    assert response.status_code == 302
    assert _messages(response) == [_nl("Say why the proposal is withdrawn.")]
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED


def test_the_reason_for_withdrawing_is_kept(client, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(wijkraad)

    client.post(
        _url(proposal),
        {"to": Status.WITHDRAWN, "expected": Status.SUBMITTED, "note": "  De wijk is verhuisd. "},
    )

    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert proposal.withdrawn_reason == "De wijk is verhuisd."
    assert proposal.transitions.last().note == "De wijk is verhuisd."


def test_a_too_long_reason_is_refused_and_kept_on_the_page(client, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(wijkraad)
    reason = "lang " * 70

    response = client.post(
        _url(proposal),
        {"to": Status.WITHDRAWN, "expected": Status.SUBMITTED, "note": reason},
        follow=True,
    )

    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    form = next(
        a["form"]
        for a in response.context["workflow"]["actions"]
        if a["target"] == Status.WITHDRAWN
    )
    assert form.data["note"] == reason
    assert "note" in form.errors


@pytest.mark.parametrize(
    "data",
    [{}, {"to": "bogus", "expected": Status.CONCEPT}, {"to": Status.SUBMITTED, "expected": "x"}],
)
def test_a_forged_form_gets_a_message(client, hub, wijkraad, data):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)

    response = client.post(_url(proposal), data)

    assert response.status_code == 302
    assert _messages(response) == [_nl("The form was incomplete. Please try again.")]
    proposal.refresh_from_db()
    assert proposal.status == Status.CONCEPT


def test_submitting_a_proposal_whose_start_has_passed_gets_a_message(client, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad, desired_start=dt.date(2026, 11, 20))

    with time_machine.travel(dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC), tick=False):
        client.force_login(wijkraad)
        response = client.post(_url(proposal), {"to": Status.SUBMITTED, "expected": Status.CONCEPT})

    assert response.status_code == 302
    assert _messages(response) == [_nl("The start date must be in the future.")]
    proposal.refresh_from_db()
    assert proposal.status == Status.CONCEPT
    assert not proposal.transitions.filter(to_status=Status.SUBMITTED).exists()


@pytest.mark.parametrize("name", ["transition", "message", "answer_draft", "decide", "publication"])
def test_workflow_urls_answer_only_post(client, hub, wijkraad, coordinator, name):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(coordinator)

    assert client.get(_url(proposal, name)).status_code == 405


@pytest.mark.parametrize("name", ["transition", "message", "answer_draft", "decide", "publication"])
def test_a_forged_proposal_id_is_404(client, wijkraad, name):
    client.force_login(wijkraad)

    for pk in (999999, 2**70):
        response = client.post(
            reverse(f"proposals:{name}", args=[pk]),
            {"to": Status.SUBMITTED, "expected": Status.CONCEPT, "body": "Hallo"},
        )
        assert response.status_code == 404


@pytest.mark.parametrize("name", ["transition", "message", "answer_draft", "decide", "publication"])
@pytest.mark.parametrize("status", [Status.CONCEPT, Status.SUBMITTED, Status.DECIDED])
def test_a_wijkraad_member_of_another_wijk_gets_404_everywhere(
    client, hub, wijkraad, coordinator, other_wijkraad, name, status
):
    proposal = proposal_in(status, hub, wijkraad, coordinator)
    client.force_login(other_wijkraad)

    response = client.post(
        _url(proposal, name),
        {
            "to": Status.WITHDRAWN,
            "expected": status,
            "note": "Weg ermee",
            "body": "Hallo",
            "decision": Decision.REJECTED,
            "motivation": "Nee",
            "public": "0",
        },
    )

    assert response.status_code == 404
    assert client.get(proposal.get_absolute_url()).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad, submit=True)

    response = client.post(_url(proposal), {"to": Status.WITHDRAWN, "expected": Status.SUBMITTED})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- what the page offers -----------------------------------------------------------------------


def _targets(response) -> list[str]:
    return [a["target"] for a in response.context["workflow"]["actions"]]


def test_the_wijkraad_sees_submit_and_withdraw_on_its_draft(client, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)

    response = client.get(proposal.get_absolute_url())

    assert _targets(response) == [Status.SUBMITTED, Status.WITHDRAWN]
    html = response.content.decode()
    assert html.count(f'action="{_url(proposal)}"') == 2
    assert f'name="expected" value="{Status.CONCEPT}"' in html
    assert _nl("Submit to the city") in html


def test_the_city_sees_start_the_conversation_and_the_wijkraad_withdraw(
    client, hub, wijkraad, wijkmanager
):
    proposal = make_proposal(hub, wijkraad, submit=True)

    client.force_login(wijkmanager)
    assert _targets(client.get(proposal.get_absolute_url())) == [Status.IN_CONVERSATION]
    client.force_login(wijkraad)
    assert _targets(client.get(proposal.get_absolute_url())) == [Status.WITHDRAWN]


def test_the_timeline_shows_every_step_with_who_and_when(client, hub, wijkraad, coordinator):
    proposal = proposal_in(Status.IN_CONVERSATION, hub, wijkraad, coordinator)
    client.force_login(wijkraad)

    response = client.get(proposal.get_absolute_url())

    steps = [e["transition"] for e in response.context["workflow"]["timeline"] if "transition" in e]
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("", Status.CONCEPT),
        (Status.CONCEPT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.IN_CONVERSATION),
    ]
    assert [s.by for s in steps] == [wijkraad, wijkraad, coordinator]
    html = response.content.decode()
    assert 'id="timeline"' in html
    assert str(coordinator) in html
