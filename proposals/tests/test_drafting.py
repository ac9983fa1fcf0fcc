"""Drafting a proposal: the form starts from the hub's grid, previews without saving,
saves a draft through the services, and turns bad input into Dutch messages."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from hubs.constants import DEFAULT_TIMES, Dagdeel, Weekday
from proposals import selectors
from proposals.constants import SlotKind, Status
from proposals.models import Proposal, Transition
from tests.factories import (
    STANDARD_WEEK,
    OpeningSlotFactory,
    ScheduleVersionFactory,
    UserFactory,
    give_role,
    make_proposal,
)

pytestmark = pytest.mark.django_db

# Wednesday 4 November 2026.
TODAY = dt.date(2026, 11, 4)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _nl(message: str, **params) -> str:
    with translation.override("nl"):
        text = gettext(message)
    return text % params if params else text


def _times(dagdeel) -> tuple[str, str]:
    return tuple(t.strftime("%H:%M") for t in DEFAULT_TIMES[dagdeel])


# The hub's current week (tests/factories.STANDARD_WEEK) plus Saturday morning.
WEEK_WITH_SATURDAY = {
    **{(day, dagdeel): _times(dagdeel) for day, dagdeel in STANDARD_WEEK},
    (5, Dagdeel.OCHTEND): ("10:00", "13:00"),
}


def proposal_data(open_cells=None, *, action="save", **fields) -> dict:
    """POST data as the browser sends it: ``open_cells`` maps (weekday, dagdeel) to
    (start, end); closed cells carry the standard times, as prefilled."""
    open_cells = WEEK_WITH_SATURDAY if open_cells is None else open_cells
    data = {
        "title": "Zaterdagochtend open",
        "desired_start": "2027-01-04",
        "argumentation": "Werkende bewoners kunnen doordeweeks niet langskomen.",
        action: "1",
    }
    for day in Weekday:
        for dagdeel in Dagdeel:
            prefix = f"d{day.value}_{dagdeel.value}"
            cell = open_cells.get((day.value, dagdeel.value))
            if cell:
                data[f"{prefix}_open"] = "on"
            start, end = cell or _times(dagdeel)
            data[f"{prefix}_start"], data[f"{prefix}_end"] = start, end
    data.update(fields)
    return data


def _create_url(hub):
    return reverse("proposals:create", args=[hub.slug])


# --- create: the happy path ------------------------------------------------------------------


def test_create_page_starts_from_the_grid_in_force(client, wijkraad, hub):
    client.force_login(wijkraad)
    response = client.get(_create_url(hub))
    assert response.status_code == 200
    form = response.context["form"]
    opened = {
        (day.value, dagdeel.value)
        for day in Weekday
        for dagdeel in Dagdeel
        if form[f"d{day.value}_{dagdeel.value}_open"].value()
    }
    assert opened == {(day, dagdeel.value) for day, dagdeel in STANDARD_WEEK}
    analysis = response.context["analysis"]
    assert analysis["compare"]["unchanged"]
    assert (analysis["after_norm"].dagdelen, analysis["after_norm"].days) == (4, 3)


def test_wijkraad_saves_a_draft_proposal(client, wijkraad, hub):
    client.force_login(wijkraad)
    response = client.post(_create_url(hub), proposal_data())
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("proposals:detail", args=[proposal.pk])
    assert proposal.hub == hub
    assert proposal.status == Status.CONCEPT
    assert proposal.created_by == wijkraad
    assert proposal.desired_start == dt.date(2027, 1, 4)
    assert proposal.base_version == hub.schedule_versions.get()
    saturday = [s for s in proposal.slots_of(SlotKind.PROPOSED) if s.weekday == 5]
    assert [(s.dagdeel, s.start_time, s.end_time) for s in saturday] == [
        (Dagdeel.OCHTEND, dt.time(10), dt.time(13))
    ]
    assert len(proposal.slots_of(SlotKind.PROPOSED)) == 5
    assert Transition.objects.filter(proposal=proposal, to_status=Status.CONCEPT).count() == 1


def test_preview_shows_the_analysis_without_saving(client, wijkraad, hub):
    client.force_login(wijkraad)
    # A preview may come before the title and the arguments are written.
    data = proposal_data(action="preview", title="", argumentation="")
    response = client.post(_create_url(hub), data)
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    assert not response.context["form"].errors
    analysis = response.context["analysis"]
    with translation.override("nl"):
        saturday_morning = gettext("%(day)s %(dagdeel)s") % {
            "day": Weekday.SATURDAY.label,
            "dagdeel": Dagdeel.OCHTEND.label.lower(),
        }
    assert analysis["compare"]["added"] == [saturday_morning]
    assert (analysis["after_norm"].dagdelen, analysis["after_norm"].days) == (5, 4)
    assert analysis["staffing"].difference == hub.min_staff
    html = response.content.decode()
    assert _nl("Preview: nothing has been saved yet.") in html
    # The change is said in words, not only by colour.
    assert 'data-change="added"' in html
    assert _nl("added") in html


def test_preview_compares_with_the_hours_in_force_on_the_desired_start(client, wijkraad, hub):
    planned = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 12, 7))
    OpeningSlotFactory(version=planned, weekday=2, dagdeel=Dagdeel.AVOND)
    client.force_login(wijkraad)
    before = client.post(_create_url(hub), proposal_data(action="preview", desired_start=""))
    assert before.context["analysis"]["before_version"] != planned
    after = client.post(
        _create_url(hub), proposal_data(action="preview", desired_start="2027-01-04")
    )
    assert after.context["analysis"]["before_version"] == planned


# --- create: who may -------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, hub):
    response = client.get(_create_url(hub))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_wrong_method_is_refused(client, wijkraad, hub):
    client.force_login(wijkraad)
    assert client.put(_create_url(hub)).status_code == 405
    assert client.delete(_create_url(hub)).status_code == 405


@pytest.mark.parametrize("role", ["wijkmanager", "coordinator", "host", "outsider"])
def test_only_the_hubs_wijkraad_may_draft(client, cast, hub, role):
    client.force_login(cast[role])
    assert client.get(_create_url(hub)).status_code == 403
    assert client.post(_create_url(hub), proposal_data()).status_code == 403
    assert not Proposal.objects.exists()


def test_wijkraad_of_another_wijk_gets_403(client, hub, other_hub):
    other_wijkraad = give_role(UserFactory(), Role.WIJKRAAD, other_hub)
    client.force_login(other_wijkraad)
    assert client.get(_create_url(hub)).status_code == 403
    assert client.post(_create_url(hub), proposal_data()).status_code == 403
    assert client.get(_create_url(other_hub)).status_code == 200


def test_unknown_hub_is_404(client, wijkraad):
    client.force_login(wijkraad)
    assert client.get(reverse("proposals:create", args=["bestaat-niet"])).status_code == 404


# --- create: bad input -----------------------------------------------------------------------


def _post_bad(client, wijkraad, hub, data):
    client.force_login(wijkraad)
    response = client.post(_create_url(hub), data)
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    html = response.content.decode()
    assert 'id="error-summary"' in html
    # What was typed stays.
    assert "Werkende bewoners kunnen doordeweeks niet langskomen." in html
    return response, html


def test_overlapping_dagdelen_are_refused(client, wijkraad, hub):
    cells = {(0, "ochtend"): ("09:00", "13:30"), (0, "middag"): ("13:00", "17:00")}
    response, html = _post_bad(
        client, wijkraad, hub, proposal_data({**WEEK_WITH_SATURDAY, **cells})
    )
    message = _nl(
        "The %(before)s runs into the %(after)s: it ends at %(end)s, "
        "the %(after)s starts at %(start)s.",
        before=_nl("Morning").lower(),
        after=_nl("Afternoon").lower(),
        end="13:30",
        start="13:00",
    )
    assert response.context["form"].errors["d0_middag_start"] == [message]
    assert 'value="13:30"' in html
    # The grid has errors: only the current hours and the evidence are shown.
    assert response.context["analysis"]["complete"] is False


def test_open_dagdeel_without_times_is_refused(client, wijkraad, hub):
    data = proposal_data(d5_ochtend_start="", d5_ochtend_end="")
    response, _html = _post_bad(client, wijkraad, hub, data)
    assert response.context["form"].errors["d5_ochtend_start"] == [
        _nl("Enter when this dagdeel opens and closes, or untick it.")
    ]


def test_end_before_start_is_refused(client, wijkraad, hub):
    data = proposal_data(d5_ochtend_start="12:00", d5_ochtend_end="10:00")
    response, _html = _post_bad(client, wijkraad, hub, data)
    assert response.context["form"].errors["d5_ochtend_end"] == [
        _nl("The dagdeel ends before it starts.")
    ]


@pytest.mark.parametrize("day", ["2026-11-04", "2026-10-01"])
def test_start_date_today_or_in_the_past_is_refused(client, wijkraad, hub, day):
    response, html = _post_bad(client, wijkraad, hub, proposal_data(desired_start=day))
    assert response.context["form"].errors["desired_start"] == [
        _nl("Choose a date after today: the new opening hours start in the future.")
    ]
    assert f'value="{day}"' in html


def test_malformed_date_and_time_get_a_message(client, wijkraad, hub):
    data = proposal_data(desired_start="4 januari", d5_ochtend_start="tien uur")
    response, _html = _post_bad(client, wijkraad, hub, data)
    errors = response.context["form"].errors
    assert errors["desired_start"] == [_nl("Enter a date like 2027-03-01.")]
    assert "d5_ochtend_start" in errors


def test_title_and_arguments_are_required(client, wijkraad, hub):
    client.force_login(wijkraad)
    response = client.post(_create_url(hub), proposal_data(title=" ", argumentation=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == [_nl("Give the proposal a title.")]
    assert errors["argumentation"] == [
        _nl("Write the arguments: why does the wijkraad propose this?")
    ]
    assert not Proposal.objects.exists()


def test_a_proposal_without_any_open_dagdeel_is_refused(client, wijkraad, hub):
    client.force_login(wijkraad)
    response = client.post(_create_url(hub), proposal_data({}))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        _nl("Tick at least one dagdeel: a proposal needs opening hours.")
    ]
    assert not Proposal.objects.exists()


# --- edit ------------------------------------------------------------------------------------


def _edit_url(proposal):
    return reverse("proposals:edit", args=[proposal.pk])


def test_edit_starts_from_the_proposal_and_saves_changes(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    page = client.get(_edit_url(proposal))
    assert page.status_code == 200
    assert page.context["form"]["d5_ochtend_open"].value() is True
    assert page.context["form"]["title"].value() == proposal.title
    cells = {**WEEK_WITH_SATURDAY, (2, "avond"): ("18:30", "21:00")}
    response = client.post(_edit_url(proposal), proposal_data(cells, title="Ook woensdagavond"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Ook woensdagavond"
    assert len(proposal.slots_of(SlotKind.PROPOSED)) == 6


def test_edit_preview_does_not_save(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    response = client.post(_edit_url(proposal), proposal_data({}, action="preview", title="X"))
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.title == "Zaterdagochtend open"
    assert len(proposal.slots_of(SlotKind.PROPOSED)) == 5


def test_submitted_proposal_cannot_be_edited(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(wijkraad)
    response = client.get(_edit_url(proposal))
    assert response.status_code == 302
    assert response.url == reverse("proposals:detail", args=[proposal.pk])
    response = client.post(_edit_url(proposal), proposal_data(title="Anders"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Zaterdagochtend open"


def test_edit_posted_after_submission_elsewhere_says_so(client, wijkraad, hub, monkeypatch):
    """The page was read as a draft; by the time it is saved the proposal was submitted
    (another tab, another wijkraad member): the service's "stale" becomes a message and
    the typed text stays on the page."""
    proposal = make_proposal(hub, wijkraad)
    as_read = selectors.proposal_for_detail(proposal.pk)
    make_submitted = Proposal.objects.filter(pk=proposal.pk)
    make_submitted.update(status=Status.SUBMITTED)
    monkeypatch.setattr(selectors, "proposal_for_detail", lambda pk: as_read)
    client.force_login(wijkraad)
    response = client.post(_edit_url(proposal), proposal_data(title="Te laat"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        _nl(
            "This proposal was already submitted (or withdrawn) in the meantime, "
            "so your changes were not saved."
        )
    ]
    assert 'value="Te laat"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == "Zaterdagochtend open"


def test_edit_refuses_a_past_start_date(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    response = client.post(_edit_url(proposal), proposal_data(desired_start="2026-11-03"))
    assert response.status_code == 200
    assert "desired_start" in response.context["form"].errors


@pytest.mark.parametrize("role", ["wijkmanager", "coordinator", "outsider"])
def test_the_city_cannot_see_or_edit_a_draft(client, cast, hub, wijkraad, role):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(cast[role])
    assert client.get(_edit_url(proposal)).status_code == 404
    assert client.post(_edit_url(proposal), proposal_data()).status_code == 404


def test_the_city_cannot_edit_a_submitted_proposal(client, wijkmanager, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(wijkmanager)
    assert client.get(_edit_url(proposal)).status_code == 403


def test_edit_by_another_wijkraad_forged_id_and_method(client, hub, other_hub, wijkraad):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(give_role(UserFactory(), Role.WIJKRAAD, other_hub))
    assert client.get(_edit_url(proposal)).status_code == 404
    client.force_login(wijkraad)
    assert client.get(reverse("proposals:edit", args=[proposal.pk + 999])).status_code == 404
    assert client.put(_edit_url(proposal)).status_code == 405


def test_edit_anonymous_is_sent_to_login(client, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad)
    response = client.get(_edit_url(proposal))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
