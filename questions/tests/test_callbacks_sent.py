"""The host's own callback requests: what became of them."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from questions.constants import CallbackStatus
from questions.models import PersonalDataAccess
from questions.services import callback_claim
from questions.tests.test_team_queue import bulk_callbacks
from tests.factories import TeamFactory, TopicFactory, UserFactory, make_callback

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
URL = reverse("questions:callbacks_sent")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def test_the_host_sees_her_requests_newest_first_with_status_and_handler(client, hub, host):
    member = UserFactory(first_name="Lotte", last_name="Visser")
    team = TeamFactory(name="Team Wonen", members=[member])
    first = make_callback(hub=hub, team=team, user=host)
    second = make_callback(hub=hub, team=team, user=host)
    callback_claim(callback_id=first.pk, user=member)
    make_callback(hub=hub, team=team)  # someone else's
    client.force_login(host)
    response = client.get(URL)
    assert response.status_code == 200
    assert [r.reference for r in response.context["rows"]] == [second.reference, first.reference]
    html = response.content.decode()
    assert "Lotte Visser" in html and "Team Wonen" in html
    with translation.override("nl"):
        assert str(CallbackStatus.CLAIMED.label) in html
    assert "Jan Jansen" not in html
    assert not PersonalDataAccess.objects.exists()


def test_someone_who_made_none_sees_an_empty_list(client, outsider):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["rows"] == []


@pytest.mark.parametrize("who", ["medewerker", "wijkraad"])
def test_those_who_cannot_use_a_desk_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_the_list_refuses_post(client, host):
    client.force_login(host)
    assert client.post(URL).status_code == 405


def test_anonymous_visitors_go_to_the_login_page(client):
    assert client.get(URL).status_code == 302


def test_pages_follow_each_other_without_repeats(client, hub, host):
    team = TeamFactory()
    topic = TopicFactory(name="Wonen")
    bulk_callbacks(60, hub=hub, team=team, created_by=host, topic=topic)  # all the same moment
    bulk_callbacks(
        60,
        hub=hub,
        team=team,
        created_by=host,
        topic=topic,
        start=60,
        created_at=NOW - dt.timedelta(hours=1),
    )
    client.force_login(host)
    seen, params = [], {}
    for _ in range(5):
        response = client.get(URL, params)
        seen += [r.reference for r in response.context["rows"]]
        if not response.context["next_cursor"]:
            break
        params = {"after": response.context["next_cursor"]}
    assert len(seen) == len(set(seen)) == 120


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_list_costs_the_same_queries_at_10_and_10000(
    client, hub, host, size, django_assert_num_queries
):
    bulk_callbacks(
        size, hub=hub, team=TeamFactory(), created_by=host, topic=TopicFactory(name="Wonen")
    )
    client.force_login(host)
    # 5 queries: session, user, one page of callbacks (hub, team and handler joined in),
    # their topics (with the main topic), and roles (navigation).
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert len(response.context["rows"]) == min(size, 50)
