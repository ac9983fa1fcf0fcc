"""Per cluster and month: committed places against sign-ups, work and no-shows."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hubs.constants import Dagdeel
from scheduling.models import ClusterOffer, Shift, SignUp
from scheduling.services import attendance_mark, signup_create
from tests.factories import ClusterFactory, hub_with_schedule, make_shift, staff_member

# Sunday 1 November 2026, early: the whole of November lies ahead.
NOW = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
AFTER_NOVEMBER = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
URL = "/rooster/clusters/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _row(response, name):
    return next(r for r in response.context["rows"] if r["cluster"].name == name)


@pytest.fixture
def november(hub, other_hub, clock):
    """Stadsbeheer is offered 2 + 1 places in two November dagdelen (and some in a
    cancelled one and in December, which do not count); its people sign up in and
    outside the offered dagdelen; after November two came and one did not."""
    stadsbeheer = ClusterFactory(name="Stadsbeheer")
    wonen = ClusterFactory(name="Wonen")
    ClusterFactory(name="Zorg")  # nothing this month
    offered = make_shift(hub=hub, day=dt.date(2026, 11, 9), max_staff=4)
    offered2 = make_shift(hub=other_hub, day=dt.date(2026, 11, 12), max_staff=4)
    elsewhere = make_shift(hub=hub, day=dt.date(2026, 11, 10), dagdeel=Dagdeel.MIDDAG)
    cancelled = make_shift(hub=hub, day=dt.date(2026, 11, 16))
    december = make_shift(hub=hub, day=dt.date(2026, 12, 7))
    release = NOW + dt.timedelta(days=3)
    ClusterOffer.objects.create(shift=offered, cluster=stadsbeheer, places=2, release_at=release)
    ClusterOffer.objects.create(shift=offered2, cluster=stadsbeheer, places=1, release_at=release)
    ClusterOffer.objects.create(shift=cancelled, cluster=stadsbeheer, places=3, release_at=release)
    ClusterOffer.objects.create(shift=december, cluster=stadsbeheer, places=2, release_at=release)
    ClusterOffer.objects.create(shift=offered, cluster=wonen, places=1, release_at=release)

    anna, bert, carla = (staff_member(cluster=stadsbeheer) for _ in range(3))
    a1 = signup_create(shift_id=offered.pk, user=anna)
    b1 = signup_create(shift_id=offered.pk, user=bert)
    signup_create(shift_id=elsewhere.pk, user=carla)
    signup_create(shift_id=december.pk, user=anna)
    signup_create(shift_id=cancelled.pk, user=bert)
    Shift.objects.filter(pk=cancelled.pk).update(is_cancelled=True)
    # A Wonen person in a Stadsbeheer offer counts for Wonen, in its own offer.
    w1 = signup_create(shift_id=offered.pk, user=staff_member(cluster=wonen))
    c2 = signup_create(shift_id=offered2.pk, user=carla)
    clock.move_to(AFTER_NOVEMBER)
    attendance_mark(shift=offered, attended={a1.pk: True, b1.pk: False, w1.pk: True})
    attendance_mark(shift=offered2, attended={c2.pk: True})
    return {"stadsbeheer": stadsbeheer, "wonen": wonen}


def test_committed_against_signed_up_worked_and_no_shows(client, coordinator, november):
    client.force_login(coordinator)
    response = client.get(URL, {"month": "2026-11"})
    assert response.status_code == 200
    assert response.context["month"] == dt.date(2026, 11, 1)
    stadsbeheer = _row(response, "Stadsbeheer")
    assert {k: v for k, v in stadsbeheer.items() if k != "cluster"} == {
        "places": 3,  # 2 + 1; the cancelled dagdeel and December do not count
        "dagdelen": 2,
        "in_offered": 3,  # Anna and Bert on the 9th, Carla on the 12th
        "total": 4,  # and Carla's afternoon on the 10th
        "worked": 2,
        "no_shows": 1,
    }
    wonen = _row(response, "Wonen")
    assert (wonen["places"], wonen["in_offered"], wonen["total"], wonen["worked"]) == (1, 1, 1, 1)
    zorg = _row(response, "Zorg")
    assert (zorg["places"], zorg["total"]) == (0, 0)
    assert response.context["totals"]["places"] == 4
    assert response.context["totals"]["worked"] == 3


def test_another_month_has_its_own_numbers(client, coordinator, november):
    client.force_login(coordinator)
    response = client.get(URL, {"month": "2026-12"})
    stadsbeheer = _row(response, "Stadsbeheer")
    assert (stadsbeheer["places"], stadsbeheer["in_offered"], stadsbeheer["total"]) == (2, 1, 1)
    assert f"{URL}?month=2026-11" in response.content.decode()
    assert f"{URL}?month=2027-01" in response.content.decode()


def test_without_a_month_it_is_this_month(client, coordinator, clock):
    client.force_login(coordinator)
    assert client.get(URL).context["month"] == dt.date(2026, 11, 1)


@pytest.mark.parametrize("month", ["november", "2026-13", "2026-1-1", "11-2026", "99999-01"])
def test_a_malformed_month_gets_a_message_and_this_month(client, coordinator, clock, month):
    client.force_login(coordinator)
    response = client.get(URL, {"month": month})
    assert response.status_code == 200
    assert "month" in response.context["form"].errors
    assert response.context["month"] == dt.date(2026, 11, 1)
    assert "is-invalid" in response.content.decode()


def test_malformed_month_message(client, coordinator, clock):
    client.force_login(coordinator)
    response = client.get(URL, {"month": "november"})
    assert response.context["form"].errors["month"] == [
        _nl("Give the month as year and month, for example 2026-03.")
    ]


def test_wijkmanager_reads_the_report_without_offer_links(client, wijkmanager, november):
    client.force_login(wijkmanager)
    response = client.get(URL, {"month": "2026-11"})
    assert response.status_code == 200
    assert _row(response, "Stadsbeheer")["places"] == 3
    assert reverse("scheduling:offers") not in response.content.decode()


@pytest.mark.parametrize("who", ["host", "medewerker", "kcc", "wijkraad"])
def test_others_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_report_refuses_post(client, coordinator):
    client.force_login(coordinator)
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("size", [3, 30])
def test_report_query_count_does_not_grow(
    client, coordinator, clock, size, django_assert_num_queries
):
    hub = hub_with_schedule(name="Tarwewijk")
    for n in range(size):
        cluster = ClusterFactory(name=f"Cluster {n:02}")
        day = dt.date(2026, 11, 2) + dt.timedelta(days=n // 3)
        shift = make_shift(hub=hub, day=day, dagdeel=list(Dagdeel)[n % 3])
        ClusterOffer.objects.create(shift=shift, cluster=cluster, places=2, release_at=NOW)
        signup_create(shift_id=shift.pk, user=staff_member(cluster=cluster))
    client.force_login(coordinator)
    # 1 session, 2 user, 3 role assignments (access), 4 committed places per cluster,
    # 5 sign-ups, work and no-shows per cluster, 6 the clusters.
    with django_assert_num_queries(6):
        response = client.get(URL, {"month": "2026-11"})
    assert [r["total"] for r in response.context["rows"]] == [1] * size
    assert SignUp.objects.count() == size
