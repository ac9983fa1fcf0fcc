"""The rostering rules, straight through the services and once more through the views.

Time is frozen on Monday 30 November 2026, 10:00; the shifts are a week later
(Monday 7 December, 09:00–12:30) unless a test says otherwise.
"""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hubs.constants import Dagdeel
from scheduling import services
from scheduling.constants import HandoverStatus, NotificationKind, SignUpStatus
from scheduling.models import ClusterOffer, HandoverRequest, SignUp
from scheduling.selectors import places_for_many
from scheduling.services import RosterError, ShiftFull
from tests.factories import ClusterFactory, HubFactory, make_shift, staff_member

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=AMS)
DAY = dt.date(2026, 12, 7)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- full -> waitlist ----------------------------------------------------------------------


def test_a_full_shift_refuses_a_place_and_offers_the_waitlist():
    shift = make_shift(min_staff=1, max_staff=1)
    services.signup_create(shift_id=shift.pk, user=staff_member())
    late = staff_member()
    with pytest.raises(ShiftFull) as refused:
        services.signup_create(shift_id=shift.pk, user=late)
    assert refused.value.code == "full"
    entry = services.waitlist_join(shift_id=shift.pk, user=late)
    assert entry.status == SignUpStatus.WAITLISTED
    shift.refresh_from_db()
    assert shift.confirmed_count == 1


def test_the_waitlist_is_refused_while_there_is_a_place():
    shift = make_shift(min_staff=1, max_staff=2)
    with pytest.raises(RosterError) as refused:
        services.waitlist_join(shift_id=shift.pk, user=staff_member())
    assert refused.value.code == "not_full"


def test_signing_up_for_a_full_shift_in_the_grid_says_vol_and_shows_the_waitlist_button(
    client, medewerker
):
    shift = make_shift(min_staff=1, max_staff=1)
    services.signup_create(shift_id=shift.pk, user=staff_member())
    client.force_login(medewerker)
    week = reverse("scheduling:week") + "?week=2026-12-07"
    response = client.post(
        reverse("scheduling:signup", args=[shift.pk]), {"next": week}, follow=True
    )
    assert response.redirect_chain == [(week, 302)]
    assert nl("This dagdeel is full. You can join the waitlist.") in _messages(response)
    assert reverse("scheduling:waitlist", args=[shift.pk]).encode() in response.content
    assert not SignUp.objects.filter(user=medewerker).exists()


# --- waitlist promotion --------------------------------------------------------------------


def test_a_freed_place_goes_to_the_first_on_the_waitlist_who_is_told(
    django_capture_on_commit_callbacks,
):
    shift = make_shift(min_staff=1, max_staff=1)
    holder, first, second = staff_member(), staff_member(), staff_member()
    place = services.signup_create(shift_id=shift.pk, user=holder)
    first_entry = services.waitlist_join(shift_id=shift.pk, user=first)
    frozen_later = NOW + dt.timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=frozen_later):
        second_entry = services.waitlist_join(shift_id=shift.pk, user=second)

    with (
        mock.patch("scheduling.tasks.notify.delay") as notify,
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = services.signup_cancel(signup_id=place.pk, user=holder)

    assert result.cancelled and result.handover is None
    first_entry.refresh_from_db()
    second_entry.refresh_from_db()
    assert first_entry.status == SignUpStatus.CONFIRMED
    assert second_entry.status == SignUpStatus.WAITLISTED
    notify.assert_called_once_with(NotificationKind.WAITLIST_PROMOTED, [first_entry.pk])
    shift.refresh_from_db()
    assert shift.confirmed_count == 1


def test_cancelling_in_the_grid_promotes_the_waitlist(client, medewerker):
    shift = make_shift(min_staff=1, max_staff=1)
    place = services.signup_create(shift_id=shift.pk, user=medewerker)
    waiting = services.waitlist_join(shift_id=shift.pk, user=staff_member())
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:cancel", args=[place.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == SignUpStatus.CONFIRMED


# --- one place per dagdeel, not in the past, not when closed ----------------------------------


def test_no_two_places_in_the_same_dagdeel_at_two_hubs():
    person = staff_member()
    here = make_shift(hub=HubFactory(name="Feijenoord"))
    there = make_shift(hub=HubFactory(name="Bloemhof"))
    services.signup_create(shift_id=here.pk, user=person)
    with pytest.raises(RosterError) as refused:
        services.signup_create(shift_id=there.pk, user=person)
    assert refused.value.code == "double"
    assert "Feijenoord" in str(refused.value.message)
    # The afternoon of the same day is another dagdeel: that is fine.
    afternoon = make_shift(hub=there.hub, dagdeel=Dagdeel.MIDDAG)
    services.signup_create(shift_id=afternoon.pk, user=person)


def test_a_double_booking_through_the_view_gets_a_message_and_no_second_place(client, medewerker):
    here = make_shift(hub=HubFactory(name="Feijenoord"))
    there = make_shift(hub=HubFactory(name="Bloemhof"))
    services.signup_create(shift_id=here.pk, user=medewerker)
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:signup", args=[there.pk]), follow=True)
    assert response.status_code == 200
    with translation.override("nl"):
        expected = str(
            gettext("You already have a place in this dagdeel, at %(hub)s.") % {"hub": "Feijenoord"}
        )
    assert expected in _messages(response)
    assert SignUp.objects.filter(user=medewerker).count() == 1


def test_no_place_in_a_dagdeel_that_has_begun(frozen):
    shift = make_shift(day=DAY)
    frozen.move_to(dt.datetime(2026, 12, 7, 9, 30, tzinfo=AMS), tick=False)
    with pytest.raises(RosterError) as refused:
        services.signup_create(shift_id=shift.pk, user=staff_member())
    assert refused.value.code == "past"


def test_a_past_dagdeel_through_the_view_gets_a_message(client, medewerker):
    shift = make_shift(day=dt.date(2026, 11, 23))
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:signup", args=[shift.pk]), follow=True)
    assert nl("This dagdeel has already begun or is over.") in _messages(response)
    assert not SignUp.objects.exists()


def test_no_place_on_a_closed_dagdeel():
    shift = make_shift()
    services.shift_cancel(shift=shift, reason="Verbouwing")
    with pytest.raises(RosterError) as refused:
        services.signup_create(shift_id=shift.pk, user=staff_member())
    assert refused.value.code == "closed"
    assert "Verbouwing" in str(refused.value.message)


def test_a_closed_dagdeel_through_the_view_gets_a_message(client, medewerker):
    shift = make_shift()
    services.shift_cancel(shift=shift, reason="Verbouwing")
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:signup", args=[shift.pk]), follow=True)
    (message,) = _messages(response)
    assert "Verbouwing" in message
    assert not SignUp.objects.exists()


# --- cancelling and handing over -------------------------------------------------------------


def test_cancelling_before_the_cutoff_frees_the_place():
    shift = make_shift(min_staff=2, max_staff=3)
    person = staff_member()
    place = services.signup_create(shift_id=shift.pk, user=person)
    result = services.signup_cancel(signup_id=place.pk, user=person)
    assert result.cancelled
    place.refresh_from_db()
    shift.refresh_from_db()
    assert place.status == SignUpStatus.CANCELLED
    assert shift.confirmed_count == 0


def test_cancelling_inside_the_cutoff_above_the_minimum_frees_the_place(frozen):
    shift = make_shift(min_staff=1, max_staff=3)
    person = staff_member()
    place = services.signup_create(shift_id=shift.pk, user=person)
    services.signup_create(shift_id=shift.pk, user=staff_member())
    frozen.move_to(dt.datetime(2026, 12, 6, 12, 0, tzinfo=AMS), tick=False)
    result = services.signup_cancel(signup_id=place.pk, user=person)
    assert result.cancelled and result.handover is None


def test_cancelling_inside_the_cutoff_below_the_minimum_asks_for_a_hand_over(frozen):
    shift = make_shift(min_staff=2, max_staff=3)
    asker, colleague, taker = staff_member(), staff_member(), staff_member()
    place = services.signup_create(shift_id=shift.pk, user=asker)
    services.signup_create(shift_id=shift.pk, user=colleague)
    frozen.move_to(dt.datetime(2026, 12, 6, 12, 0, tzinfo=AMS), tick=False)  # 21 h before

    result = services.signup_cancel(signup_id=place.pk, user=asker, reason="Ziek")

    assert not result.cancelled
    handover = result.handover
    assert handover.status == HandoverStatus.OPEN and handover.reason == "Ziek"
    place.refresh_from_db()
    assert place.status == SignUpStatus.CONFIRMED  # the place is kept

    taken = services.handover_take(handover_id=handover.pk, user=taker)

    place.refresh_from_db()
    handover.refresh_from_db()
    shift.refresh_from_db()
    assert place.status == SignUpStatus.CANCELLED
    assert taken.user == taker and taken.status == SignUpStatus.CONFIRMED
    assert handover.status == HandoverStatus.TAKEN and handover.taken_by == taker
    assert shift.confirmed_count == 2


def test_cancelling_inside_the_cutoff_through_the_view_says_the_place_is_kept(
    client, medewerker, frozen
):
    shift = make_shift(min_staff=2, max_staff=3)
    place = services.signup_create(shift_id=shift.pk, user=medewerker)
    frozen.move_to(dt.datetime(2026, 12, 6, 12, 0, tzinfo=AMS), tick=False)
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:cancel", args=[place.pk]), follow=True)
    (message,) = _messages(response)
    assert "48" in message
    assert HandoverRequest.objects.filter(signup=place, status=HandoverStatus.OPEN).exists()
    place.refresh_from_db()
    assert place.status == SignUpStatus.CONFIRMED


# --- cluster offers -----------------------------------------------------------------------


@pytest.fixture
def offered_shift():
    """Two places; one is kept for Stadsbeheer until 3 December."""
    shift = make_shift(min_staff=1, max_staff=2)
    ClusterOffer.objects.create(
        shift=shift,
        cluster=ClusterFactory(name="Stadsbeheer"),
        places=1,
        release_at=dt.datetime(2026, 12, 3, 12, 0, tzinfo=AMS),
    )
    services.signup_create(shift_id=shift.pk, user=staff_member())
    return shift


def test_a_non_member_cannot_take_a_reserved_place_before_its_release(offered_shift):
    outsider = staff_member(cluster=ClusterFactory(name="Werk en Inkomen"))
    assert services.places_for(offered_shift, outsider) == 0
    with pytest.raises(ShiftFull):
        services.signup_create(shift_id=offered_shift.pk, user=outsider)


def test_a_non_member_can_take_a_reserved_place_after_its_release(offered_shift, frozen):
    outsider = staff_member(cluster=ClusterFactory(name="Werk en Inkomen"))
    frozen.move_to(dt.datetime(2026, 12, 3, 12, 1, tzinfo=AMS), tick=False)
    place = services.signup_create(shift_id=offered_shift.pk, user=outsider)
    assert place.is_confirmed


def test_a_member_can_take_a_reserved_place(offered_shift):
    member = staff_member(cluster=ClusterFactory(name="Stadsbeheer"))
    place = services.signup_create(shift_id=offered_shift.pk, user=member)
    assert place.is_confirmed


def test_the_grid_offers_the_waitlist_to_a_non_member_and_a_place_to_a_member(
    client, offered_shift
):
    outsider = staff_member(cluster=ClusterFactory(name="Werk en Inkomen"))
    member = staff_member(cluster=ClusterFactory(name="Stadsbeheer"))
    url = reverse("scheduling:week") + "?week=2026-12-07"
    client.force_login(outsider)
    page = client.get(url).content.decode()
    assert reverse("scheduling:waitlist", args=[offered_shift.pk]) in page
    assert reverse("scheduling:signup", args=[offered_shift.pk]) not in page
    client.force_login(member)
    page = client.get(url).content.decode()
    assert reverse("scheduling:signup", args=[offered_shift.pk]) in page


def test_places_for_many_agrees_with_places_for(offered_shift):
    plain = make_shift(min_staff=1, max_staff=3, dagdeel=Dagdeel.MIDDAG)
    people = [
        staff_member(cluster=ClusterFactory(name="Stadsbeheer")),
        staff_member(cluster=ClusterFactory(name="Werk en Inkomen")),
        staff_member(),
    ]
    offered_shift.refresh_from_db()  # the bulk version reads the counter on the shift
    shifts = [offered_shift, plain]
    for person in people:
        bulk = places_for_many(shifts, person, NOW, DAY, DAY)
        assert bulk == {s.pk: services.places_for(s, person, NOW) for s in shifts}
