"""Transparency: decided proposals and the city's published answer on the hub's public
page, unless the coordinator switched them off (proposals:publication)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from proposals.constants import Decision, Status
from proposals.services import answer_save_draft, proposal_decide, proposal_transition
from tests.factories import make_proposal

NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def decided(hub, wijkraad, coordinator, *, title, decision=Decision.REJECTED, motivation=None):
    proposal = make_proposal(hub, wijkraad, submit=True, title=title)
    return proposal_decide(
        proposal_id=proposal.pk,
        user=coordinator,
        expected=Status.SUBMITTED,
        decision=decision,
        motivation=motivation or f"Antwoord op {title}.",
        start_date=dt.date(2026, 12, 1) if decision != Decision.REJECTED else None,
    )


def _public(client, hub) -> str:
    client.logout()
    response = client.get(hub.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def test_decided_proposals_show_with_the_citys_answer(client, hub, wijkraad, coordinator):
    decided(hub, wijkraad, coordinator, title="Avondopening", motivation="Te weinig bezoekers.")
    decided(
        hub,
        wijkraad,
        coordinator,
        title="Zaterdagochtend",
        decision=Decision.ACCEPTED,
        motivation="Goed idee van de wijkraad.",
    )

    html = _public(client, hub)

    assert 'id="proposals-heading"' in html
    assert "Avondopening" in html and "Te weinig bezoekers." in html
    assert "Zaterdagochtend" in html and "Goed idee van de wijkraad." in html
    with translation.override("nl"):
        assert str(Decision.REJECTED.label) in html
        assert str(Decision.ACCEPTED.label) in html
    assert "dinsdag 1 december 2026" in html  # the accepted one's start date
    assert "4 november 2026" in html  # decided on


def test_proposals_that_are_not_decided_are_not_shown(client, hub, wijkraad, coordinator):
    make_proposal(hub, wijkraad, title="Nog een concept")
    make_proposal(hub, wijkraad, submit=True, title="Net ingediend")
    talking = make_proposal(hub, wijkraad, submit=True, title="In gesprek")
    proposal_transition(
        proposal_id=talking.pk,
        user=coordinator,
        to=Status.IN_CONVERSATION,
        expected=Status.SUBMITTED,
    )
    gone = make_proposal(hub, wijkraad, submit=True, title="Ingetrokken idee")
    proposal_transition(
        proposal_id=gone.pk,
        user=wijkraad,
        to=Status.WITHDRAWN,
        expected=Status.SUBMITTED,
        note="Weg",
    )

    html = _public(client, hub)

    for title in ("Nog een concept", "Net ingediend", "In gesprek", "Ingetrokken idee"):
        assert title not in html
    assert 'id="proposals-heading"' not in html


def test_only_the_published_answer_is_shown_not_a_draft(
    client, hub, wijkraad, wijkmanager, coordinator
):
    proposal = make_proposal(hub, wijkraad, submit=True, title="Middagopening")
    answer_save_draft(
        proposal_id=proposal.pk,
        user=wijkmanager,
        decision=Decision.REJECTED,
        motivation="Interne eerste versie.",
        start_date=None,
    )
    html = _public(client, hub)
    assert "Middagopening" not in html

    proposal_decide(
        proposal_id=proposal.pk,
        user=coordinator,
        expected=Status.SUBMITTED,
        decision=Decision.REJECTED,
        motivation="Het definitieve antwoord.",
    )
    html = _public(client, hub)
    assert "Het definitieve antwoord." in html
    assert "Interne eerste versie." not in html


def test_another_hubs_proposals_stay_on_their_own_page(
    client, hub, other_hub, wijkraad, coordinator
):
    decided(hub, wijkraad, coordinator, title="Alleen voor Feijenoord")

    assert "Alleen voor Feijenoord" not in _public(client, other_hub)


def test_the_coordinator_can_switch_a_proposal_off_and_on(client, hub, wijkraad, coordinator):
    proposal = decided(hub, wijkraad, coordinator, title="Gevoelig voorstel")
    url = reverse("proposals:publication", args=[proposal.pk])
    client.force_login(coordinator)

    response = client.post(url, {"public": "0"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        _nl("This proposal is no longer shown on the public hub page.")
    ]
    proposal.refresh_from_db()
    assert not proposal.publish_on_hub_page
    assert "Gevoelig voorstel" not in _public(client, hub)

    client.force_login(coordinator)
    page = client.get(proposal.get_absolute_url())
    assert 'data-public="false"' in page.content.decode()
    client.post(url, {"public": "1"})
    assert "Gevoelig voorstel" in _public(client, hub)


def test_the_switch_can_be_set_before_the_decision(client, hub, wijkraad, coordinator):
    proposal = make_proposal(hub, wijkraad, submit=True, title="Stil houden")
    client.force_login(coordinator)
    client.post(reverse("proposals:publication", args=[proposal.pk]), {"public": "0"})

    proposal_decide(
        proposal_id=proposal.pk,
        user=coordinator,
        expected=Status.SUBMITTED,
        decision=Decision.REJECTED,
        motivation="Nee.",
    )

    assert "Stil houden" not in _public(client, hub)


@pytest.mark.parametrize(
    ("role", "status"),
    [("wijkraad", 403), ("wijkmanager", 403), ("outsider", 404), ("host", 404), ("kcc", 404)],
)
def test_only_the_coordinator_switches(client, hub, cast, role, status):
    proposal = decided(hub, cast["wijkraad"], cast["coordinator"], title="Openbaar")
    client.force_login(cast[role])

    response = client.post(reverse("proposals:publication", args=[proposal.pk]), {"public": "0"})

    assert response.status_code == status
    proposal.refresh_from_db()
    assert proposal.publish_on_hub_page


def test_the_switch_is_only_offered_to_the_coordinator(client, hub, cast):
    proposal = decided(hub, cast["wijkraad"], cast["coordinator"], title="Openbaar")
    for role, offered in (("coordinator", True), ("wijkmanager", False), ("wijkraad", False)):
        client.force_login(cast[role])
        page = client.get(proposal.get_absolute_url())
        assert (page.context["workflow"]["publication_form"] is not None) is offered


@pytest.mark.parametrize("data", [{}, {"public": "ja"}])
def test_a_forged_switch_gets_a_message(client, hub, wijkraad, coordinator, data):
    proposal = decided(hub, wijkraad, coordinator, title="Openbaar")
    client.force_login(coordinator)

    response = client.post(reverse("proposals:publication", args=[proposal.pk]), data)

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        _nl("The form was incomplete. Please try again.")
    ]
    proposal.refresh_from_db()
    assert proposal.publish_on_hub_page


@pytest.mark.parametrize("size", [1, 8])
def test_the_hub_page_query_count_does_not_grow_with_proposals(
    client, hub, wijkraad, coordinator, django_assert_num_queries, size
):
    for n in range(size):
        decided(hub, wijkraad, coordinator, title=f"Voorstel {n}")
    client.logout()
    # 1 the hub with its gebied, then the OpeningCalendar: 2 schedule versions +
    # their slots, 3 closures, 4 closing days, 5 understaffed shifts past their
    # decision time, 6 the decided proposals with their published answers'
    # motivation and date (subqueries in the same query).
    with django_assert_num_queries(7):
        response = client.get(hub.get_absolute_url())
    assert len(response.context["proposals"]) == size
