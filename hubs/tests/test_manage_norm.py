"""The norm check: hubs and weeks below the norm in the coming weeks."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from hubs.constants import Dagdeel
from tests.factories import (
    ClosingDayFactory,
    ClosureFactory,
    GebiedFactory,
    HubFactory,
    MobileStopFactory,
    hub_with_schedule,
)

pytestmark = pytest.mark.django_db

URL = "/beheer/norm/"
# Wednesday 4 November 2026: the report starts on Monday 2 November.
FIRST_MONDAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_url_plan_is_as_expected():
    assert reverse("manage:norm") == URL


def test_every_hub_meeting_the_norm_gives_an_empty_report(client, coordinator, hub, other_hub):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert (response.context["hub_count"], response.context["meeting_count"]) == (2, 2)
    assert len(response.context["weeks"]) == 8
    assert response.context["weeks"][0] == FIRST_MONDAY


def test_closure_and_closing_day_put_weeks_below_the_norm(client, coordinator, hub, other_hub):
    # Hub is open Mon morning, Tue afternoon, Thu morning and afternoon.
    ClosureFactory(hub=hub, start_date=dt.date(2026, 11, 10), end_date=dt.date(2026, 11, 10))
    ClosingDayFactory(date=dt.date(2026, 12, 24), name="Kerstavond")  # a Thursday
    client.force_login(coordinator)
    response = client.get(URL)
    rows = {row["hub"].name: row["weeks"] for row in response.context["rows"]}
    assert set(rows) == {"Feijenoord", "Bloemhof"}
    below = {
        name: [(w.monday, w.dagdelen, w.days) for w in weeks if not w.meets_norm]
        for name, weeks in rows.items()
    }
    assert below == {
        "Feijenoord": [(dt.date(2026, 11, 9), 3, 2), (dt.date(2026, 12, 21), 2, 2)],
        "Bloemhof": [(dt.date(2026, 12, 21), 2, 2)],
    }
    html = response.content.decode()
    assert html.count("data-below-norm") == 3


def test_norm_weeks_follow_the_setting(client, coordinator, hub, settings):
    settings.NORM_WEEKS_AHEAD = 3
    client.force_login(coordinator)
    assert len(client.get(URL).context["weeks"]) == 3


def test_inactive_hubs_are_left_out(client, coordinator, hub):
    HubFactory(name="Gesloten", is_active=False)
    client.force_login(coordinator)
    assert client.get(URL).context["hub_count"] == 1


def test_mobile_hub_counts_its_stops(client, coordinator):
    mobile = HubFactory(name="Mobiele wijkhub", is_mobile=True)
    for day, dagdeel in [
        (2, Dagdeel.OCHTEND),
        (3, Dagdeel.OCHTEND),
        (3, Dagdeel.MIDDAG),
        (5, Dagdeel.OCHTEND),
    ]:
        MobileStopFactory(hub=mobile, date=dt.date(2026, 11, day), dagdeel=dagdeel)
    client.force_login(coordinator)
    weeks = client.get(URL).context["rows"][0]["weeks"]
    assert (weeks[0].dagdelen, weeks[0].days, weeks[0].meets_norm) == (4, 3, True)
    assert not weeks[1].meets_norm


def test_wijkmanager_sees_only_own_hubs(client, wijkmanager, hub, other_hub):
    ClosureFactory(hub=other_hub, start_date=dt.date(2026, 11, 9), end_date=dt.date(2026, 11, 15))
    client.force_login(wijkmanager)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["hub_count"] == 1
    assert response.context["rows"] == []


@pytest.mark.parametrize("who", ["host", "medewerker", "kcc", "wijkraad"])
def test_staff_without_a_managed_hub_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_norm_refuses_post(client, coordinator):
    client.force_login(coordinator)
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("count", [5, 40])
def test_norm_query_count_does_not_grow_with_hubs(
    client, coordinator, count, django_assert_num_queries
):
    gebied = GebiedFactory(name="Charlois")
    for n in range(count - 1):
        hub = hub_with_schedule(name=f"Hub {n}", gebied=gebied)
        ClosureFactory(hub=hub, start_date=dt.date(2026, 11, 16), end_date=dt.date(2026, 11, 17))
    mobile = HubFactory(name="Mobiele wijkhub", is_mobile=True, gebied=gebied)
    MobileStopFactory(hub=mobile, date=dt.date(2026, 11, 5))
    ClosingDayFactory(date=dt.date(2026, 12, 25))
    client.force_login(coordinator)
    # 1 session, 2 user, 3 role assignments (access), 4 active hubs with gebied,
    # 5 schedule versions, 6 their slots, 7 closures, 8 closing days, 9 mobile stops.
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert response.context["hub_count"] == count
    assert len(response.context["rows"]) == count  # the closure week and the mobile hub
