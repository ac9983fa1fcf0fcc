"""Hand-over requests (scheduling:handovers): who sees them, taking one over."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hubs.constants import Dagdeel
from scheduling import services
from scheduling.constants import HandoverStatus, SignUpStatus
from scheduling.models import SignUp
from tests.factories import HubFactory, make_shift, staff_member

AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=AMS)
URL = reverse("scheduling:handovers")
# Five dagdelen within the 48-hour cut-off.
SOON = [
    (dt.date(2026, 11, 30), Dagdeel.MIDDAG),
    (dt.date(2026, 11, 30), Dagdeel.AVOND),
    (dt.date(2026, 12, 1), Dagdeel.OCHTEND),
    (dt.date(2026, 12, 1), Dagdeel.MIDDAG),
    (dt.date(2026, 12, 1), Dagdeel.AVOND),
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def _ask(hub, day=dt.date(2026, 12, 1), reason="Ziek", dagdeel=Dagdeel.OCHTEND):
    """Someone with a place within 48 hours cancels: the shift would fall below its
    minimum, so it becomes a hand-over request."""
    shift = make_shift(hub=hub, day=day, dagdeel=dagdeel, min_staff=2, max_staff=3)
    asker = staff_member(first_name="Fatima", last_name="Bakker")
    place = services.signup_create(shift_id=shift.pk, user=asker)
    return services.signup_cancel(signup_id=place.pk, user=asker, reason=reason).handover


@pytest.fixture
def requests(hub, other_hub):
    return {"mine": _ask(hub), "other": _ask(other_hub, reason="Cursus")}


def _shown(client, user):
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return {h.pk for h in response.context["handovers"]}


@pytest.mark.parametrize("role", ["medewerker", "kcc", "host", "coordinator"])
def test_colleagues_and_the_coordinator_see_every_open_request(client, cast, requests, role):
    assert _shown(client, cast[role]) == {h.pk for h in requests.values()}


def test_a_wijkmanager_sees_the_requests_of_their_own_hubs(client, wijkmanager, requests):
    assert _shown(client, wijkmanager) == {requests["mine"].pk}


def test_past_and_closed_requests_are_not_listed(client, medewerker, hub, other_hub, frozen):
    withdrawn = _ask(hub, day=dt.date(2026, 12, 2))
    services.handover_withdraw(handover_id=withdrawn.pk, user=withdrawn.signup.user)
    frozen.move_to(dt.datetime(2026, 11, 29, 18, 0, tzinfo=AMS), tick=False)
    begun = _ask(other_hub, day=dt.date(2026, 11, 30))  # 09:00 today: begun by 10:00
    frozen.move_to(NOW, tick=False)
    open_one = _ask(hub)
    assert _shown(client, medewerker) == {open_one.pk}
    assert begun.status == HandoverStatus.OPEN


def test_the_page_shows_who_asks_and_why(client, medewerker, requests):
    client.force_login(medewerker)
    page = client.get(URL).content.decode()
    assert "Fatima Bakker" in page
    assert "Cursus" in page
    assert reverse("scheduling:handover_take", args=[requests["mine"].pk]) in page


def test_a_wijkraad_member_may_not_see_the_requests(client, wijkraad):
    client.force_login(wijkraad)
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_the_login(client):
    assert client.get(URL)["Location"].startswith(reverse("account_login"))


def test_taking_over_moves_the_place(client, medewerker, requests):
    handover = requests["mine"]
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:handover_take", args=[handover.pk]), {"next": URL})
    assert response["Location"] == URL
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.TAKEN and handover.taken_by == medewerker
    assert handover.signup.status == SignUpStatus.CANCELLED
    assert SignUp.objects.get(user=medewerker).status == SignUpStatus.CONFIRMED


def test_taking_over_twice_says_someone_already_did(client, medewerker, kcc, requests):
    handover = requests["mine"]
    services.handover_take(handover_id=handover.pk, user=kcc)
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:handover_take", args=[handover.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        nl("Someone else has already taken over this place.")
    ]
    assert not SignUp.objects.filter(user=medewerker).exists()


def test_a_forged_request_id_gets_a_message(client, medewerker):
    client.force_login(medewerker)
    response = client.post(reverse("scheduling:handover_take", args=[987654]), follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        nl("This hand-over request does not exist.")
    ]


def test_taking_over_needs_post(client, medewerker, requests):
    client.force_login(medewerker)
    url = reverse("scheduling:handover_take", args=[requests["mine"].pk])
    assert client.get(url).status_code == 405


def test_a_wijkraad_member_may_not_take_over(client, wijkraad, requests):
    client.force_login(wijkraad)
    url = reverse("scheduling:handover_take", args=[requests["mine"].pk])
    assert client.post(url).status_code == 403
    assert requests["mine"].status == HandoverStatus.OPEN


def test_the_asker_sees_a_withdraw_button_not_take_over(client, requests):
    handover = requests["mine"]
    client.force_login(handover.signup.user)
    page = client.get(URL).content.decode()
    assert reverse("scheduling:handover_withdraw", args=[handover.pk]) in page
    assert reverse("scheduling:handover_take", args=[handover.pk]) not in page


def test_the_list_takes_the_same_queries_for_few_or_many_requests(
    client, medewerker, hub, django_assert_num_queries
):
    client.force_login(medewerker)
    counts = []
    for round_hub in [hub, HubFactory()]:
        for day, dagdeel in SOON:
            _ask(round_hub, day=day, dagdeel=dagdeel)
        with django_assert_num_queries(4):
            # 1 session, 2 user, 3 roles, 4 the requests with shift, hub and person.
            response = client.get(URL)
        counts.append(len(response.context["handovers"]))
    assert counts == [5, 10]
