""" "Mijn dagdelen" (scheduling:mine) and resetting the calendar address."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from hubs.constants import Dagdeel
from scheduling import services
from scheduling.constants import HandoverStatus
from scheduling.models import CalendarFeed, HandoverRequest, Shift, SignUp
from tests.factories import HubFactory, make_shift, staff_member

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=AMS)
URL = reverse("scheduling:mine")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_wijkraad_member_has_no_dagdelen_page(client, wijkraad):
    client.force_login(wijkraad)
    assert client.get(URL).status_code == 403


def test_the_page_cannot_be_posted_to(client, medewerker):
    client.force_login(medewerker)
    assert client.post(URL).status_code == 405


def test_it_lists_places_waitlist_hand_overs_and_past_places(client, medewerker, frozen):
    feijenoord = HubFactory(name="Feijenoord")
    bloemhof = HubFactory(name="Bloemhof")
    crooswijk = HubFactory(name="Crooswijk")
    past = make_shift(hub=feijenoord, day=dt.date(2026, 11, 23), min_staff=1)
    soon = make_shift(hub=bloemhof, day=dt.date(2026, 12, 1), min_staff=2)
    later = make_shift(hub=feijenoord, day=dt.date(2026, 12, 7), min_staff=1)
    full = make_shift(hub=crooswijk, day=dt.date(2026, 12, 8), min_staff=1, max_staff=1)
    frozen.move_to(dt.datetime(2026, 11, 20, 10, 0, tzinfo=AMS), tick=False)
    gone = services.signup_create(shift_id=past.pk, user=medewerker)
    SignUp.objects.filter(pk=gone.pk).update(attended=True)
    frozen.move_to(NOW, tick=False)
    handing_over = services.signup_create(shift_id=soon.pk, user=medewerker)
    handover = services.signup_cancel(signup_id=handing_over.pk, user=medewerker).handover
    place = services.signup_create(shift_id=later.pk, user=medewerker)
    services.signup_create(shift_id=full.pk, user=staff_member())
    waiting = services.waitlist_join(shift_id=full.pk, user=medewerker)

    client.force_login(medewerker)
    response = client.get(URL)

    roster = response.context["roster"]
    assert [s.pk for s in roster.places] == [handing_over.pk, place.pk]
    assert [s.pk for s in roster.handovers] == [handing_over.pk]
    assert [(s.pk, s.waitlist_ahead) for s in roster.waitlist] == [(waiting.pk, 0)]
    assert [s.pk for s in roster.past] == [gone.pk]
    page = response.content.decode()
    assert reverse("scheduling:cancel", args=[place.pk]) in page
    assert reverse("scheduling:cancel", args=[waiting.pk]) in page
    assert reverse("scheduling:handover_withdraw", args=[handover.pk]) in page
    assert nl("present") in page
    assert "Crooswijk" in page


def test_the_calendar_address_is_made_on_the_first_visit(client, medewerker):
    client.force_login(medewerker)
    response = client.get(URL)
    feed = CalendarFeed.objects.get(user=medewerker)
    https = f"http://testserver/rooster/agenda/{feed.token}.ics"
    assert response.context["feed_urls"] == {
        "https": https,
        "webcal": f"webcal://testserver/rooster/agenda/{feed.token}.ics",
    }
    assert https in response.content.decode()
    client.get(URL)
    assert CalendarFeed.objects.filter(user=medewerker).count() == 1


def test_a_new_address_makes_the_old_one_stop_working(client, medewerker):
    client.force_login(medewerker)
    client.get(URL)
    old = CalendarFeed.objects.get(user=medewerker).token
    response = client.post(reverse("scheduling:feed_reset"))
    assert response.status_code == 302
    assert response["Location"] == URL + "#agenda"
    new = CalendarFeed.objects.get(user=medewerker).token
    assert new != old
    client.logout()
    assert client.get(reverse("scheduling:feed", args=[old])).status_code == 404
    assert client.get(reverse("scheduling:feed", args=[new])).status_code == 200


def test_the_address_cannot_be_reset_with_get(client, medewerker):
    client.force_login(medewerker)
    client.get(URL)
    old = CalendarFeed.objects.get(user=medewerker).token
    assert client.get(reverse("scheduling:feed_reset")).status_code == 405
    assert CalendarFeed.objects.get(user=medewerker).token == old


def test_a_wijkraad_member_cannot_reset_an_address(client, wijkraad):
    client.force_login(wijkraad)
    assert client.post(reverse("scheduling:feed_reset")).status_code == 403


def test_withdrawing_a_hand_over_keeps_the_place(client, medewerker):
    shift = make_shift(day=dt.date(2026, 12, 1), min_staff=2)
    place = services.signup_create(shift_id=shift.pk, user=medewerker)
    handover = services.signup_cancel(signup_id=place.pk, user=medewerker).handover
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:handover_withdraw", args=[handover.pk]))
    assert response["Location"] == URL
    handover.refresh_from_db()
    place.refresh_from_db()
    assert handover.status == HandoverStatus.WITHDRAWN
    assert place.is_confirmed


def test_nobody_can_withdraw_someone_elses_hand_over(client, medewerker):
    shift = make_shift(day=dt.date(2026, 12, 1), min_staff=2)
    asker = staff_member()
    place = services.signup_create(shift_id=shift.pk, user=asker)
    handover = services.signup_cancel(signup_id=place.pk, user=asker).handover
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:handover_withdraw", args=[handover.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        nl("This hand-over request is no longer open.")
    ]
    assert HandoverRequest.objects.get(pk=handover.pk).status == HandoverStatus.OPEN


def _history(me: User, count: int) -> None:
    """``count`` sign-ups of mine: past places, coming places, waitlist places and one
    hand-over request, on shifts of several hubs (one shift per sign-up)."""
    hubs = [HubFactory() for _ in range(4)]
    shifts = [
        make_shift(
            hub=hubs[i % 4],
            day=NOW.date() + dt.timedelta(days=i // 2 - count // 4),  # half past, half coming
            dagdeel=[Dagdeel.OCHTEND, Dagdeel.MIDDAG][i % 2],
            min_staff=1,
            max_staff=2,
        )
        for i in range(count)
    ]
    SignUp.objects.bulk_create(
        SignUp(
            shift=shift,
            user=me,
            date=shift.date,
            dagdeel=shift.dagdeel,
            status="waitlisted" if i % 5 == 0 else "confirmed",
            attended=True if shift.date < NOW.date() else None,
        )
        for i, shift in enumerate(shifts)
    )
    Shift.objects.filter(signups__status="confirmed").update(confirmed_count=1)
    coming = SignUp.objects.filter(user=me, status="confirmed", date__gt=NOW.date()).first()
    HandoverRequest.objects.create(signup=coming, reason="Ziek")


@pytest.mark.parametrize("signups", [10, 500])
def test_the_page_takes_the_same_queries_for_10_or_500_signups(
    client, medewerker, django_assert_num_queries, signups
):
    _history(medewerker, signups)
    client.force_login(medewerker)
    client.get(URL)  # makes the calendar address
    # 1 session, 2 user, 3 roles (Access), 4 the calendar address, 5 coming sign-ups
    # (with shift, hub, hand-over and waitlist position), 6 the most recent past
    # places.
    with django_assert_num_queries(6):
        response = client.get(URL)
    roster = response.context["roster"]
    assert roster.past and roster.places and roster.waitlist and roster.handovers


# What drew a sign-up's date, dagdeel and hub (scheduling/_signup_shift.html) before
# {% signup_shift %} wrote them in Python.
OLD_SIGNUP_SHIFT = """{% load i18n %}<td>{{ entry.shift.date|date:"l j F Y" }}</td>
<td>{{ entry.shift.get_dagdeel_display }}<span class="d-block small text-body-secondary">{{ entry.shift.starts_at|time:"H:i" }}–{{ entry.shift.ends_at|time:"H:i" }}</span></td>
<th scope="row">{{ entry.shift.hub.name }}</th>"""  # noqa: E501


def test_the_signup_rows_are_the_markup_the_template_drew(client, medewerker):
    hub = HubFactory(name="Hillesluis & 'Bloemhof'")
    for day, dagdeel in [(dt.date(2026, 12, 1), Dagdeel.OCHTEND), (dt.date(2026, 12, 3), "avond")]:
        services.signup_create(
            shift_id=make_shift(hub=hub, day=day, dagdeel=dagdeel).pk, user=medewerker
        )
    client.force_login(medewerker)
    places = client.get(URL).context["roster"].places
    assert len(places) == 2
    with translation.override("nl"):
        old, new = Template(OLD_SIGNUP_SHIFT), Template("{% load roster %}{% signup_shift entry %}")
        for entry in places:
            expected = old.render(Context({"entry": entry}))
            assert new.render(Context({"entry": entry})) == expected
    assert "<td>donderdag 3 december 2026</td>" in expected
    assert "Hillesluis &amp; &#x27;Bloemhof&#x27;" in expected
