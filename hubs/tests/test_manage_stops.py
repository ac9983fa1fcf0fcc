"""The mobile hub's stops."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.constants import Role
from hubs.constants import Dagdeel
from hubs.models import MobileStop
from tests.factories import HubFactory, MobileStopFactory, UserFactory, give_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mobile(db):
    return HubFactory(name="Mobiele wijkhub", is_mobile=True)


@pytest.fixture
def mobile_manager(mobile):
    return give_role(UserFactory(email="mobiel@example.org"), Role.WIJKMANAGER, mobile)


def _url(hub):
    return reverse("manage:stop_list", args=[hub.slug])


def test_stop_list_shows_upcoming_stops_in_order_of_the_day(client, mobile_manager, mobile):
    MobileStopFactory(hub=mobile, date=dt.date(2026, 11, 3), place="Gisteren")
    MobileStopFactory(hub=mobile, date=dt.date(2026, 11, 5), dagdeel=Dagdeel.AVOND, place="C")
    MobileStopFactory(hub=mobile, date=dt.date(2026, 11, 5), dagdeel=Dagdeel.OCHTEND, place="A")
    MobileStopFactory(hub=mobile, date=dt.date(2026, 11, 5), dagdeel=Dagdeel.MIDDAG, place="B")
    client.force_login(mobile_manager)
    response = client.get(_url(mobile))
    assert response.status_code == 200
    assert [s.place for s in response.context["stops"]] == ["A", "B", "C"]
    assert "Gisteren" not in response.content.decode()


def test_stop_is_added(client, mobile_manager, mobile):
    client.force_login(mobile_manager)
    data = {
        "date": "2026-11-10",
        "dagdeel": "middag",
        "place": "Afrikaandermarkt",
        "address": "Afrikaanderplein",
    }
    response = client.post(_url(mobile), data)
    assert response.status_code == 302
    stop = mobile.mobile_stops.get()
    assert (stop.date, stop.dagdeel, stop.place) == (
        dt.date(2026, 11, 10),
        "middag",
        "Afrikaandermarkt",
    )


def test_duplicate_stop_is_refused_with_a_message_naming_the_stop(client, mobile_manager, mobile):
    MobileStopFactory(hub=mobile, date=dt.date(2026, 11, 10), dagdeel=Dagdeel.MIDDAG, place="Markt")
    client.force_login(mobile_manager)
    data = {"date": "2026-11-10", "dagdeel": "middag", "place": "Bibliotheek", "address": ""}
    response = client.post(_url(mobile), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["dagdeel"] and "Markt" in errors["dagdeel"][0]
    assert 'value="Bibliotheek"' in response.content.decode()
    assert mobile.mobile_stops.count() == 1


def test_stop_in_the_past_or_malformed_date_is_refused(client, mobile_manager, mobile):
    client.force_login(mobile_manager)
    for value in ("2026-11-03", "volgende week"):
        data = {"date": value, "dagdeel": "ochtend", "place": "Markt", "address": ""}
        response = client.post(_url(mobile), data)
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["date"]
    assert not mobile.mobile_stops.exists()


def test_unknown_dagdeel_is_refused(client, mobile_manager, mobile):
    client.force_login(mobile_manager)
    data = {"date": "2026-11-10", "dagdeel": "nacht", "place": "Markt", "address": ""}
    response = client.post(_url(mobile), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["dagdeel"]


def test_fixed_hub_has_no_stop_page(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    assert client.get(_url(hub)).status_code == 404


def test_outsider_cannot_manage_stops(client, outsider, mobile):
    stop = MobileStopFactory(hub=mobile)
    client.force_login(outsider)
    assert client.get(_url(mobile)).status_code == 403
    assert (
        client.post(reverse("manage:stop_delete", args=[mobile.slug, stop.pk])).status_code == 403
    )
    assert MobileStop.objects.filter(pk=stop.pk).exists()


@pytest.mark.parametrize("who", ["host", "medewerker"])
def test_host_and_medewerker_cannot_manage_stops(client, request, mobile, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(mobile)).status_code == 403


def test_stop_list_refuses_put(client, mobile_manager, mobile):
    client.force_login(mobile_manager)
    assert client.put(_url(mobile)).status_code == 405


def test_stop_is_deleted_by_post_only(client, mobile_manager, mobile):
    stop = MobileStopFactory(hub=mobile)
    client.force_login(mobile_manager)
    url = reverse("manage:stop_delete", args=[mobile.slug, stop.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not MobileStop.objects.filter(pk=stop.pk).exists()


def test_stop_of_another_mobile_hub_is_404(client, coordinator, mobile):
    other = MobileStopFactory(hub=HubFactory(name="Tweede bus", is_mobile=True))
    client.force_login(coordinator)
    assert (
        client.post(reverse("manage:stop_delete", args=[mobile.slug, other.pk])).status_code == 404
    )
    assert MobileStop.objects.filter(pk=other.pk).exists()
