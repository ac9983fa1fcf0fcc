"""proposals:message — the conversation between the wijkraad and the city, and the
city's internal notes, which the wijkraad never sees nor gets e-mailed."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from proposals.constants import Status
from proposals.models import Message
from tests.factories import UserFactory, give_role, make_proposal

NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)
INTERNAL = "Budget is op; niet aan de wijkraad vertellen."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def proposal(hub, wijkraad):
    return make_proposal(hub, wijkraad, submit=True)


def _url(proposal):
    return reverse("proposals:message", args=[proposal.pk])


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _post(client, user, proposal, captured, **data):
    client.force_login(user)
    with captured(execute=True):
        return client.post(_url(proposal), data)


def test_the_wijkraad_replies_and_the_city_is_told(
    client,
    proposal,
    wijkraad,
    wijkmanager,
    coordinator,
    outsider,
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()

    response = _post(
        client,
        wijkraad,
        proposal,
        django_capture_on_commit_callbacks,
        body="  Kunnen we volgende week praten?  ",
    )

    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url() + "#conversation"
    message = Message.objects.get()
    assert (message.author, message.body, message.internal) == (
        wijkraad,
        "Kunnen we volgende week praten?",
        False,
    )
    assert sorted(m.to[0] for m in mail.outbox) == [coordinator.email, wijkmanager.email]
    assert all("Kunnen we volgende week praten?" in m.body for m in mail.outbox)
    assert _messages(response) == [_nl("Your reply is posted; the other side gets an e-mail.")]


def test_a_city_reply_goes_to_the_wijkraad(
    client, proposal, wijkraad, wijkmanager, django_capture_on_commit_callbacks
):
    colleague = give_role(UserFactory(email="wijkraad-b@example.org"), Role.WIJKRAAD, proposal.hub)
    mail.outbox.clear()

    _post(client, wijkmanager, proposal, django_capture_on_commit_callbacks, body="Graag!")

    assert sorted(m.to[0] for m in mail.outbox) == sorted([wijkraad.email, colleague.email])
    assert all(proposal.get_absolute_url() in m.body for m in mail.outbox)


def test_an_internal_note_is_for_the_city_only(
    client, proposal, wijkraad, wijkmanager, coordinator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    response = _post(
        client,
        coordinator,
        proposal,
        django_capture_on_commit_callbacks,
        body=INTERNAL,
        internal="on",
    )

    assert response.status_code == 302
    assert Message.objects.get().internal
    assert _messages(response) == [_nl("The internal note is saved. Only the city sees it.")]
    # Nobody is mailed about an internal note, least of all the wijkraad.
    assert mail.outbox == []
    client.force_login(wijkraad)
    page = client.get(proposal.get_absolute_url())
    assert INTERNAL not in page.content.decode()
    assert page.context["workflow"]["conversation"] == []
    client.force_login(wijkmanager)
    page = client.get(proposal.get_absolute_url())
    html = page.content.decode()
    assert INTERNAL in html
    assert 'data-internal="true"' in html
    assert _nl("Internal note") in html


def test_the_wijkraad_sees_public_replies_but_not_the_notes_between_them(
    client, proposal, wijkraad, wijkmanager, coordinator, django_capture_on_commit_callbacks
):
    _post(client, wijkmanager, proposal, django_capture_on_commit_callbacks, body="Eerste reactie")
    _post(
        client,
        coordinator,
        proposal,
        django_capture_on_commit_callbacks,
        body=INTERNAL,
        internal="on",
    )
    _post(client, wijkraad, proposal, django_capture_on_commit_callbacks, body="Dank u")
    mails_to_wijkraad = [m for m in mail.outbox if wijkraad.email in m.to]

    client.force_login(wijkraad)
    conversation = client.get(proposal.get_absolute_url()).context["workflow"]["conversation"]

    assert [m.body for m in conversation] == ["Eerste reactie", "Dank u"]
    assert not any(
        INTERNAL in m.body or INTERNAL in m.alternatives[0][0] for m in mails_to_wijkraad
    )


def test_the_wijkraad_cannot_write_an_internal_note(
    client, proposal, wijkraad, django_capture_on_commit_callbacks
):
    response = _post(
        client,
        wijkraad,
        proposal,
        django_capture_on_commit_callbacks,
        body="Geheim",
        internal="on",
    )

    assert response.status_code == 403
    assert not Message.objects.exists()


def test_the_wijkraad_gets_no_internal_checkbox(client, proposal, wijkraad, coordinator):
    client.force_login(wijkraad)
    form = client.get(proposal.get_absolute_url()).context["workflow"]["message_form"]
    assert "internal" not in form.fields
    client.force_login(coordinator)
    form = client.get(proposal.get_absolute_url()).context["workflow"]["message_form"]
    assert "internal" in form.fields


def test_an_empty_message_gets_a_message_and_nothing_is_posted(
    client, proposal, wijkraad, django_capture_on_commit_callbacks
):
    response = _post(client, wijkraad, proposal, django_capture_on_commit_callbacks, body="  \n ")

    assert response.status_code == 302
    assert _messages(response) == [_nl("Write a message first.")]
    assert not Message.objects.exists()


def test_a_too_long_message_is_refused_but_kept(
    client, proposal, wijkraad, django_capture_on_commit_callbacks
):
    text = "Heel lang verhaal. " * 300
    _post(client, wijkraad, proposal, django_capture_on_commit_callbacks, body=text)

    page = client.get(proposal.get_absolute_url())

    assert not Message.objects.exists()
    form = page.context["workflow"]["message_form"]
    assert form.data["body"] == text
    assert form.errors["body"]
    # Shown once: a reload shows the empty form again.
    assert client.get(proposal.get_absolute_url()).context["workflow"]["message_form"].data == {}


def test_no_conversation_on_a_draft(client, hub, wijkraad, django_capture_on_commit_callbacks):
    draft = make_proposal(hub, wijkraad)

    response = _post(client, wijkraad, draft, django_capture_on_commit_callbacks, body="Hallo")

    assert response.status_code == 403
    assert client.get(draft.get_absolute_url()).context["workflow"]["message_form"] is None


@pytest.mark.parametrize("role", ["outsider", "host", "medewerker", "kcc"])
def test_people_who_cannot_see_the_proposal_get_404(
    client, proposal, cast, role, django_capture_on_commit_callbacks
):
    response = _post(client, cast[role], proposal, django_capture_on_commit_callbacks, body="Hoi")

    assert response.status_code == 404
    assert not Message.objects.exists()


def test_the_conversation_goes_on_after_the_decision_is_published(
    client, proposal, wijkraad, coordinator, django_capture_on_commit_callbacks
):
    from proposals.constants import Decision
    from proposals.services import proposal_decide

    proposal_decide(
        proposal_id=proposal.pk,
        user=coordinator,
        expected=Status.SUBMITTED,
        decision=Decision.REJECTED,
        motivation="Geen budget.",
    )

    response = _post(client, wijkraad, proposal, django_capture_on_commit_callbacks, body="Jammer")

    assert response.status_code == 302
    assert Message.objects.filter(body="Jammer").exists()


def test_the_page_keeps_its_query_count_as_the_conversation_grows(
    client, proposal, wijkraad, wijkmanager
):
    """The workflow part adds a fixed number of queries (the transitions, the answers
    and the messages, each with its author), whatever the length of the conversation.
    The page's total belongs to the detail page's own query-count test; here the
    count at 1 and at 12 messages must be the same."""
    client.force_login(wijkmanager)
    counts = []
    for size in (1, 12):
        Message.objects.all().delete()
        Message.objects.bulk_create(
            Message(
                proposal=proposal,
                author=wijkraad if n % 2 else wijkmanager,
                body=f"bericht {n}",
                internal=n % 3 == 0,
            )
            for n in range(size)
        )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(proposal.get_absolute_url())
        assert len(page.context["workflow"]["conversation"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
