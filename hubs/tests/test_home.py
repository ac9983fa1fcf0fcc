"""The staff home page (/ when logged in): my roles and my hubs today."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from tests.factories import ClosureFactory, UserFactory, give_role, hub_with_schedule

AMS = ZoneInfo("Europe/Amsterdam")
# Monday 2 November 2026 10:00: the standard week is open on Monday mornings.
MONDAY_MORNING = dt.datetime(2026, 11, 2, 10, 0, tzinfo=AMS)

pytestmark = pytest.mark.django_db


def nl(message: str, **values) -> str:
    with translation.override("nl"):
        text = gettext(message)
    return text % values if values else text


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY_MORNING, tick=False):
        yield


def test_host_sees_her_role_and_her_hub_only(client, frozen, host, hub, other_hub):
    client.force_login(host)
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "hubs/home.html"
    assert [row["hub"] for row in response.context["rows"]] == [hub]
    html = response.content.decode()
    with translation.override("nl"):
        assert f"{Role.HOST.label} – Feijenoord" in html
    assert 'href="/wijkhubs/feijenoord/"' in html
    assert "Bloemhof" not in html


def test_home_shows_todays_opening_and_whether_open_now(client, frozen, host, hub):
    client.force_login(host)
    response = client.get("/")
    (row,) = response.context["rows"]
    assert row["open_now"] is True
    assert [o.dagdeel for o in row["today"].openings] == ["ochtend"]
    html = response.content.decode()
    assert "09:00–12:30" in html
    assert 'data-status="open"' in html


def test_home_shows_a_closure_today(client, frozen, host, hub):
    ClosureFactory(hub=hub, start_date=MONDAY_MORNING.date(), end_date=MONDAY_MORNING.date())
    client.force_login(host)
    html = client.get("/").content.decode()
    assert nl("Closed: %(reason)s", reason="Verbouwing") in html
    assert 'data-status="closed"' in html


def test_coordinator_sees_every_hub(client, frozen, coordinator, hub, other_hub):
    inactive = hub_with_schedule(name="Opgeheven", is_active=False)
    client.force_login(coordinator)
    response = client.get("/")
    assert {row["hub"] for row in response.context["rows"]} == {hub, other_hub, inactive}
    html = response.content.decode()
    # An inactive hub has no public page to link to.
    assert 'href="/wijkhubs/opgeheven/"' not in html
    assert nl("inactive") in html
    with translation.override("nl"):
        assert str(Role.COORDINATOR.label) in html


def test_user_without_a_role_gets_a_hint(client, frozen, hub):
    user = UserFactory(email="nieuw@example.org")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert nl("You have no role yet. Ask the coordinator of the wijkhubs to give you one.") in html
    assert nl("You are not linked to a hub.") in html
    assert response.context["rows"] == []


def test_home_refuses_post(client, host):
    client.force_login(host)
    assert client.post("/").status_code == 405


@pytest.mark.parametrize("size", [5, 40])
def test_role_list_and_hubs_in_fixed_queries(client, frozen, django_assert_num_queries, size):
    hubs = [hub_with_schedule(name=f"Wijk {n}") for n in range(size)]
    user = UserFactory(email="wendy@example.org")
    for hub in hubs:
        give_role(user, Role.WIJKMANAGER, hub)
        give_role(user, Role.WIJKRAAD, hub)
    client.force_login(user)
    # 1 session, 2 user, 3 the role list with each role's hub (one query, not
    # one per role), 4 the user's roles for ``access``, 5 the user's hubs with
    # their gebied, then the OpeningCalendar: 6 schedule versions, 7 their
    # slots, 8 closures, 9 closing days (no mobile hub, so no stops query);
    # 10 today's dagdelen of the hubs where the user records attendance.
    with django_assert_num_queries(10):
        response = client.get("/")
    assert len(response.context["role_assignments"]) == 2 * size
    assert len(response.context["rows"]) == size


def test_host_finds_todays_dagdelen_of_her_hub_for_attendance(client, frozen, host, hub, other_hub):
    from django.urls import reverse

    from tests.factories import make_shift

    today = MONDAY_MORNING.date()
    mine = make_shift(hub=hub, day=today)
    elsewhere = make_shift(hub=other_hub, day=today)
    client.force_login(host)
    html = client.get("/").content.decode()
    assert reverse("scheduling:shift_detail", args=[mine.pk]) in html
    assert reverse("scheduling:shift_detail", args=[elsewhere.pk]) not in html
