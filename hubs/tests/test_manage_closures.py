"""Closures of one hub, and city-wide closures."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hubs.models import Closure
from tests.factories import ClosureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _list_url(hub):
    return reverse("manage:closure_list", args=[hub.slug])


# --- closure_list ---------------------------------------------------------------------------


def test_closure_list_shows_upcoming_past_and_citywide(client, wijkmanager, hub, other_hub):
    ClosureFactory(hub=hub, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3))
    ClosureFactory(hub=hub, start_date=dt.date(2026, 11, 2), end_date=dt.date(2026, 11, 4))
    ClosureFactory(hub=hub, start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 6, 1))
    ClosureFactory(hub=other_hub, reason="Elders")
    ClosureFactory(hub=None, start_date=dt.date(2026, 12, 24), end_date=dt.date(2026, 12, 24))
    client.force_login(wijkmanager)
    response = client.get(_list_url(hub))
    assert response.status_code == 200
    assert [c.start_date.day for c in response.context["upcoming"]] == [2, 1]
    assert [c.start_date for c in response.context["past"]] == [dt.date(2026, 6, 1)]
    assert [c.hub for c in response.context["citywide"]] == [None]
    assert "Elders" not in response.content.decode()


def test_wijkmanager_adds_closure(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    data = {"start_date": "2026-12-01", "end_date": "2026-12-05", "reason": "Verbouwing"}
    response = client.post(_list_url(hub), data)
    assert response.status_code == 302
    assert response["Location"] == _list_url(hub)
    closure = hub.closures.get()
    assert (closure.start_date, closure.end_date, closure.reason) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 5),
        "Verbouwing",
    )
    assert closure.created_by == wijkmanager


def test_last_day_before_first_is_refused_and_input_kept(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    data = {"start_date": "2026-12-05", "end_date": "2026-12-01", "reason": "Verbouwing"}
    response = client.post(_list_url(hub), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_date": [_nl("The last day cannot be before the first day.")]
    }
    html = response.content.decode()
    assert 'value="2026-12-05"' in html and 'value="Verbouwing"' in html
    assert not hub.closures.exists()


def test_overlapping_closure_of_same_hub_is_refused(client, wijkmanager, hub):
    ClosureFactory(hub=hub, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3))
    client.force_login(wijkmanager)
    data = {"start_date": "2026-12-03", "end_date": "2026-12-08", "reason": "Schilderwerk"}
    response = client.post(_list_url(hub), data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "01-12-2026" in errors[0]
    assert 'value="Schilderwerk"' in response.content.decode()
    assert hub.closures.count() == 1


def test_overlap_with_other_hub_or_citywide_is_allowed(client, wijkmanager, hub, other_hub):
    ClosureFactory(hub=other_hub, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3))
    ClosureFactory(hub=None, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3))
    client.force_login(wijkmanager)
    data = {"start_date": "2026-12-01", "end_date": "2026-12-03", "reason": "Verbouwing"}
    assert client.post(_list_url(hub), data).status_code == 302


@pytest.mark.parametrize("start", ["31-31-2026", "gisteren", ""])
def test_malformed_date_re_renders(client, wijkmanager, hub, start):
    client.force_login(wijkmanager)
    data = {"start_date": start, "end_date": "2026-12-01", "reason": "Verbouwing"}
    response = client.post(_list_url(hub), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["start_date"]


def test_outsider_cannot_see_or_add_closures(client, outsider, hub):
    client.force_login(outsider)
    assert client.get(_list_url(hub)).status_code == 403
    data = {"start_date": "2026-12-01", "end_date": "2026-12-05", "reason": "Verbouwing"}
    assert client.post(_list_url(hub), data).status_code == 403
    assert not hub.closures.exists()


@pytest.mark.parametrize("who", ["host", "medewerker"])
def test_host_and_medewerker_cannot_manage_closures(client, request, hub, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_list_url(hub)).status_code == 403


def test_closure_list_refuses_put(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    assert client.put(_list_url(hub)).status_code == 405


def test_closure_list_query_count(client, wijkmanager, hub, django_assert_num_queries):
    for n in range(6):
        ClosureFactory(
            hub=hub, start_date=dt.date(2027, 1, 1 + 2 * n), end_date=dt.date(2027, 1, 1 + 2 * n)
        )
    client.force_login(wijkmanager)
    # session, user, role assignments, hub, upcoming, past, city-wide closures.
    with django_assert_num_queries(7):
        client.get(_list_url(hub))


# --- closure_edit and closure_delete ---------------------------------------------------------


@pytest.fixture
def closure(hub):
    return ClosureFactory(hub=hub, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3))


def test_closure_is_changed(client, wijkmanager, hub, closure):
    client.force_login(wijkmanager)
    url = reverse("manage:closure_edit", args=[hub.slug, closure.pk])
    assert client.get(url).status_code == 200
    data = {"start_date": "2026-12-02", "end_date": "2026-12-04", "reason": "Lekkage"}
    response = client.post(url, data)
    assert response.status_code == 302
    closure.refresh_from_db()
    assert (closure.start_date, closure.reason) == (dt.date(2026, 12, 2), "Lekkage")


def test_changing_a_closure_does_not_clash_with_itself_but_with_others(
    client, wijkmanager, hub, closure
):
    ClosureFactory(
        hub=hub, start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 12), reason="Feest"
    )
    client.force_login(wijkmanager)
    url = reverse("manage:closure_edit", args=[hub.slug, closure.pk])
    data = {"start_date": "2026-12-01", "end_date": "2026-12-10", "reason": "Verbouwing"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Feest" in response.context["form"].non_field_errors()[0]
    assert 'value="2026-12-10"' in response.content.decode()
    closure.refresh_from_db()
    assert closure.end_date == dt.date(2026, 12, 3)


def test_closure_of_other_hub_is_404(client, coordinator, hub, other_hub):
    foreign = ClosureFactory(hub=other_hub)
    client.force_login(coordinator)
    assert (
        client.get(reverse("manage:closure_edit", args=[hub.slug, foreign.pk])).status_code == 404
    )
    url = reverse("manage:closure_delete", args=[hub.slug, foreign.pk])
    assert client.post(url).status_code == 404
    assert Closure.objects.filter(pk=foreign.pk).exists()


def test_outsider_cannot_edit_or_delete_closure(client, outsider, hub, closure):
    client.force_login(outsider)
    assert (
        client.get(reverse("manage:closure_edit", args=[hub.slug, closure.pk])).status_code == 403
    )
    url = reverse("manage:closure_delete", args=[hub.slug, closure.pk])
    assert client.post(url).status_code == 403
    assert Closure.objects.filter(pk=closure.pk).exists()


def test_closure_is_deleted(client, wijkmanager, hub, closure):
    client.force_login(wijkmanager)
    response = client.post(reverse("manage:closure_delete", args=[hub.slug, closure.pk]))
    assert response.status_code == 302
    assert not Closure.objects.filter(pk=closure.pk).exists()


def test_closure_delete_needs_post(client, wijkmanager, hub, closure):
    client.force_login(wijkmanager)
    url = reverse("manage:closure_delete", args=[hub.slug, closure.pk])
    assert client.get(url).status_code == 405
    assert Closure.objects.filter(pk=closure.pk).exists()


def test_closure_edit_refuses_patch(client, wijkmanager, hub, closure):
    client.force_login(wijkmanager)
    url = reverse("manage:closure_edit", args=[hub.slug, closure.pk])
    assert client.patch(url).status_code == 405


# --- citywide_closures ----------------------------------------------------------------------


def _citywide_url():
    return reverse("manage:citywide_closures")


def test_coordinator_adds_citywide_closure(client, coordinator, hub):
    ClosureFactory(hub=hub, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3))
    client.force_login(coordinator)
    data = {"start_date": "2026-12-02", "end_date": "2026-12-02", "reason": "Personeelsdag"}
    response = client.post(_citywide_url(), data)
    assert response.status_code == 302
    assert Closure.objects.get(hub__isnull=True).reason == "Personeelsdag"


def test_citywide_closures_cannot_overlap_each_other(client, coordinator):
    ClosureFactory(hub=None, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3))
    client.force_login(coordinator)
    data = {"start_date": "2026-12-03", "end_date": "2026-12-04", "reason": "Personeelsdag"}
    response = client.post(_citywide_url(), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Closure.objects.filter(hub__isnull=True).count() == 1


def test_citywide_closure_end_before_start_is_refused(client, coordinator):
    client.force_login(coordinator)
    data = {"start_date": "2026-12-03", "end_date": "2026-12-01", "reason": "Personeelsdag"}
    response = client.post(_citywide_url(), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["end_date"]


def test_citywide_closure_is_changed_and_deleted(client, coordinator):
    closure = ClosureFactory(
        hub=None, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 1)
    )
    client.force_login(coordinator)
    response = client.get(_citywide_url(), {"wijzig": closure.pk})
    assert response.context["editing"] == closure
    data = {"start_date": "2026-12-01", "end_date": "2026-12-02", "reason": "Studiedag"}
    response = client.post(f"{_citywide_url()}?wijzig={closure.pk}", data)
    assert response.status_code == 302
    closure.refresh_from_db()
    assert (closure.end_date, closure.reason) == (dt.date(2026, 12, 2), "Studiedag")
    assert Closure.objects.count() == 1

    response = client.post(_citywide_url(), {"delete": closure.pk})
    assert response.status_code == 302
    assert not Closure.objects.exists()


def test_citywide_page_cannot_touch_a_hub_closure(client, coordinator, hub):
    closure = ClosureFactory(hub=hub)
    client.force_login(coordinator)
    assert client.get(_citywide_url(), {"wijzig": closure.pk}).status_code == 404
    assert client.get(_citywide_url(), {"wijzig": "abc"}).status_code == 404
    assert client.post(_citywide_url(), {"delete": closure.pk}).status_code == 404
    assert client.post(_citywide_url(), {"delete": "abc"}).status_code == 404
    assert Closure.objects.filter(pk=closure.pk).exists()


@pytest.mark.parametrize("who", ["wijkmanager", "outsider", "host", "medewerker"])
def test_only_coordinator_manages_citywide_closures(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_citywide_url()).status_code == 403
    data = {"start_date": "2026-12-02", "end_date": "2026-12-02", "reason": "Personeelsdag"}
    assert client.post(_citywide_url(), data).status_code == 403
    assert not Closure.objects.exists()


def test_citywide_closures_refuse_put(client, coordinator):
    client.force_login(coordinator)
    assert client.put(_citywide_url()).status_code == 405
