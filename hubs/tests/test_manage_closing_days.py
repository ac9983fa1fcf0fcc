"""The city's list of closing days (coordinators only)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from hubs.constants import ClosingDaySource
from hubs.models import ClosingDay
from tests.factories import ClosingDayFactory

pytestmark = pytest.mark.django_db

URL = "/beheer/sluitingsdagen/"


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_url_plan_is_as_expected():
    assert reverse("manage:closing_days") == URL


def test_closing_days_of_this_year_by_default_and_of_a_chosen_year(client, coordinator):
    ClosingDayFactory(date=dt.date(2026, 12, 25), name="Eerste Kerstdag")
    ClosingDayFactory(date=dt.date(2027, 4, 27), name="Koningsdag")
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["year"] == 2026
    assert [d.name for d in response.context["days"]] == ["Eerste Kerstdag"]
    response = client.get(URL, {"jaar": "2027"})
    assert [d.name for d in response.context["days"]] == ["Koningsdag"]


@pytest.mark.parametrize("value", ["abc", "20267", "-1", "1999", "2026.5", "9" * 40])
def test_malformed_or_absurd_year_shows_a_message_not_a_500(client, coordinator, value):
    client.force_login(coordinator)
    response = client.get(URL, {"jaar": value})
    assert response.status_code == 200
    assert response.context["year"] == 2026
    assert response.context["year_error"]
    assert 'role="alert"' in response.content.decode()


def test_closing_day_is_added(client, coordinator):
    client.force_login(coordinator)
    data = {"add": "1", "date": "2027-01-02", "name": "Brugdag", "is_closed": "on"}
    response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?jaar=2027"
    day = ClosingDay.objects.get()
    assert (day.date, day.name, day.is_closed, day.source) == (
        dt.date(2027, 1, 2),
        "Brugdag",
        True,
        ClosingDaySource.MANUAL,
    )


def test_date_already_on_the_list_is_refused(client, coordinator):
    ClosingDayFactory(date=dt.date(2026, 12, 25), name="Eerste Kerstdag")
    client.force_login(coordinator)
    data = {"add": "1", "date": "2026-12-25", "name": "Kerst", "is_closed": "on"}
    response = client.post(URL, data)
    assert response.status_code == 200
    errors = response.context["add_form"].errors
    assert list(errors) == ["date"] and "Eerste Kerstdag" in errors["date"][0]
    assert 'value="Kerst"' in response.content.decode()
    assert ClosingDay.objects.count() == 1


def test_malformed_date_is_refused(client, coordinator):
    client.force_login(coordinator)
    data = {"add": "1", "date": "32-12-2026", "name": "Onzin"}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert list(response.context["add_form"].errors) == ["date"]
    assert not ClosingDay.objects.exists()


def test_public_holidays_are_imported(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"import": "1", "year": "2027"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?jaar=2027"
    days = {d.date: d for d in ClosingDay.objects.all()}
    assert dt.date(2027, 4, 27) in days  # Koningsdag
    assert days[dt.date(2027, 5, 5)].is_closed  # Bevrijdingsdag, every year
    assert not days[dt.date(2027, 3, 26)].is_closed  # Goede Vrijdag: listed, open


@pytest.mark.parametrize("year", ["1850", "twee", ""])
def test_import_of_bad_year_is_refused(client, coordinator, year):
    client.force_login(coordinator)
    response = client.post(URL, {"import": "1", "year": year})
    assert response.status_code == 200
    assert list(response.context["import_form"].errors) == ["year"]
    assert not ClosingDay.objects.exists()


def test_post_without_an_action_redirects_with_a_message(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"name": "x"})
    assert response.status_code == 302
    assert not ClosingDay.objects.exists()


@pytest.mark.parametrize("who", ["wijkmanager", "outsider", "host", "medewerker", "kcc"])
def test_only_coordinator_manages_closing_days(client, request, who):
    day = ClosingDayFactory()
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"import": "1", "year": "2027"}).status_code == 403
    edit = reverse("manage:closing_day_edit", args=[day.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"name": "Anders"}).status_code == 403
    assert ClosingDay.objects.get().name == "Eerste kerstdag"


def test_closing_days_refuse_put(client, coordinator):
    client.force_login(coordinator)
    assert client.put(URL).status_code == 405


def test_closing_days_query_count(client, coordinator, django_assert_num_queries):
    for n in range(8):
        ClosingDayFactory(date=dt.date(2026, 1, 1) + dt.timedelta(days=30 * n), name=f"Dag {n}")
    client.force_login(coordinator)
    # session, user, role assignments, closing days of the year.
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert len(response.context["days"]) == 8


# --- closing_day_edit -----------------------------------------------------------------------


def test_closing_day_is_toggled_from_the_list(client, coordinator):
    day = ClosingDayFactory(date=dt.date(2026, 12, 25), name="Eerste kerstdag")
    client.force_login(coordinator)
    edit = reverse("manage:closing_day_edit", args=[day.pk])
    # The list's toggle button sends the name and leaves is_closed out to open the hubs.
    html = client.get(URL).content.decode()
    assert f'action="{edit}"' in html
    response = client.post(edit, {"name": "Eerste kerstdag"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?jaar=2026"
    day.refresh_from_db()
    assert not day.is_closed
    client.post(edit, {"name": "Eerste kerstdag", "is_closed": "on"})
    day.refresh_from_db()
    assert day.is_closed


def test_closing_day_is_renamed(client, coordinator):
    day = ClosingDayFactory()
    client.force_login(coordinator)
    edit = reverse("manage:closing_day_edit", args=[day.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"name": "Kerstmis", "is_closed": "on"})
    day.refresh_from_db()
    assert (day.name, day.date) == ("Kerstmis", dt.date(2026, 12, 25))


def test_closing_day_without_name_is_refused(client, coordinator):
    day = ClosingDayFactory()
    client.force_login(coordinator)
    response = client.post(reverse("manage:closing_day_edit", args=[day.pk]), {"name": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    day.refresh_from_db()
    assert day.is_closed


def test_unknown_closing_day_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("manage:closing_day_edit", args=[999])).status_code == 404


def test_closing_day_edit_refuses_put(client, coordinator):
    day = ClosingDayFactory()
    client.force_login(coordinator)
    assert client.put(reverse("manage:closing_day_edit", args=[day.pk])).status_code == 405
