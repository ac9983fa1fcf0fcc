"""Signing up, joining the waitlist and cancelling: the POST views without htmx (PRG)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from scheduling import services
from scheduling.constants import SignUpStatus
from scheduling.models import SignUp
from tests.factories import HubFactory, make_shift, staff_member

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=AMS)
WEEK = reverse("scheduling:week") + "?week=2026-12-07&hub=hillesluis"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def shift():
    return make_shift(hub=HubFactory(name="Hillesluis"), min_staff=1, max_staff=2)


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_signing_up_takes_the_place_and_goes_back_to_the_page(client, medewerker, shift):
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:signup", args=[shift.pk]), {"next": WEEK})
    assert response.status_code == 302
    assert response["Location"] == WEEK
    place = SignUp.objects.get(user=medewerker)
    assert place.status == SignUpStatus.CONFIRMED
    shift.refresh_from_db()
    assert shift.confirmed_count == 1
    (message,) = _messages(client.get(WEEK))
    assert "Hillesluis" in message


@pytest.mark.parametrize("role", ["host", "kcc", "wijkmanager", "coordinator"])
def test_every_signing_up_role_can_sign_up(client, cast, shift, role):
    client.force_login(cast[role])
    client.post(reverse("scheduling:signup", args=[shift.pk]))
    assert SignUp.objects.filter(user=cast[role], status=SignUpStatus.CONFIRMED).exists()


@pytest.mark.parametrize("name", ["signup", "waitlist"])
def test_get_is_not_allowed(client, medewerker, shift, name):
    client.force_login(medewerker)
    assert client.get(reverse(f"scheduling:{name}", args=[shift.pk])).status_code == 405


def test_get_on_cancel_is_not_allowed(client, medewerker, shift):
    place = services.signup_create(shift_id=shift.pk, user=medewerker)
    client.force_login(medewerker)
    assert client.get(reverse("scheduling:cancel", args=[place.pk])).status_code == 405
    place.refresh_from_db()
    assert place.is_confirmed


def test_anonymous_is_sent_to_the_login(client, shift):
    response = client.post(reverse("scheduling:signup", args=[shift.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not SignUp.objects.exists()


@pytest.mark.parametrize("name", ["signup", "waitlist"])
def test_a_wijkraad_member_may_not_sign_up(client, wijkraad, shift, name):
    client.force_login(wijkraad)
    assert client.post(reverse(f"scheduling:{name}", args=[shift.pk])).status_code == 403
    assert not SignUp.objects.exists()


def test_a_forged_shift_id_gets_a_message_not_an_error(client, medewerker):
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:signup", args=[424242]), follow=True)
    assert response.status_code == 200
    assert _messages(response) == [nl("This dagdeel does not exist (any more).")]
    assert not SignUp.objects.exists()


def test_a_non_numeric_shift_id_is_not_found(client, medewerker):
    client.force_login(medewerker)
    assert client.post("/rooster/dagdeel/abc/aanmelden/").status_code == 404


def test_a_replayed_form_says_already_signed_up_and_keeps_one_place(client, medewerker, shift):
    client.force_login(medewerker)
    url = reverse("scheduling:signup", args=[shift.pk])
    client.post(url, {"next": WEEK}, follow=True)
    response = client.post(url, {"next": WEEK}, follow=True)
    assert _messages(response) == [nl("You are already signed up for this dagdeel.")]
    assert SignUp.objects.filter(user=medewerker).count() == 1
    shift.refresh_from_db()
    assert shift.confirmed_count == 1


def test_a_replayed_waitlist_form_says_already_on_the_waitlist(client, medewerker, shift):
    for _ in range(2):
        services.signup_create(shift_id=shift.pk, user=staff_member())
    client.force_login(medewerker)
    url = reverse("scheduling:waitlist", args=[shift.pk])
    client.post(url, follow=True)
    response = client.post(url, follow=True)
    assert _messages(response) == [nl("You are already on the waitlist for this dagdeel.")]
    assert SignUp.objects.filter(user=medewerker).count() == 1


@pytest.mark.parametrize(
    "bad_next",
    # Not a path: before, redirect() took these for URL names and answered 500.
    ["https://evil.example/", "//evil.example/x", "", "<img src=x>", "scheduling:mine", "week"],
)
def test_an_outside_next_address_falls_back_to_the_grid(client, medewerker, shift, bad_next):
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:signup", args=[shift.pk]), {"next": bad_next})
    assert response["Location"] == reverse("scheduling:week")


def test_cancelling_frees_the_place_and_says_so(client, medewerker, shift):
    place = services.signup_create(shift_id=shift.pk, user=medewerker)
    client.force_login(medewerker)
    mine = reverse("scheduling:mine")
    response = client.post(reverse("scheduling:cancel", args=[place.pk]), {"next": mine})
    assert response["Location"] == mine
    place.refresh_from_db()
    assert place.status == SignUpStatus.CANCELLED
    (message,) = _messages(client.get(mine))
    assert "Hillesluis" in message


def test_cancelling_twice_says_it_was_already_cancelled(client, medewerker, shift):
    place = services.signup_create(shift_id=shift.pk, user=medewerker)
    client.force_login(medewerker)
    client.post(reverse("scheduling:cancel", args=[place.pk]), follow=True)
    response = client.post(reverse("scheduling:cancel", args=[place.pk]), follow=True)
    assert _messages(response) == [nl("This sign-up was already cancelled.")]


def test_nobody_can_cancel_someone_elses_place(client, medewerker, shift):
    place = services.signup_create(shift_id=shift.pk, user=staff_member())
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:cancel", args=[place.pk]), follow=True)
    assert _messages(response) == [nl("This sign-up does not exist (any more).")]
    place.refresh_from_db()
    assert place.is_confirmed


def test_leaving_the_waitlist(client, medewerker, shift):
    for _ in range(2):
        services.signup_create(shift_id=shift.pk, user=staff_member())
    entry = services.waitlist_join(shift_id=shift.pk, user=medewerker)
    client.force_login(medewerker)
    client.post(reverse("scheduling:cancel", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == SignUpStatus.CANCELLED
