"""Opening hours: listing, making, changing and deleting schedule versions."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hubs import services
from hubs.constants import DEFAULT_TIMES, Dagdeel, Weekday
from hubs.forms import ScheduleForm
from hubs.models import OpeningSlot, ScheduleVersion
from tests.factories import OpeningSlotFactory, ScheduleVersionFactory

# Wednesday 4 November 2026.
TODAY = dt.date(2026, 11, 4)
NEXT_MONDAY = dt.date(2026, 11, 9)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _nl(message: str, **params) -> str:
    with translation.override("nl"):
        text = gettext(message)
    return text % params if params else text


def grid_data(open_cells, valid_from="2026-11-09", note="", **extra) -> dict:
    """POST data for the grid: ``open_cells`` maps (weekday, dagdeel) to (start, end) strings.

    Closed cells are sent with the standard times, as the browser would send
    the prefilled values of an unticked dagdeel.
    """
    data = {"valid_from": valid_from, "note": note}
    for day in Weekday:
        for dagdeel in Dagdeel:
            prefix = f"d{day.value}_{dagdeel.value}"
            cell = open_cells.get((day.value, dagdeel.value))
            if cell:
                data[f"{prefix}_open"] = "on"
                start, end = cell
            else:
                start, end = (t.strftime("%H:%M") for t in DEFAULT_TIMES[dagdeel])
            data[f"{prefix}_start"], data[f"{prefix}_end"] = start, end
    data.update(extra)
    return data


NORM_WEEK = {
    (0, "ochtend"): ("09:00", "12:30"),
    (0, "middag"): ("13:00", "17:00"),
    (2, "middag"): ("13:00", "16:00"),
    (4, "ochtend"): ("09:30", "12:00"),
}


def _create_url(hub):
    return reverse("manage:schedule_create", args=[hub.slug])


# --- schedule_list --------------------------------------------------------------------------


def test_schedule_list_marks_current_planned_and_past_versions(client, wijkmanager, hub):
    planned = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 12, 7), note="Voorstel")
    OpeningSlotFactory(version=planned, weekday=2, dagdeel=Dagdeel.AVOND)
    current = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 1, 5))
    for weekday in (0, 1, 2):
        for dagdeel in (Dagdeel.OCHTEND, Dagdeel.MIDDAG):
            OpeningSlotFactory(version=current, weekday=weekday, dagdeel=dagdeel)
    client.force_login(wijkmanager)
    response = client.get(reverse("manage:schedule_list", args=[hub.slug]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r["version"].valid_from, r["state"]) for r in rows] == [
        (dt.date(2026, 12, 7), "planned"),
        (dt.date(2026, 1, 5), "current"),
        (dt.date(2020, 1, 6), "past"),
    ]
    assert [(r["dagdelen"], r["days"], r["meets_norm"]) for r in rows] == [
        (1, 1, False),
        (6, 3, True),
        (4, 3, True),
    ]
    # Wednesday evening of the planned version is shown in its grid.
    wednesday = rows[0]["grid"][2]
    assert [slot and slot.dagdeel for slot in wednesday["cells"]] == [None, None, "avond"]
    html = response.content.decode()
    assert "Voorstel" in html
    assert reverse("manage:schedule_edit", args=[hub.slug, planned.pk]) in html
    assert reverse("manage:schedule_edit", args=[hub.slug, current.pk]) not in html


def test_schedule_list_query_count(client, wijkmanager, hub, django_assert_num_queries):
    for n in range(5):
        version = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2021 + n, 1, 4))
        OpeningSlotFactory(version=version)
    client.force_login(wijkmanager)
    # session, user, role assignments, hub, versions with creator, their slots.
    with django_assert_num_queries(6):
        client.get(reverse("manage:schedule_list", args=[hub.slug]))


def test_outsider_cannot_see_schedules(client, outsider, hub):
    client.force_login(outsider)
    assert client.get(reverse("manage:schedule_list", args=[hub.slug])).status_code == 403


@pytest.mark.parametrize("who", ["host", "medewerker"])
def test_host_and_medewerker_cannot_see_schedules(client, request, hub, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("manage:schedule_list", args=[hub.slug])).status_code == 403


def test_schedule_list_refuses_post(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    assert client.post(reverse("manage:schedule_list", args=[hub.slug])).status_code == 405


# --- schedule_create ------------------------------------------------------------------------


def test_create_form_is_prefilled_from_version_in_force(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    response = client.get(_create_url(hub))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["d0_ochtend_open"].value() is True
    assert form["d0_middag_open"].value() is False
    assert form["d0_ochtend_start"].value() == DEFAULT_TIMES[Dagdeel.OCHTEND][0]
    assert form["valid_from"].value() == NEXT_MONDAY
    html = response.content.decode()
    # Every input of the grid has a label.
    assert html.count('<label class="visually-hidden" for="id_d') == 7 * 3 * 2
    assert 'for="id_d6_avond_open"' in html


def test_create_form_prefills_the_hubs_own_times(client, wijkmanager, hub):
    version = hub.schedule_versions.get()
    version.slots.filter(dagdeel=Dagdeel.OCHTEND).update(start_time=dt.time(8, 30))
    client.force_login(wijkmanager)
    form = client.get(_create_url(hub)).context["form"]
    # Unopened mornings take the hub's usual morning, not the city's default.
    assert form["d2_ochtend_start"].value() == dt.time(8, 30)
    assert form["d2_avond_start"].value() == DEFAULT_TIMES[Dagdeel.AVOND][0]


def test_wijkmanager_creates_schedule_version(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    response = client.post(_create_url(hub), grid_data(NORM_WEEK, note="Na gesprek wijkraad"))
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:schedule_list", args=[hub.slug])
    version = hub.schedule_versions.get(valid_from=NEXT_MONDAY)
    assert version.note == "Na gesprek wijkraad"
    assert version.created_by == wijkmanager
    slots = {(s.weekday, s.dagdeel): (s.start_time, s.end_time) for s in version.slots.all()}
    assert slots == {
        cell: (dt.time.fromisoformat(a), dt.time.fromisoformat(b))
        for cell, (a, b) in NORM_WEEK.items()
    }
    levels = [m.level_tag for m in get_messages(response.wsgi_request)]
    assert levels == ["success"]


def test_below_norm_saves_with_a_warning(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    week = {(0, "ochtend"): ("09:00", "12:00"), (1, "ochtend"): ("09:00", "12:00")}
    response = client.post(_create_url(hub), grid_data(week))
    assert response.status_code == 302
    assert hub.schedule_versions.filter(valid_from=NEXT_MONDAY).exists()
    messages = list(get_messages(response.wsgi_request))
    assert [m.level_tag for m in messages] == ["success", "warning"]
    assert "2" in messages[1].message


def test_dagdeel_ending_before_it_starts_is_refused_with_typed_values(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    week = {**NORM_WEEK, (2, "middag"): ("16:00", "13:00")}
    response = client.post(_create_url(hub), grid_data(week))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"d2_middag_end": [_nl("The dagdeel ends before it starts.")]}
    html = response.content.decode()
    assert 'name="d2_middag_start" value="16:00"' in html
    assert 'id="id_d2_middag_end_error"' in html
    assert hub.schedule_versions.count() == 1


def test_dagdeel_of_no_length_is_refused(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    week = {**NORM_WEEK, (2, "middag"): ("13:00", "13:00")}
    form = client.post(_create_url(hub), grid_data(week)).context["form"]
    assert list(form.errors) == ["d2_middag_end"]


def test_overlapping_dagdelen_are_refused(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    week = {**NORM_WEEK, (0, "ochtend"): ("09:00", "13:30")}
    response = client.post(_create_url(hub), grid_data(week))
    assert response.status_code == 200
    errors = response.context["form"].errors
    with translation.override("nl"):
        morning, afternoon = Dagdeel.OCHTEND.label.lower(), Dagdeel.MIDDAG.label.lower()
    assert errors == {
        "d0_middag_start": [
            _nl(
                "The %(before)s runs into the %(after)s: it ends at %(end)s, "
                "the %(after)s starts at %(start)s.",
                before=morning,
                after=afternoon,
                end="13:30",
                start="13:00",
            )
        ]
    }
    assert not hub.schedule_versions.filter(valid_from=NEXT_MONDAY).exists()


def test_dagdelen_in_wrong_order_are_refused(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    week = {**NORM_WEEK, (4, "avond"): ("08:00", "09:00")}
    errors = client.post(_create_url(hub), grid_data(week)).context["form"].errors
    assert list(errors) == ["d4_avond_start"]
    assert "08:00" not in errors["d4_avond_start"][0]  # the order message, not the overlap one


def test_overlap_with_a_closed_dagdeel_between_is_checked(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    week = {**NORM_WEEK, (0, "middag"): None, (0, "avond"): ("12:00", "20:00")}
    week = {k: v for k, v in week.items() if v}
    errors = client.post(_create_url(hub), grid_data(week)).context["form"].errors
    assert list(errors) == ["d0_avond_start"]


def test_open_dagdeel_without_times_is_refused(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    data = grid_data(NORM_WEEK)
    data["d2_middag_end"] = ""
    errors = client.post(_create_url(hub), data).context["form"].errors
    assert errors == {
        "d2_middag_end": [_nl("Enter when this dagdeel opens and closes, or untick it.")]
    }


def test_malformed_time_in_open_dagdeel_is_refused_but_ignored_when_closed(
    client, wijkmanager, hub
):
    client.force_login(wijkmanager)
    data = grid_data(NORM_WEEK)
    data["d2_middag_start"] = "25:99"
    data["d3_avond_start"] = "koffie"  # unticked: ignored
    response = client.post(_create_url(hub), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["d2_middag_start"]
    assert 'value="25:99"' in response.content.decode()

    data["d2_middag_start"] = "13:00"
    assert client.post(_create_url(hub), data).status_code == 302


def test_valid_from_in_the_past_is_refused(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    response = client.post(_create_url(hub), grid_data(NORM_WEEK, valid_from="2026-11-03"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["valid_from"]


def test_valid_from_today_is_allowed(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    response = client.post(_create_url(hub), grid_data(NORM_WEEK, valid_from="2026-11-04"))
    assert response.status_code == 302


def test_duplicate_valid_from_is_refused(client, wijkmanager, hub):
    ScheduleVersionFactory(hub=hub, valid_from=NEXT_MONDAY)
    client.force_login(wijkmanager)
    response = client.post(_create_url(hub), grid_data(NORM_WEEK))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "valid_from": [
            _nl(
                "This hub already has a schedule starting on %(date)s. "
                "Choose another date or change that schedule.",
                date="09-11-2026",
            )
        ]
    }
    assert 'value="2026-11-09"' in response.content.decode()


def test_same_valid_from_at_another_hub_is_fine(client, coordinator, hub, other_hub):
    ScheduleVersionFactory(hub=other_hub, valid_from=NEXT_MONDAY)
    client.force_login(coordinator)
    assert client.post(_create_url(hub), grid_data(NORM_WEEK)).status_code == 302


@pytest.mark.parametrize("value", ["9-11-2026x", "2026-02-30", "morgen", ""])
def test_malformed_valid_from_re_renders(client, wijkmanager, hub, value):
    client.force_login(wijkmanager)
    response = client.post(_create_url(hub), grid_data(NORM_WEEK, valid_from=value))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["valid_from"]


def test_dutch_date_notation_is_accepted(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    with translation.override("nl"):
        response = client.post(_create_url(hub), grid_data(NORM_WEEK, valid_from="09-11-2026"))
    assert response.status_code == 302
    assert hub.schedule_versions.filter(valid_from=NEXT_MONDAY).exists()


def test_outsider_cannot_create_schedule(client, outsider, hub):
    client.force_login(outsider)
    assert client.get(_create_url(hub)).status_code == 403
    assert client.post(_create_url(hub), grid_data(NORM_WEEK)).status_code == 403
    assert hub.schedule_versions.count() == 1


def test_schedule_create_refuses_put(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    assert client.put(_create_url(hub)).status_code == 405


def test_schedule_create_for_unknown_hub_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("manage:schedule_create", args=["nergens"])).status_code == 404


# --- schedule_edit and schedule_delete -------------------------------------------------------


@pytest.fixture
def planned(hub):
    version = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 12, 7), note="Winter")
    OpeningSlotFactory(version=version, weekday=0, dagdeel=Dagdeel.OCHTEND)
    return version


def test_planned_version_is_prefilled_and_can_be_changed(client, wijkmanager, hub, planned):
    client.force_login(wijkmanager)
    url = reverse("manage:schedule_edit", args=[hub.slug, planned.pk])
    form = client.get(url).context["form"]
    assert form["valid_from"].value() == dt.date(2026, 12, 7)
    assert form["note"].value() == "Winter"
    assert form["d0_ochtend_open"].value() is True
    assert form["d1_ochtend_open"].value() is False

    response = client.post(url, grid_data(NORM_WEEK, valid_from="2026-12-14", note="Winter 2"))
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.valid_from, planned.note) == (dt.date(2026, 12, 14), "Winter 2")
    assert planned.slots.count() == 4


def test_edit_keeps_own_date_without_duplicate_error(client, wijkmanager, hub, planned):
    client.force_login(wijkmanager)
    url = reverse("manage:schedule_edit", args=[hub.slug, planned.pk])
    assert client.post(url, grid_data(NORM_WEEK, valid_from="2026-12-07")).status_code == 302


def test_edit_with_bad_grid_keeps_the_stored_version(client, wijkmanager, hub, planned):
    client.force_login(wijkmanager)
    url = reverse("manage:schedule_edit", args=[hub.slug, planned.pk])
    week = {(0, "ochtend"): ("12:00", "09:00")}
    response = client.post(url, grid_data(week, valid_from="2026-12-07"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["d0_ochtend_end"]
    assert planned.slots.get().end_time == DEFAULT_TIMES[Dagdeel.OCHTEND][1]


@pytest.mark.parametrize("valid_from", [dt.date(2020, 1, 6), TODAY])
def test_version_in_force_or_past_cannot_be_edited(client, wijkmanager, hub, valid_from):
    version, _ = ScheduleVersion.objects.get_or_create(hub=hub, valid_from=valid_from)
    client.force_login(wijkmanager)
    url = reverse("manage:schedule_edit", args=[hub.slug, version.pk])
    for method in (client.get, client.post):
        response = method(url, grid_data(NORM_WEEK))
        assert response.status_code == 302
        assert response["Location"] == reverse("manage:schedule_list", args=[hub.slug])
        assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
        client.get(response["Location"])  # shows, and so uses up, the message
    version.refresh_from_db()
    assert version.valid_from == valid_from


def test_version_of_other_hub_is_404(client, coordinator, hub, other_hub):
    foreign = ScheduleVersionFactory(hub=other_hub, valid_from=dt.date(2026, 12, 7))
    client.force_login(coordinator)
    url = reverse("manage:schedule_edit", args=[hub.slug, foreign.pk])
    assert client.get(url).status_code == 404
    url = reverse("manage:schedule_delete", args=[hub.slug, foreign.pk])
    assert client.post(url).status_code == 404


def test_outsider_cannot_edit_or_delete_planned_version(client, outsider, hub, planned):
    client.force_login(outsider)
    assert (
        client.get(reverse("manage:schedule_edit", args=[hub.slug, planned.pk])).status_code == 403
    )
    delete_url = reverse("manage:schedule_delete", args=[hub.slug, planned.pk])
    assert client.post(delete_url).status_code == 403
    assert ScheduleVersion.objects.filter(pk=planned.pk).exists()


def test_planned_version_is_deleted(client, wijkmanager, hub, planned):
    client.force_login(wijkmanager)
    response = client.post(reverse("manage:schedule_delete", args=[hub.slug, planned.pk]))
    assert response.status_code == 302
    assert not ScheduleVersion.objects.filter(pk=planned.pk).exists()
    assert not OpeningSlot.objects.filter(version_id=planned.pk).exists()


def test_delete_needs_post(client, wijkmanager, hub, planned):
    client.force_login(wijkmanager)
    url = reverse("manage:schedule_delete", args=[hub.slug, planned.pk])
    assert client.get(url).status_code == 405
    assert ScheduleVersion.objects.filter(pk=planned.pk).exists()


def test_version_in_force_cannot_be_deleted(client, wijkmanager, hub):
    version = hub.schedule_versions.get()
    client.force_login(wijkmanager)
    response = client.post(reverse("manage:schedule_delete", args=[hub.slug, version.pk]))
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert ScheduleVersion.objects.filter(pk=version.pk).exists()


# --- the service and the form on their own ---------------------------------------------------


def test_service_writes_version_and_slots(hub, coordinator):
    slots = [
        {"weekday": 1, "dagdeel": "avond", "start_time": dt.time(18), "end_time": dt.time(21)},
    ]
    version = services.schedule_version_create(
        hub=hub, valid_from=NEXT_MONDAY, slots=slots, note="Avond", user=coordinator
    )
    assert version.slots.get().dagdeel == "avond"
    assert version.created_by == coordinator


def test_service_leaves_nothing_behind_when_a_slot_is_invalid(hub):
    slots = [
        {"weekday": 1, "dagdeel": "ochtend", "start_time": dt.time(9), "end_time": dt.time(12)},
        {"weekday": 1, "dagdeel": "middag", "start_time": dt.time(17), "end_time": dt.time(13)},
    ]
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        services.schedule_version_create(
            hub=hub, valid_from=NEXT_MONDAY, slots=slots, note="", user=None
        )
    assert not ScheduleVersion.objects.filter(hub=hub, valid_from=NEXT_MONDAY).exists()


def test_form_warns_below_norm_only_when_valid(hub):
    form = ScheduleForm(grid_data({(0, "ochtend"): ("09:00", "12:00")}), hub=hub, today=TODAY)
    assert form.is_valid()
    assert len(form.warnings) == 1
    assert form.cleaned_slots == [
        {"weekday": 0, "dagdeel": "ochtend", "start_time": dt.time(9), "end_time": dt.time(12)}
    ]
    form = ScheduleForm(grid_data(NORM_WEEK), hub=hub, today=TODAY)
    assert form.is_valid()
    assert form.warnings == []
