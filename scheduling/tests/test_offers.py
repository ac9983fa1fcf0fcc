"""Cluster offers (/rooster/aanbod/): the coordinator reserves places for a cluster."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hubs.constants import Dagdeel
from scheduling.models import ClusterOffer, Shift
from tests.factories import ClusterFactory, hub_with_schedule, make_shift

# Wednesday 4 November 2026. The offers are made for Monday 9 to Sunday 15 November.
NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)
MONDAY = dt.date(2026, 11, 9)
TUESDAY = dt.date(2026, 11, 10)
THURSDAY = dt.date(2026, 11, 12)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.fixture
def week(hub, other_hub):
    """The standard week of both hubs: Monday morning, Tuesday afternoon, Thursday
    morning and afternoon."""
    shifts = {}
    for h in (hub, other_hub):
        shifts[(h.name, MONDAY, Dagdeel.OCHTEND)] = make_shift(hub=h, day=MONDAY)
        shifts[(h.name, TUESDAY, Dagdeel.MIDDAG)] = make_shift(
            hub=h, day=TUESDAY, dagdeel=Dagdeel.MIDDAG
        )
        shifts[(h.name, THURSDAY, Dagdeel.OCHTEND)] = make_shift(hub=h, day=THURSDAY)
        shifts[(h.name, THURSDAY, Dagdeel.MIDDAG)] = make_shift(
            hub=h, day=THURSDAY, dagdeel=Dagdeel.MIDDAG
        )
    return shifts


@pytest.fixture
def cluster(db):
    return ClusterFactory(name="Stadsbeheer")


def _data(the_cluster, the_hubs, **overrides):
    data = {
        "cluster": the_cluster.pk,
        "places": 2,
        "release_at": "2026-11-06T12:00",
        "hubs": [h.pk for h in the_hubs],
        "first": "2026-11-09",
        "last": "2026-11-15",
        "weekdays": ["0", "1", "2", "3", "4"],
        "dagdelen": ["ochtend", "middag", "avond"],
    }
    data.update(overrides)
    return data


URL = "/rooster/aanbod/"


def test_url_is_the_planned_one():
    assert reverse("scheduling:offers") == URL


def test_coordinator_offers_places_in_every_matching_dagdeel(
    client, coordinator, hub, other_hub, week, cluster
):
    client.force_login(coordinator)
    response = client.post(URL, _data(cluster, [hub], weekdays=["0", "3"]), follow=True)
    assert response.status_code == 200
    offers = ClusterOffer.objects.select_related("shift__hub")
    assert {(o.shift.hub.name, o.shift.date, o.shift.dagdeel) for o in offers} == {
        ("Feijenoord", MONDAY, Dagdeel.OCHTEND),
        ("Feijenoord", THURSDAY, Dagdeel.OCHTEND),
        ("Feijenoord", THURSDAY, Dagdeel.MIDDAG),
    }
    offer = offers[0]
    assert (offer.cluster, offer.places, offer.created_by) == (cluster, 2, coordinator)
    assert offer.release_at == dt.datetime(2026, 11, 6, 11, 0, tzinfo=dt.UTC)  # 12:00 local
    message = str(list(response.context["messages"])[0])
    assert "3" in message and "Stadsbeheer" in message
    # The new offers are listed.
    assert len(response.context["page"].object_list) == 3


def test_existing_offers_are_skipped_and_counted(client, coordinator, hub, week, cluster):
    existing = week[("Feijenoord", MONDAY, Dagdeel.OCHTEND)]
    ClusterOffer.objects.create(shift=existing, cluster=cluster, places=1, release_at=NOW)
    client.force_login(coordinator)
    response = client.post(URL, _data(cluster, [hub], dagdelen=["ochtend"]), follow=True)
    assert ClusterOffer.objects.count() == 2
    assert ClusterOffer.objects.get(shift=existing).places == 1  # left as it was
    with translation.override("nl"):
        expected = gettext(
            "%(created)s offers were created for %(cluster)s; %(skipped)s dagdelen "
            "already had an offer for this cluster and were skipped."
        ) % {"created": 1, "cluster": "Stadsbeheer", "skipped": 1}
    assert str(list(response.context["messages"])[0]) == expected


def test_cancelled_and_past_dagdelen_get_no_offer(client, coordinator, hub, cluster, week):
    monday = week[("Feijenoord", MONDAY, Dagdeel.OCHTEND)]
    Shift.objects.filter(pk=monday.pk).update(is_cancelled=True, cancel_reason="Verbouwing")
    make_shift(hub=hub, day=dt.date(2026, 11, 2))  # Monday before today
    client.force_login(coordinator)
    data = _data(cluster, [hub], first="2026-11-01", weekdays=["0"], dagdelen=["ochtend"])
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "__all__" in response.context["form"].errors
    assert not ClusterOffer.objects.exists()


def test_more_places_than_a_dagdeel_takes_is_refused(client, coordinator, hub, week, cluster):
    client.force_login(coordinator)
    response = client.post(URL, _data(cluster, [hub], places=4))  # the shifts take 3
    assert response.status_code == 200
    assert "places" in response.context["form"].errors
    assert "Feijenoord" in response.context["form"].errors["places"][0]
    assert not ClusterOffer.objects.exists()
    # What was typed stays.
    assert 'value="4"' in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"last": "2026-11-01"}, "last"),
        ({"last": "2028-01-01"}, "last"),
        ({"first": "9-11-2026"}, "first"),
        ({"release_at": "morgen"}, "release_at"),
        ({"places": "0"}, "places"),
        ({"places": "-3"}, "places"),
        ({"hubs": []}, "hubs"),
        ({"hubs": ["999999"]}, "hubs"),
        ({"cluster": "999999"}, "cluster"),
        ({"weekdays": ["7"]}, "weekdays"),
        ({"dagdelen": ["nacht"]}, "dagdelen"),
    ],
)
def test_bad_input_gets_a_message_never_a_500(
    client, coordinator, hub, week, cluster, overrides, field
):
    client.force_login(coordinator)
    response = client.post(URL, _data(cluster, [hub], **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "is-invalid" in response.content.decode() or "alert" in response.content.decode()
    assert not ClusterOffer.objects.exists()


def test_end_before_start_message(client, coordinator, hub, week, cluster):
    client.force_login(coordinator)
    response = client.post(URL, _data(cluster, [hub], last="2026-11-01"))
    assert response.context["form"].errors["last"] == [
        _nl("The end date is before the start date.")
    ]


def test_only_upcoming_offers_are_listed(client, coordinator, hub, cluster):
    past = make_shift(hub=hub, day=dt.date(2026, 11, 2))
    coming = make_shift(hub=hub, day=MONDAY)
    ClusterOffer.objects.create(shift=past, cluster=cluster, release_at=NOW)
    ClusterOffer.objects.create(shift=coming, cluster=cluster, release_at=NOW)
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    assert [o.shift for o in response.context["page"].object_list] == [coming]


@pytest.mark.parametrize("count", [5, 40])
def test_offer_list_query_count_does_not_grow(
    client, coordinator, cluster, count, django_assert_num_queries
):
    for n in range(count):
        shift = make_shift(hub=hub_with_schedule(name=f"Hub {n:02}"), day=MONDAY)
        ClusterOffer.objects.create(shift=shift, cluster=cluster, release_at=NOW)
    client.force_login(coordinator)
    # 1 session, 2 user, 3 role assignments (access), 4 count of the offers (pager),
    # 5 the page of offers with shift, hub and cluster, 6 clusters and 7 hubs of the
    # form.
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == count


@pytest.mark.parametrize("who", ["wijkmanager", "host", "medewerker", "outsider"])
def test_only_the_coordinator_manages_offers(client, request, hub, week, cluster, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, _data(cluster, [hub])).status_code == 403
    assert not ClusterOffer.objects.exists()


def test_offers_refuses_other_methods(client, coordinator):
    client.force_login(coordinator)
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


# --- offer_delete ---------------------------------------------------------------------------


@pytest.fixture
def offer(hub, cluster):
    return ClusterOffer.objects.create(
        shift=make_shift(hub=hub, day=MONDAY), cluster=cluster, places=1, release_at=NOW
    )


def test_coordinator_removes_an_offer(client, coordinator, offer):
    client.force_login(coordinator)
    response = client.post(reverse("scheduling:offer_delete", args=[offer.pk]))
    assert response.status_code == 302
    assert response["Location"] == URL
    assert not ClusterOffer.objects.exists()


def test_removing_refuses_get(client, coordinator, offer):
    client.force_login(coordinator)
    assert client.get(reverse("scheduling:offer_delete", args=[offer.pk])).status_code == 405
    assert ClusterOffer.objects.exists()


def test_wijkmanager_cannot_remove_an_offer(client, wijkmanager, offer):
    client.force_login(wijkmanager)
    assert client.post(reverse("scheduling:offer_delete", args=[offer.pk])).status_code == 403
    assert ClusterOffer.objects.exists()


def test_removing_a_forged_offer_is_404(client, coordinator, offer):
    client.force_login(coordinator)
    response = client.post(reverse("scheduling:offer_delete", args=[offer.pk + 999]))
    assert response.status_code == 404
    assert ClusterOffer.objects.exists()
