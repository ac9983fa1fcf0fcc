"""The hub list, and creating and editing hubs (/beheer/wijkhubs/)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hubs.constants import Dagdeel
from hubs.models import Hub
from tests.factories import (
    ClosureFactory,
    GebiedFactory,
    HubFactory,
    ScheduleVersionFactory,
    hub_with_schedule,
)

# A Wednesday; the week runs from Monday 2 to Sunday 8 November 2026.
TODAY = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The cast's users are made with a password; the real hasher costs ~0.5 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


# --- hub_list -------------------------------------------------------------------------------


def test_coordinator_sees_every_hub_and_the_new_hub_link(client, coordinator, hub, other_hub):
    client.force_login(coordinator)
    response = client.get(reverse("manage:hub_list"))
    assert response.status_code == 200
    names = [row["hub"].name for row in response.context["rows"]]
    assert names == ["Bloemhof", "Feijenoord"]
    assert reverse("manage:hub_create") in response.content.decode()


def test_wijkmanager_sees_only_own_hub_and_no_new_hub_link(client, wijkmanager, hub, other_hub):
    client.force_login(wijkmanager)
    response = client.get(reverse("manage:hub_list"))
    assert response.status_code == 200
    assert [row["hub"] for row in response.context["rows"]] == [hub]
    assert reverse("manage:hub_create") not in response.content.decode()


def test_hub_list_shows_version_in_force_and_norm_of_this_week(client, coordinator, hub):
    # The standard week (4 dagdelen on 3 days) meets the norm, until a closure
    # on Thursday 5 November takes two of them away.
    ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 12, 7))  # planned, not in force
    client.force_login(coordinator)
    row = client.get(reverse("manage:hub_list")).context["rows"][0]
    assert row["version"].valid_from == dt.date(2020, 1, 6)
    assert row["week"].meets_norm

    ClosureFactory(hub=hub, start_date=dt.date(2026, 11, 5), end_date=dt.date(2026, 11, 5))
    row = client.get(reverse("manage:hub_list")).context["rows"][0]
    assert (row["week"].dagdelen, row["week"].days) == (2, 2)
    assert not row["week"].meets_norm


@pytest.mark.parametrize("who", ["host", "medewerker", "kcc", "wijkraad"])
def test_staff_without_a_managed_hub_get_403_on_hub_list(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("manage:hub_list")).status_code == 403


def test_hub_list_refuses_post(client, coordinator):
    client.force_login(coordinator)
    assert client.post(reverse("manage:hub_list")).status_code == 405


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("manage:hub_list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("count", [5, 40])
def test_hub_list_query_count_does_not_grow_with_hubs(
    client, coordinator, count, django_assert_num_queries
):
    gebied = GebiedFactory(name="Feijenoord")
    for n in range(count - 1):
        hub_with_schedule(name=f"Hub {n}", gebied=gebied)
    HubFactory(name="Mobiele wijkhub", is_mobile=True, gebied=gebied)
    client.force_login(coordinator)
    # 1 session, 2 user, 3 role assignments (access), 4 hubs with gebied,
    # 5 schedule versions, 6 their slots, 7 closures, 8 closing days, 9 mobile stops.
    with django_assert_num_queries(9):
        response = client.get(reverse("manage:hub_list"))
    assert len(response.context["rows"]) == count


# --- hub_create -----------------------------------------------------------------------------


def _hub_data(gebied, **overrides):
    data = {
        "name": "Tarwewijk",
        "slug": "",
        "gebied": gebied.pk,
        "wijk": "Tarwewijk",
        "address": "Mijnsherenlaan 10",
        "postcode": "3081cd",
        "city": "Rotterdam",
        "latitude": "",
        "longitude": "",
        "phone": "+31 10 123 45 67",
        "email": "tarwewijk@example.org",
        "description": "",
        "is_active": "on",
        "min_staff": "2",
        "max_staff": "4",
        "required_roles": ["host", "kcc"],
    }
    data.update(overrides)
    return data


def test_coordinator_creates_hub_with_normalised_postcode_phone_and_slug(client, coordinator):
    gebied = GebiedFactory(name="Charlois")
    client.force_login(coordinator)
    response = client.post(reverse("manage:hub_create"), _hub_data(gebied))
    hub = Hub.objects.get(name="Tarwewijk")
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:hub_edit", args=["tarwewijk"])
    assert (hub.slug, hub.postcode, hub.phone) == ("tarwewijk", "3081 CD", "0101234567")
    assert hub.is_active and not hub.is_mobile
    assert (hub.min_staff, hub.max_staff, hub.required_roles) == (2, 4, ["host", "kcc"])


def test_hub_create_form_shows_on_get(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("manage:hub_create"))
    assert response.status_code == 200
    assert 'name="postcode"' in response.content.decode()


@pytest.mark.parametrize("who", ["wijkmanager", "host", "medewerker", "outsider"])
def test_only_coordinator_may_create_hubs(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("manage:hub_create")).status_code == 403
    assert client.post(reverse("manage:hub_create"), {"name": "X"}).status_code == 403
    assert not Hub.objects.filter(name="X").exists()


def test_hub_create_refuses_put(client, coordinator):
    client.force_login(coordinator)
    assert client.put(reverse("manage:hub_create")).status_code == 405


def test_bad_postcode_and_phone_re_render_with_typed_values(client, coordinator):
    gebied = GebiedFactory(name="Charlois")
    client.force_login(coordinator)
    response = client.post(
        reverse("manage:hub_create"),
        _hub_data(gebied, postcode="30811 C", phone="12345", latitude="abc"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"postcode", "phone", "latitude"}
    assert form.errors["postcode"] == [_nl("Enter a Dutch postcode such as 3072 AN.")]
    html = response.content.decode()
    assert 'value="30811 C"' in html
    assert 'value="12345"' in html
    assert not Hub.objects.filter(name="Tarwewijk").exists()


def test_staffing_minimum_above_maximum_is_refused_with_one_clear_message(client, coordinator, hub):
    client.force_login(coordinator)
    data = _hub_data(hub.gebied, name=hub.name, slug=hub.slug, min_staff="5", max_staff="3")
    response = client.post(reverse("manage:hub_edit", args=[hub.slug]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"min_staff": [_nl("The minimum cannot be above the maximum.")]}
    hub.refresh_from_db()
    assert (hub.min_staff, hub.max_staff) == (2, 4)


def test_unknown_required_role_is_refused(client, coordinator, hub):
    client.force_login(coordinator)
    data = _hub_data(hub.gebied, name=hub.name, slug=hub.slug, required_roles=["wijkraad"])
    response = client.post(reverse("manage:hub_edit", args=[hub.slug]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["required_roles"]


def test_duplicate_name_or_slug_is_reported(client, coordinator, hub):
    client.force_login(coordinator)
    response = client.post(
        reverse("manage:hub_create"), _hub_data(hub.gebied, name="Feijenoord", slug="")
    )
    assert response.status_code == 200
    assert {"name", "slug"} <= set(response.context["form"].errors)
    assert Hub.objects.filter(name="Feijenoord").count() == 1


# --- hub_edit -------------------------------------------------------------------------------


def test_wijkmanager_edits_own_hub(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    data = _hub_data(hub.gebied, name=hub.name, slug=hub.slug, phone="010-123 45 67")
    response = client.post(reverse("manage:hub_edit", args=[hub.slug]), data)
    assert response.status_code == 302
    hub.refresh_from_db()
    assert (hub.phone, hub.postcode, hub.address) == ("0101234567", "3081 CD", "Mijnsherenlaan 10")


def test_edit_page_links_to_schedules_and_closures_but_not_stops_for_fixed_hub(
    client, wijkmanager, hub
):
    client.force_login(wijkmanager)
    html = client.get(reverse("manage:hub_edit", args=[hub.slug])).content.decode()
    assert reverse("manage:schedule_list", args=[hub.slug]) in html
    assert reverse("manage:closure_list", args=[hub.slug]) in html
    assert reverse("manage:stop_list", args=[hub.slug]) not in html


def test_edit_page_of_mobile_hub_links_to_its_stops(client, coordinator):
    mobile = HubFactory(name="Mobiele wijkhub", is_mobile=True)
    client.force_login(coordinator)
    html = client.get(reverse("manage:hub_edit", args=[mobile.slug])).content.decode()
    assert reverse("manage:stop_list", args=[mobile.slug]) in html


def test_outsider_cannot_edit_hub(client, outsider, hub):
    client.force_login(outsider)
    url = reverse("manage:hub_edit", args=[hub.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, _hub_data(hub.gebied, name="Gekaapt")).status_code == 403
    hub.refresh_from_db()
    assert hub.name == "Feijenoord"


@pytest.mark.parametrize("who", ["host", "medewerker", "wijkraad"])
def test_hub_staff_without_manager_role_cannot_edit_hub(client, request, hub, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("manage:hub_edit", args=[hub.slug])).status_code == 403


def test_unknown_hub_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("manage:hub_edit", args=["bestaat-niet"])).status_code == 404


def test_hub_edit_refuses_delete(client, coordinator, hub):
    client.force_login(coordinator)
    assert client.delete(reverse("manage:hub_edit", args=[hub.slug])).status_code == 405


def test_invalid_edit_keeps_typed_values_and_stored_links(client, coordinator, hub, other_hub):
    client.force_login(coordinator)
    data = _hub_data(hub.gebied, name=hub.name, slug=other_hub.slug, email="geen-mail")
    response = client.post(reverse("manage:hub_edit", args=[hub.slug]), data)
    assert response.status_code == 200
    assert {"slug", "email"} <= set(response.context["form"].errors)
    html = response.content.decode()
    assert 'value="geen-mail"' in html
    # The tabs still lead to the hub as stored, not to the slug that was typed.
    assert reverse("manage:schedule_list", args=[hub.slug]) in html
    hub.refresh_from_db()
    assert hub.slug == "feijenoord"


def test_slot_pattern_of_cast_hub_is_standard(hub):
    # Guards the assumption of test_hub_list_shows_version_in_force_and_norm_of_this_week.
    version = hub.schedule_versions.get()
    assert sorted((s.weekday, s.dagdeel) for s in version.slots.all()) == sorted(
        [(0, Dagdeel.OCHTEND), (1, Dagdeel.MIDDAG), (3, Dagdeel.OCHTEND), (3, Dagdeel.MIDDAG)]
    )
