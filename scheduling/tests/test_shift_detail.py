"""One dagdeel for its hub's team: who is in it, its staffing, and attendance."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from scheduling.constants import SignUpStatus
from scheduling.models import ClusterOffer, Shift, SignUp
from scheduling.services import signup_cancel, signup_create, waitlist_join
from tests.factories import ClusterFactory, give_role, make_shift, staff_member

# Tuesday 1 December 2026, 10:00 in Rotterdam; the shift is Monday 7 December, 09:00.
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
SHIFT_DAY = dt.date(2026, 12, 7)
DURING_SHIFT = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)  # 10:30 local

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


@pytest.fixture
def shift(hub, clock):
    return make_shift(hub=hub, day=SHIFT_DAY, min_staff=2, max_staff=2)


@pytest.fixture
def people(shift):
    """Two people in the shift (one of them from a cluster) and two on the waitlist."""
    stadsbeheer = ClusterFactory(name="Stadsbeheer")
    anna = staff_member(cluster=stadsbeheer, first_name="Anna", last_name="Bakker")
    bram = staff_member(role=Role.KCC, first_name="Bram", last_name="Claassen")
    cor = staff_member(first_name="Cor", last_name="Dekker")
    dina = staff_member(first_name="Dina", last_name="Evers")
    signup_create(shift_id=shift.pk, user=anna)
    signup_create(shift_id=shift.pk, user=bram)
    waitlist_join(shift_id=shift.pk, user=cor)
    waitlist_join(shift_id=shift.pk, user=dina)
    shift.refresh_from_db()
    return {"anna": anna, "bram": bram, "cor": cor, "dina": dina, "cluster": stadsbeheer}


# --- shift_detail ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["wijkmanager", "coordinator", "host"])
def test_the_hubs_team_sees_people_waitlist_handovers_and_offers(
    client, request, shift, people, clock, who
):
    ClusterOffer.objects.create(
        shift=shift, cluster=people["cluster"], places=1, release_at=NOW + dt.timedelta(days=2)
    )
    clock.move_to(dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC))  # inside the cut-off
    result = signup_cancel(signup_id=people["bram"].signups.get().pk, user=people["bram"])
    assert result.handover is not None
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("scheduling:shift_detail", args=[shift.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert [s.user for s in response.context["confirmed"]] == [people["anna"], people["bram"]]
    assert [s.user for s in response.context["waitlist"]] == [people["cor"], people["dina"]]
    assert html.index("Cor Dekker") < html.index("Dina Evers")
    assert "Stadsbeheer" in html
    assert _nl("KCC employee (14010)") in html  # Bram's role
    assert [h.signup.user for h in response.context["handovers"]] == [people["bram"]]
    assert [o.cluster for o in response.context["offers"]] == [people["cluster"]]


def test_only_managers_get_the_staffing_form(client, host, wijkmanager, shift):
    client.force_login(host)
    response = client.get(reverse("scheduling:shift_detail", args=[shift.pk]))
    assert response.context["staffing_form"] is None
    assert reverse("scheduling:shift_staffing", args=[shift.pk]) not in response.content.decode()
    client.force_login(wijkmanager)
    response = client.get(reverse("scheduling:shift_detail", args=[shift.pk]))
    assert response.context["staffing_form"] is not None
    assert reverse("scheduling:shift_staffing", args=[shift.pk]) in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "medewerker", "kcc", "wijkraad"])
def test_others_get_403(client, request, shift, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("scheduling:shift_detail", args=[shift.pk])).status_code == 403


def test_host_of_another_hub_gets_403(client, other_hub, shift):
    client.force_login(give_role(staff_member(role=Role.MEDEWERKER), Role.HOST, other_hub))
    assert client.get(reverse("scheduling:shift_detail", args=[shift.pk])).status_code == 403


def test_a_forged_shift_id_is_404(client, coordinator, shift):
    client.force_login(coordinator)
    assert client.get(reverse("scheduling:shift_detail", args=[shift.pk + 999])).status_code == 404
    # Larger than any database integer.
    assert client.get("/rooster/dagdeel/99999999999999999999999/").status_code == 404
    url = reverse("scheduling:shift_staffing", args=[shift.pk + 999])
    assert client.post(url, {"min_staff": 1, "max_staff": 2}).status_code == 404
    url = reverse("scheduling:attendance", args=[shift.pk + 999])
    assert client.post(url, {}).status_code == 404


def test_shift_detail_refuses_post(client, coordinator, shift):
    client.force_login(coordinator)
    assert client.post(reverse("scheduling:shift_detail", args=[shift.pk])).status_code == 405


@pytest.mark.parametrize("size", [2, 20])
def test_shift_detail_query_count_does_not_grow_with_people(
    client, coordinator, hub, clock, size, django_assert_num_queries
):
    shift = make_shift(hub=hub, day=SHIFT_DAY, min_staff=1, max_staff=size)
    for _ in range(size):
        signup_create(shift_id=shift.pk, user=staff_member(cluster=ClusterFactory()))
    for _ in range(size):
        ClusterOffer.objects.create(shift=shift, cluster=ClusterFactory(), release_at=NOW)
    client.force_login(coordinator)
    # 1 session, 2 user, 3 role assignments (access), 4 the shift with hub and gebied,
    # 5 its live sign-ups with user and cluster, 6 those people's roles with their hub,
    # 7 open hand-over requests, 8 cluster offers with their cluster.
    with django_assert_num_queries(8):
        response = client.get(reverse("scheduling:shift_detail", args=[shift.pk]))
    assert len(response.context["confirmed"]) == size


# --- shift_staffing ---------------------------------------------------------------------------


def _staffing_url(shift):
    return reverse("scheduling:shift_staffing", args=[shift.pk])


def test_wijkmanager_overrides_the_staffing(client, wijkmanager, shift):
    client.force_login(wijkmanager)
    data = {"min_staff": 1, "max_staff": 4, "required_roles": [Role.HOST, Role.KCC]}
    response = client.post(_staffing_url(shift), data)
    assert response.status_code == 302
    shift.refresh_from_db()
    assert (shift.min_staff, shift.max_staff) == (1, 4)
    assert shift.required_roles == [Role.HOST, Role.KCC]
    assert shift.staffing_overridden


def test_raising_the_maximum_gives_the_waitlist_places(client, coordinator, shift, people):
    client.force_login(coordinator)
    response = client.post(_staffing_url(shift), {"min_staff": 2, "max_staff": 3}, follow=True)
    assert response.status_code == 200
    assert SignUp.objects.get(user=people["cor"]).status == SignUpStatus.CONFIRMED
    assert SignUp.objects.get(user=people["dina"]).status == SignUpStatus.WAITLISTED
    shift.refresh_from_db()
    assert shift.confirmed_count == 3


def test_maximum_below_the_people_already_in_is_refused(client, wijkmanager, shift, people):
    client.force_login(wijkmanager)
    response = client.post(_staffing_url(shift), {"min_staff": 1, "max_staff": 1})
    assert response.status_code == 200
    form = response.context["staffing_form"]
    with translation.override("nl"):
        expected = gettext(
            "%(count)s people are already signed up; the maximum cannot be lower."
        ) % {"count": 2}
    assert form.errors["max_staff"] == [expected]
    shift.refresh_from_db()
    assert (shift.min_staff, shift.max_staff, shift.staffing_overridden) == (2, 2, False)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"min_staff": 3, "max_staff": 2}, "min_staff"),
        ({"min_staff": -1, "max_staff": 2}, "min_staff"),
        ({"min_staff": 1, "max_staff": 0}, "max_staff"),
        ({"min_staff": "twee", "max_staff": 2}, "min_staff"),
        ({"min_staff": 1}, "max_staff"),
        ({"min_staff": 1, "max_staff": 2, "required_roles": ["superuser"]}, "required_roles"),
    ],
)
def test_bad_staffing_input_gets_a_message_and_keeps_what_was_typed(
    client, wijkmanager, shift, data, field
):
    client.force_login(wijkmanager)
    response = client.post(_staffing_url(shift), data)
    assert response.status_code == 200
    form = response.context["staffing_form"]
    assert field in form.errors
    html = response.content.decode()
    assert "is-invalid" in html
    assert f'value="{data["min_staff"]}"' in html
    shift.refresh_from_db()
    assert (shift.min_staff, shift.max_staff) == (2, 2)


def test_min_above_max_message(client, wijkmanager, shift):
    client.force_login(wijkmanager)
    response = client.post(_staffing_url(shift), {"min_staff": 3, "max_staff": 2})
    assert response.context["staffing_form"].errors["min_staff"] == [
        _nl("The minimum cannot be above the maximum.")
    ]


@pytest.mark.parametrize("who", ["host", "outsider", "medewerker"])
def test_only_the_hubs_managers_change_staffing(client, request, shift, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(_staffing_url(shift), {"min_staff": 0, "max_staff": 5})
    assert response.status_code == 403
    shift.refresh_from_db()
    assert shift.max_staff == 2


def test_staffing_refuses_get(client, wijkmanager, shift):
    client.force_login(wijkmanager)
    assert client.get(_staffing_url(shift)).status_code == 405


# --- attendance -------------------------------------------------------------------------------


def _attendance_url(shift):
    return reverse("scheduling:attendance", args=[shift.pk])


def _attendance_data(people, anna="came", bram="absent"):
    return {
        f"signup_{people['anna'].signups.get().pk}": anna,
        f"signup_{people['bram'].signups.get().pk}": bram,
    }


def test_before_the_start_attendance_cannot_be_marked(client, host, shift, people):
    client.force_login(host)
    response = client.get(reverse("scheduling:shift_detail", args=[shift.pk]))
    assert response.context["attendance_form"] is None
    assert _attendance_url(shift) not in response.content.decode()

    response = client.post(_attendance_url(shift), _attendance_data(people), follow=True)
    assert response.status_code == 200
    message = str(list(response.context["messages"])[0])
    with translation.override("nl"):
        prefix = gettext(
            "Attendance can be recorded from the start of the dagdeel, %(start)s."
        ).split("%(start)s")[0]
    assert message.startswith(prefix)
    assert "07-12-2026 09:00" in message
    assert set(SignUp.objects.values_list("attended", flat=True)) == {None}


@pytest.mark.parametrize("who", ["host", "wijkmanager", "coordinator"])
def test_from_the_start_the_team_marks_who_came(client, request, shift, people, clock, who):
    clock.move_to(DURING_SHIFT)
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("scheduling:shift_detail", args=[shift.pk]))
    assert response.context["attendance_form"] is not None
    assert _attendance_url(shift) in response.content.decode()

    response = client.post(_attendance_url(shift), _attendance_data(people))
    assert response.status_code == 302
    assert SignUp.objects.get(user=people["anna"]).attended is True
    assert SignUp.objects.get(user=people["bram"]).attended is False
    # Back to "unknown".
    client.post(_attendance_url(shift), _attendance_data(people, bram="unknown"))
    assert SignUp.objects.get(user=people["bram"]).attended is None


def test_attendance_leaves_the_waitlist_and_other_shifts_alone(
    client, host, hub, shift, people, clock
):
    other = make_shift(hub=hub, day=SHIFT_DAY, dagdeel="middag", min_staff=1)
    stranger = signup_create(shift_id=other.pk, user=staff_member())
    clock.move_to(DURING_SHIFT)
    client.force_login(host)
    data = _attendance_data(people)
    data[f"signup_{stranger.pk}"] = "came"
    data[f"signup_{SignUp.objects.get(user=people['cor']).pk}"] = "came"
    client.post(_attendance_url(shift), data)
    stranger.refresh_from_db()
    assert stranger.attended is None
    assert SignUp.objects.get(user=people["cor"]).attended is None


def test_bad_attendance_value_gets_a_message(client, host, shift, people, clock):
    clock.move_to(DURING_SHIFT)
    client.force_login(host)
    response = client.post(_attendance_url(shift), _attendance_data(people, anna="misschien"))
    assert response.status_code == 200
    form = response.context["attendance_form"]
    assert f"signup_{people['anna'].signups.get().pk}" in form.errors
    assert "invalid-feedback" in response.content.decode()
    assert set(SignUp.objects.values_list("attended", flat=True)) == {None}


@pytest.mark.parametrize("who", ["outsider", "medewerker", "wijkraad"])
def test_others_cannot_mark_attendance(client, request, shift, people, clock, who):
    clock.move_to(DURING_SHIFT)
    client.force_login(request.getfixturevalue(who))
    assert client.post(_attendance_url(shift), _attendance_data(people)).status_code == 403
    assert set(SignUp.objects.values_list("attended", flat=True)) == {None}


def test_attendance_refuses_get(client, host, shift):
    client.force_login(host)
    assert client.get(_attendance_url(shift)).status_code == 405


def test_a_cancelled_shift_shows_its_reason_and_no_forms(client, wijkmanager, shift):
    Shift.objects.filter(pk=shift.pk).update(is_cancelled=True, cancel_reason="Verbouwing")
    client.force_login(wijkmanager)
    response = client.get(reverse("scheduling:shift_detail", args=[shift.pk]))
    html = response.content.decode()
    assert "Verbouwing" in html
    assert _attendance_url(shift) not in html
    assert _staffing_url(shift) not in html
