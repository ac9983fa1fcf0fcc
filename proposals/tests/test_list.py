"""The proposal list: who sees which proposals, the filters, and a fixed query count."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.constants import Role
from proposals.constants import Status
from proposals.models import Proposal
from tests.factories import UserFactory, give_role, make_proposal

pytestmark = pytest.mark.django_db

URL = "/voorstellen/"


@pytest.fixture(autouse=True)
def _frozen_time():
    # Wednesday 4 November 2026.
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.fixture
def proposals(hub, other_hub, wijkraad):
    """A draft and a submitted proposal at ``hub``; a submitted one at ``other_hub``."""
    other_wijkraad = give_role(UserFactory(), Role.WIJKRAAD, other_hub)
    return {
        "draft": make_proposal(hub, wijkraad, title="Concept van Feijenoord"),
        "submitted": make_proposal(hub, wijkraad, title="Ingediend Feijenoord", submit=True),
        "other": make_proposal(other_hub, other_wijkraad, title="Bloemhof avond", submit=True),
    }


def _titles(response) -> set[str]:
    return {p.title for p in response.context["proposals"]}


def test_url_is_voorstellen():
    assert reverse("proposals:list") == URL


def test_wijkraad_sees_its_hubs_proposals_with_drafts(client, wijkraad, hub, proposals):
    client.force_login(wijkraad)
    response = client.get(URL)
    assert response.status_code == 200
    assert _titles(response) == {"Concept van Feijenoord", "Ingediend Feijenoord"}
    html = response.content.decode()
    # The "new proposal" button for the wijkraad's own hub only.
    assert reverse("proposals:create", args=[hub.slug]) in html
    assert response.context["drafting_hubs"] == [hub]


def test_wijkmanager_sees_submitted_proposals_of_their_hub(client, wijkmanager, proposals):
    client.force_login(wijkmanager)
    response = client.get(URL)
    assert _titles(response) == {"Ingediend Feijenoord"}
    assert response.context["drafting_hubs"] == []
    assert "/voorstellen/nieuw/" not in response.content.decode()


def test_coordinator_sees_every_hub_but_no_drafts(client, coordinator, proposals):
    client.force_login(coordinator)
    response = client.get(URL)
    assert _titles(response) == {"Ingediend Feijenoord", "Bloemhof avond"}


def test_columns_show_status_dates_and_overdue(client, wijkmanager, proposals):
    proposal = proposals["submitted"]
    client.force_login(wijkmanager)
    html = client.get(URL).content.decode()
    assert _nl("Submitted") in html
    assert "02-12-2026" in html  # answer due, four weeks after submission
    assert _nl("(overdue)") not in html
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(wijkmanager)
        html = client.get(URL).content.decode()
    assert proposal.answer_due < dt.date(2026, 12, 3)
    assert _nl("(overdue)") in html


def test_filter_by_status_and_hub(client, coordinator, hub, other_hub, proposals):
    client.force_login(coordinator)
    response = client.get(URL, {"hub": other_hub.slug})
    assert _titles(response) == {"Bloemhof avond"}
    response = client.get(URL, {"status": Status.IN_CONVERSATION})
    assert _titles(response) == set()
    response = client.get(URL, {"status": Status.SUBMITTED, "hub": hub.slug})
    assert _titles(response) == {"Ingediend Feijenoord"}


def test_unknown_filter_values_get_a_message_not_an_error(client, wijkraad, proposals, other_hub):
    client.force_login(wijkraad)
    # A hub the wijkraad cannot see is not a choice: the filter is ignored, nothing leaks.
    response = client.get(URL, {"hub": other_hub.slug, "status": "kwijt"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"hub", "status"}
    assert _titles(response) == {"Concept van Feijenoord", "Ingediend Feijenoord"}


@pytest.mark.parametrize("role", ["host", "medewerker", "kcc"])
def test_staff_without_a_proposal_role_get_403(client, cast, role):
    client.force_login(cast[role])
    assert client.get(URL).status_code == 403


def test_anonymous_goes_to_login_and_post_is_refused(client, wijkraad):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    client.force_login(wijkraad)
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("count", [5, 200])
def test_list_query_count(client, coordinator, hub, other_hub, django_assert_num_queries, count):
    now = timezone.now()
    Proposal.objects.bulk_create(
        Proposal(
            hub=hub if n % 2 else other_hub,
            title=f"Voorstel {n}",
            argumentation="Omdat.",
            desired_start=dt.date(2027, 1, 4),
            status=Status.SUBMITTED,
            submitted_at=now,
            answer_due=dt.date(2026, 12, 2),
        )
        for n in range(count)
    )
    client.force_login(coordinator)
    # session, user, role assignments, hubs (filter choices), count of the proposals,
    # one page of proposals with their hubs.
    with django_assert_num_queries(6):
        response = client.get(URL, {"hub": hub.slug})
    assert response.status_code == 200
    assert len(response.context["proposals"]) == min(count // 2, 50)
