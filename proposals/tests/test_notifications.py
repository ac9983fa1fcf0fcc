"""Proposal e-mails, each exactly once: the wijkraad on every status change and every
reply of the city; the coordinators and the hub's wijkmanagers on a submission and on
every reply of the wijkraad. Running a notification again sends nothing new."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from accounts.emails import render_templated_email
from proposals import notifications, tasks
from proposals.constants import Decision, ProposalNotification, Status
from proposals.models import Message, Transition
from tests.factories import UserFactory, give_role, make_proposal

NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Posts as ``user`` and runs what the view left for after the commit (the e-mails)."""

    def do_post(user, name, proposal, data):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse(f"proposals:{name}", args=[proposal.pk]), data)
        assert response.status_code == 302
        return response

    return do_post


@pytest.fixture
def everyone(cast, other_hub):
    """The cast plus a wijkraad member of another hub, who must never get anything."""
    other_wijkraad = give_role(UserFactory(email="wijkraad2@example.org"), Role.WIJKRAAD, other_hub)
    return {**cast, "other_wijkraad": other_wijkraad}


def _to(*users) -> list[str]:
    return sorted(u.email for u in users)


def _recipients(outbox=None) -> list[str]:
    return sorted(address for m in (outbox or mail.outbox) for address in m.to)


def _subject(name: str, **context) -> str:
    return render_templated_email(name, context)[0]


def _send_again(kind, object_id) -> None:
    """What a retried task or a second worker would do."""
    tasks.notify(kind, object_id)
    assert notifications.send(kind, object_id) is False


def test_submitting_tells_the_city_and_the_wijkraad(hub, everyone, post):
    wijkraad = everyone["wijkraad"]
    proposal = make_proposal(hub, wijkraad)
    mail.outbox.clear()

    post(wijkraad, "transition", proposal, {"to": Status.SUBMITTED, "expected": Status.CONCEPT})

    step = Transition.objects.get(to_status=Status.SUBMITTED)
    submitted = [
        m
        for m in mail.outbox
        if m.subject == _subject("proposal_submitted", proposal=step.proposal, step=step, url="")
    ]
    assert _recipients(submitted) == _to(everyone["coordinator"], everyone["wijkmanager"])
    status = [m for m in mail.outbox if m not in submitted]
    assert _recipients(status) == _to(wijkraad)
    with translation.override("nl"):
        assert str(Status.SUBMITTED.label) in status[0].subject
    assert proposal.get_absolute_url() in submitted[0].body
    assert 'href="http' in submitted[0].alternatives[0][0]

    _send_again(ProposalNotification.SUBMITTED, step.pk)
    _send_again(ProposalNotification.STATUS, step.pk)
    assert len(mail.outbox) == 3


def test_every_status_change_tells_the_wijkraad_once(hub, everyone, post):
    wijkraad, coordinator = everyone["wijkraad"], everyone["coordinator"]
    colleague = give_role(UserFactory(email="wijkraad-b@example.org"), Role.WIJKRAAD, hub)
    proposal = make_proposal(hub, wijkraad, submit=True)
    mail.outbox.clear()

    post(
        coordinator,
        "transition",
        proposal,
        {"to": Status.IN_CONVERSATION, "expected": Status.SUBMITTED, "note": "Zullen we bellen?"},
    )

    assert _recipients() == _to(wijkraad, colleague)
    assert all("Zullen we bellen?" in m.body for m in mail.outbox)
    step = Transition.objects.get(to_status=Status.IN_CONVERSATION)
    _send_again(ProposalNotification.STATUS, step.pk)
    assert len(mail.outbox) == 2


def test_the_decision_and_the_plan_each_tell_the_wijkraad(hub, everyone, post):
    wijkraad, coordinator = everyone["wijkraad"], everyone["coordinator"]
    proposal = make_proposal(hub, wijkraad, submit=True)
    mail.outbox.clear()

    post(
        coordinator,
        "decide",
        proposal,
        {
            "expected": Status.SUBMITTED,
            "decision": Decision.ACCEPTED,
            "motivation": "Goed onderbouwd door de wijkraad.",
            "start_date": "2026-12-01",
        },
    )

    assert _recipients() == _to(wijkraad, wijkraad)
    decided, planned = sorted(mail.outbox, key=lambda m: "Goed onderbouwd" not in m.body)
    assert "Goed onderbouwd door de wijkraad." in decided.body
    with translation.override("nl"):
        assert str(Decision.ACCEPTED.label) in decided.body
        assert str(Status.PLANNED.label) in planned.subject
    assert "2026" in planned.body
    for step in Transition.objects.filter(to_status__in=[Status.DECIDED, Status.PLANNED]):
        _send_again(ProposalNotification.STATUS, step.pk)
    assert len(mail.outbox) == 2


def test_withdrawing_tells_the_wijkraad_with_the_reason(hub, everyone, post):
    wijkraad = everyone["wijkraad"]
    proposal = make_proposal(hub, wijkraad, submit=True)
    mail.outbox.clear()

    post(
        wijkraad,
        "transition",
        proposal,
        {"to": Status.WITHDRAWN, "expected": Status.SUBMITTED, "note": "Opgelost met de buren."},
    )

    assert _recipients() == _to(wijkraad)
    assert "Opgelost met de buren." in mail.outbox[0].body


def test_replies_go_to_the_other_side_once(hub, everyone, post):
    wijkraad, wijkmanager = everyone["wijkraad"], everyone["wijkmanager"]
    coordinator = everyone["coordinator"]
    proposal = make_proposal(hub, wijkraad, submit=True)
    mail.outbox.clear()

    post(wijkraad, "message", proposal, {"body": "Wanneer hoor ik iets?"})
    assert _recipients() == _to(coordinator, wijkmanager)
    mail.outbox.clear()
    post(wijkmanager, "message", proposal, {"body": "Volgende week."})
    assert _recipients() == _to(wijkraad)
    with translation.override("nl"):
        assert mail.outbox[0].subject == _subject(
            "proposal_message", proposal=proposal, message=Message.objects.last(), url=""
        )

    for message in Message.objects.all():
        _send_again(ProposalNotification.MESSAGE, message.pk)
    assert len(mail.outbox) == 1


def test_internal_notes_are_never_mailed(hub, everyone, post):
    wijkraad, coordinator = everyone["wijkraad"], everyone["coordinator"]
    proposal = make_proposal(hub, wijkraad, submit=True)
    mail.outbox.clear()

    post(coordinator, "message", proposal, {"body": "Intern: geen geld.", "internal": "on"})

    assert mail.outbox == []
    # Even a forged task for the note sends nothing.
    note = Message.objects.get()
    tasks.notify(ProposalNotification.MESSAGE, note.pk)
    assert mail.outbox == []


def test_the_other_hubs_people_get_nothing(hub, everyone, post):
    wijkraad, coordinator = everyone["wijkraad"], everyone["coordinator"]
    proposal = make_proposal(hub, wijkraad)
    post(wijkraad, "transition", proposal, {"to": Status.SUBMITTED, "expected": Status.CONCEPT})
    post(coordinator, "message", proposal, {"body": "Dank voor het voorstel."})
    post(wijkraad, "message", proposal, {"body": "Graag gedaan."})

    for role in ("outsider", "other_wijkraad", "host", "medewerker", "kcc"):
        assert everyone[role].email not in _recipients()


def test_the_emails_are_dutch_and_name_the_hub(hub, everyone, post):
    wijkraad = everyone["wijkraad"]
    proposal = make_proposal(hub, wijkraad, title="Avondopening")
    mail.outbox.clear()

    post(wijkraad, "transition", proposal, {"to": Status.SUBMITTED, "expected": Status.CONCEPT})

    with translation.override("nl"):
        hello = gettext("Hello,")
    for message in mail.outbox:
        assert "Avondopening" in message.subject
        assert message.body.startswith(hello)
        assert hub.name in message.body
        html = message.alternatives[0][0]
        assert '<html lang="nl">' in html
        assert "Avondopening" in html
