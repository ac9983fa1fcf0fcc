"""The city's answer: drafts (proposals:answer_draft) and the published decision
(proposals:decide), and what an accepted proposal does to the hub's opening hours
and roster from its start date."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from hubs.constants import DEFAULT_TIMES, Dagdeel
from hubs.models import ScheduleVersion
from proposals.constants import Decision, SlotKind, Status
from proposals.models import Answer
from proposals.services import proposals_bring_into_force
from scheduling.constants import SignUpStatus
from scheduling.models import Shift, SignUp
from scheduling.services import shifts_sync, signup_create
from tests.factories import ScheduleVersionFactory, make_proposal, staff_member

# Wednesday 4 November 2026, 11:00 in Rotterdam.
NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC)
START = dt.date(2026, 12, 1)  # a Tuesday
# The hub is open on Monday morning, Tuesday afternoon and Thursday (tests/factories.py
# STANDARD_WEEK). The wijkraad proposes: no Monday morning, but Wednesday and
# Saturday mornings.
PROPOSED = [
    (1, Dagdeel.MIDDAG),
    (2, Dagdeel.OCHTEND),
    (3, Dagdeel.OCHTEND),
    (3, Dagdeel.MIDDAG),
    (5, Dagdeel.OCHTEND),
]
# The city adopts part of it: Wednesday morning yes, Saturday no, Monday stays.
ADOPTED = [
    (0, Dagdeel.OCHTEND),
    (1, Dagdeel.MIDDAG),
    (2, Dagdeel.OCHTEND),
    (3, Dagdeel.OCHTEND),
    (3, Dagdeel.MIDDAG),
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def proposal(hub, wijkraad):
    return make_proposal(hub, wijkraad, pattern=PROPOSED, submit=True, desired_start=START)


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def grid(pattern, times=None) -> dict:
    """The adopted grid's form fields for the open cells of ``pattern``."""
    data = {}
    for weekday, dagdeel in pattern:
        start, end = (times or {}).get((weekday, dagdeel), DEFAULT_TIMES[dagdeel])
        prefix = f"adopted-d{weekday}_{dagdeel}"
        data[f"{prefix}_open"] = "on"
        data[f"{prefix}_start"] = start.strftime("%H:%M") if hasattr(start, "strftime") else start
        data[f"{prefix}_end"] = end.strftime("%H:%M") if hasattr(end, "strftime") else end
    return data


def answer(decision=Decision.ACCEPTED, start=START, expected=Status.SUBMITTED, **extra) -> dict:
    return {
        "expected": expected,
        "decision": decision,
        "motivation": "Past binnen de norm en het budget.",
        "start_date": start.isoformat() if isinstance(start, dt.date) else start,
        **extra,
    }


def _decide(client, user, proposal, data, captured=None):
    client.force_login(user)
    url = reverse("proposals:decide", args=[proposal.pk])
    if captured is None:
        return client.post(url, data)
    with captured(execute=True):
        return client.post(url, data)


def _cells(version) -> set:
    return {(s.weekday, s.dagdeel) for s in version.slots.all()}


# --- deciding -----------------------------------------------------------------------------------


def test_accepting_makes_a_schedule_version_with_the_proposed_grid(client, proposal, coordinator):
    response = _decide(client, coordinator, proposal, answer())

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.PLANNED
    assert (proposal.decision, proposal.start_date) == (Decision.ACCEPTED, START)
    version = proposal.effective_version
    assert version.valid_from == START
    assert _cells(version) == set(PROPOSED)
    assert [(t.from_status, t.to_status) for t in proposal.transitions.all()][-2:] == [
        (Status.SUBMITTED, Status.DECIDED),
        (Status.DECIDED, Status.PLANNED),
    ]
    published = Answer.objects.get(proposal=proposal)
    assert published.published_at == NOW
    assert (published.decision, published.start_date, published.written_by) == (
        Decision.ACCEPTED,
        START,
        coordinator,
    )


def test_partly_accepting_makes_a_schedule_version_with_the_adopted_grid(
    client, proposal, coordinator
):
    times = {(2, Dagdeel.OCHTEND): ("09:30", "12:00")}

    _decide(client, coordinator, proposal, answer(Decision.PARTLY, **grid(ADOPTED, times)))

    proposal.refresh_from_db()
    assert proposal.status == Status.PLANNED
    assert proposal.decision == Decision.PARTLY
    assert _cells(proposal.effective_version) == set(ADOPTED)
    wednesday = proposal.effective_version.slots.get(weekday=2)
    assert (wednesday.start_time, wednesday.end_time) == (dt.time(9, 30), dt.time(12))
    assert {(s.weekday, s.dagdeel) for s in proposal.slots_of(SlotKind.ADOPTED)} == set(ADOPTED)
    # The wijkraad's own proposal is kept as it was.
    assert {(s.weekday, s.dagdeel) for s in proposal.slots_of(SlotKind.PROPOSED)} == set(PROPOSED)


def test_rejecting_needs_no_date_and_changes_no_opening_hours(client, proposal, coordinator, hub):
    versions = ScheduleVersion.objects.count()

    _decide(client, coordinator, proposal, answer(Decision.REJECTED, start="2026-12-01"))

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision) == (Status.DECIDED, Decision.REJECTED)
    assert proposal.effective_version is None
    assert proposal.start_date is None
    assert Answer.objects.get().start_date is None
    assert ScheduleVersion.objects.count() == versions


def test_the_decision_is_shown_to_the_wijkraad(client, proposal, coordinator, wijkraad):
    _decide(client, coordinator, proposal, answer(Decision.REJECTED))
    client.force_login(wijkraad)

    page = client.get(proposal.get_absolute_url())

    workflow = page.context["workflow"]
    assert workflow["published_answer"].motivation == "Past binnen de norm en het budget."
    assert workflow["answer_form"] is None
    html = page.content.decode()
    assert 'id="published-answer"' in html
    assert f'data-decision="{Decision.REJECTED}"' in html


def test_deciding_twice_is_stale(client, proposal, coordinator):
    _decide(client, coordinator, proposal, answer())

    response = _decide(client, coordinator, proposal, answer(Decision.REJECTED))

    assert response.status_code == 302
    with translation.override("nl"):
        stale = gettext(
            "This proposal is already “%(status)s”: the page you used was out of date."
        ) % {"status": Status.PLANNED.label}
    assert _messages(response)[-1] == stale
    assert Answer.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.decision == Decision.ACCEPTED


def test_a_coordinator_on_a_decided_page_is_told_it_is_decided(client, proposal, coordinator):
    _decide(client, coordinator, proposal, answer(Decision.REJECTED))

    response = _decide(client, coordinator, proposal, answer(expected=Status.DECIDED))

    assert response.status_code == 302
    with translation.override("nl"):
        told = gettext("This proposal is “%(status)s”: it can no longer be decided.") % {
            "status": Status.DECIDED.label
        }
    assert _messages(response)[-1] == told
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("wijkraad", 403),
        ("wijkmanager", 403),
        ("outsider", 404),
        ("host", 404),
        ("medewerker", 404),
        ("kcc", 404),
    ],
)
def test_only_the_coordinator_decides(client, proposal, cast, role, status):
    response = _decide(client, cast[role], proposal, answer())

    assert response.status_code == status
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert not Answer.objects.exists()


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (answer(start="2026-11-01"), "start_date"),
        (answer(start="2026-11-04"), "start_date"),  # today is not in the future
        (answer(start="31-02-2026"), "start_date"),
        (answer(start=""), "start_date"),
        (answer(Decision.PARTLY, start=""), "start_date"),
        (answer(motivation="   "), "motivation"),
        (answer(Decision.REJECTED, motivation=""), "motivation"),
        (answer(decision="maybe"), "decision"),
        ({"expected": Status.SUBMITTED}, "decision"),
    ],
)
def test_bad_answers_get_a_message_and_are_kept(client, proposal, coordinator, data, field):
    response = _decide(client, coordinator, proposal, data)

    assert response.status_code == 302
    assert response["Location"].endswith("#answer")
    [message] = _messages(response)
    form = client.get(proposal.get_absolute_url()).context["workflow"]["answer_form"]
    assert form.errors[field][0] in message
    assert form.data.get("motivation") == data.get("motivation")
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert not Answer.objects.exists()


def test_a_past_start_date_is_explained_in_dutch(client, proposal, coordinator):
    response = _decide(client, coordinator, proposal, answer(start="2026-10-01"))

    with translation.override("nl"):
        expected = gettext("The decision was not published: %(error)s") % {
            "error": gettext(
                "Choose a date after today: new opening hours cannot start in the past."
            )
        }
    assert _messages(response) == [expected]


def test_partly_without_an_adopted_grid_is_refused(client, proposal, coordinator):
    response = _decide(client, coordinator, proposal, answer(Decision.PARTLY))

    assert (
        _nl("Tick at least one dagdeel the hub is open in the adopted opening hours.")
        in (_messages(response)[0])
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    page = client.get(proposal.get_absolute_url())
    assert page.context["workflow"]["grid_form"].non_field_errors()
    assert 'id="answer-errors"' in page.content.decode()


def test_an_adopted_grid_with_overlapping_dagdelen_is_refused_and_kept(
    client, proposal, coordinator
):
    overlapping = {
        (0, Dagdeel.OCHTEND): ("09:00", "13:30"),
        (0, Dagdeel.MIDDAG): ("13:00", "17:00"),
    }
    data = answer(Decision.PARTLY, **grid([*ADOPTED, (0, Dagdeel.MIDDAG)], overlapping))

    response = _decide(client, coordinator, proposal, data)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert not ScheduleVersion.objects.filter(valid_from=START).exists()
    page = client.get(proposal.get_absolute_url())
    grid_form = page.context["workflow"]["grid_form"]
    assert grid_form.errors["d0_middag_start"]
    assert grid_form["d0_ochtend_end"].value() == "13:30"
    html = page.content.decode()
    assert 'value="13:30"' in html
    assert "<details" in html and "open>" in html


def test_a_start_date_that_clashes_with_other_opening_hours_gets_a_message(
    client, proposal, coordinator, hub
):
    ScheduleVersionFactory(hub=hub, valid_from=START)

    response = _decide(client, coordinator, proposal, answer())

    assert _messages(response) == [
        _nl("The hub already has opening hours starting on that date; choose another.")
    ]
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert not Answer.objects.exists()
    form = client.get(proposal.get_absolute_url()).context["workflow"]["answer_form"]
    assert form.data["start_date"] == START.isoformat()


# --- drafts ---------------------------------------------------------------------------------------


def _draft(client, user, proposal, data):
    client.force_login(user)
    return client.post(reverse("proposals:answer_draft", args=[proposal.pk]), data)


def test_a_wijkmanager_drafts_an_answer_only_the_city_sees(
    client, proposal, wijkmanager, coordinator, wijkraad
):
    data = answer(Decision.REJECTED, motivation="Concept: liever niet op zaterdag.")

    response = _draft(client, wijkmanager, proposal, data)

    assert response.status_code == 302
    assert _messages(response) == [_nl("The draft answer is saved. Only the city sees drafts.")]
    draft = Answer.objects.get()
    assert (draft.published_at, draft.written_by, draft.decision) == (
        None,
        wijkmanager,
        Decision.REJECTED,
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    client.force_login(wijkraad)
    page = client.get(proposal.get_absolute_url())
    assert "liever niet op zaterdag" not in page.content.decode()
    assert page.context["workflow"]["published_answer"] is None
    client.force_login(coordinator)
    page = client.get(proposal.get_absolute_url())
    html = page.content.decode()
    assert 'data-kind="draft"' in html and "liever niet op zaterdag" in html
    # The coordinator's form starts from the draft, ready to publish.
    form = page.context["workflow"]["answer_form"]
    assert form.initial["motivation"] == "Concept: liever niet op zaterdag."
    assert form.initial["decision"] == Decision.REJECTED


def test_every_draft_is_kept_and_the_published_answer_follows(
    client, proposal, wijkmanager, coordinator, wijkraad
):
    _draft(client, wijkmanager, proposal, answer(Decision.ACCEPTED))
    _draft(client, wijkmanager, proposal, answer(Decision.REJECTED))
    _decide(client, coordinator, proposal, answer(Decision.REJECTED))

    assert Answer.objects.filter(published_at=None).count() == 2
    client.force_login(coordinator)
    kinds = [
        e["answer"].published_at is not None
        for e in client.get(proposal.get_absolute_url()).context["workflow"]["timeline"]
        if "answer" in e
    ]
    assert kinds == [False, False, True]
    client.force_login(wijkraad)
    kinds = [
        e["answer"].published_at is not None
        for e in client.get(proposal.get_absolute_url()).context["workflow"]["timeline"]
        if "answer" in e
    ]
    assert kinds == [True]


def test_the_wijkmanager_may_draft_but_not_publish(client, proposal, wijkmanager, coordinator):
    client.force_login(wijkmanager)
    page = client.get(proposal.get_absolute_url())
    assert page.context["workflow"]["answer_form"] is not None
    assert not page.context["workflow"]["can_decide"]
    assert reverse("proposals:decide", args=[proposal.pk]) not in page.content.decode()
    client.force_login(coordinator)
    page = client.get(proposal.get_absolute_url())
    assert f'formaction="{reverse("proposals:decide", args=[proposal.pk])}"' in (
        page.content.decode()
    )


@pytest.mark.parametrize(("role", "status"), [("wijkraad", 403), ("outsider", 404), ("host", 404)])
def test_others_cannot_draft(client, proposal, cast, role, status):
    response = _draft(client, cast[role], proposal, answer())

    assert response.status_code == status
    assert not Answer.objects.exists()


def test_a_bad_draft_gets_a_message_and_is_kept(client, proposal, wijkmanager):
    response = _draft(client, wijkmanager, proposal, answer(start="2020-01-01"))

    assert response.status_code == 302
    assert not Answer.objects.exists()
    form = client.get(proposal.get_absolute_url()).context["workflow"]["answer_form"]
    assert form.errors["start_date"]
    assert form.data["motivation"] == "Past binnen de norm en het budget."


def test_a_partly_draft_keeps_the_adopted_grid_on_the_page(client, proposal, wijkmanager):
    response = _draft(client, wijkmanager, proposal, answer(Decision.PARTLY, **grid(ADOPTED)))

    assert _messages(response) == [
        _nl("The draft answer is saved. Only the city sees drafts."),
        _nl("The adopted opening hours are recorded when the decision is published."),
    ]
    grid_form = client.get(proposal.get_absolute_url()).context["workflow"]["grid_form"]
    assert grid_form.is_bound and not grid_form.errors
    assert {(s["weekday"], s["dagdeel"]) for s in grid_form.cleaned_slots} == set(ADOPTED)


def test_no_drafts_once_decided(client, proposal, wijkmanager, coordinator):
    _decide(client, coordinator, proposal, answer(Decision.REJECTED))

    response = _draft(client, wijkmanager, proposal, answer())

    assert response.status_code == 302
    assert Answer.objects.filter(published_at=None).count() == 0


# --- from decision to opening hours and roster ------------------------------------------------


def test_an_accepted_proposal_comes_into_force_on_its_date_and_the_roster_follows(
    client, hub, proposal, coordinator, wijkraad, django_capture_on_commit_callbacks
):
    shifts_sync()
    person = staff_member(email="medewerker-b@example.org")
    monday = Shift.objects.get(hub=hub, date=dt.date(2026, 12, 7), dagdeel=Dagdeel.OCHTEND)
    signup_create(shift_id=monday.pk, user=person)
    mail.outbox.clear()

    _decide(client, coordinator, proposal, answer(), django_capture_on_commit_callbacks)

    # The shifts follow right away (after the commit), from the start date on.
    monday.refresh_from_db()
    assert monday.is_cancelled
    assert SignUp.objects.get(user=person).status == SignUpStatus.CANCELLED
    assert [m.to for m in mail.outbox if person.email in m.to] == [[person.email]]
    assert not Shift.objects.get(
        hub=hub, date=dt.date(2026, 11, 30), dagdeel="ochtend"
    ).is_cancelled
    new = Shift.objects.filter(hub=hub, dagdeel=Dagdeel.OCHTEND, is_cancelled=False)
    assert new.filter(date=dt.date(2026, 12, 2)).exists()  # Wednesday
    assert new.filter(date=dt.date(2026, 12, 5)).exists()  # Saturday
    assert not Shift.objects.filter(hub=hub, date=dt.date(2026, 11, 28)).exists()
    # Syncing again tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        shifts_sync()
    assert len([m for m in mail.outbox if person.email in m.to]) == 1

    # The public opening hours follow the new grid from the start date.
    week = hub.opening_for_week(START)
    open_cells = {(d.date, o.dagdeel) for d in week for o in d.openings}
    assert (dt.date(2026, 11, 30), Dagdeel.OCHTEND) in open_cells  # Monday: still the old grid
    assert (dt.date(2026, 12, 2), Dagdeel.OCHTEND) in open_cells  # Wednesday: new
    assert (dt.date(2026, 12, 5), Dagdeel.OCHTEND) in open_cells  # Saturday: new
    next_week = hub.opening_for_week(dt.date(2026, 12, 7))
    assert not next_week[0].openings  # no Monday morning any more

    proposal.refresh_from_db()
    assert proposal.status == Status.PLANNED
    # The day before: not yet.
    with time_machine.travel(dt.datetime(2026, 11, 30, 22, 0, tzinfo=dt.UTC), tick=False):
        assert proposals_bring_into_force() == 0  # 23:00 on Monday 30 November
    mail.outbox.clear()
    first_minutes = dt.datetime(2026, 11, 30, 23, 10, tzinfo=dt.UTC)  # 00:10 on 1 December
    with (
        time_machine.travel(first_minutes, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert proposals_bring_into_force() == 1
        assert proposals_bring_into_force() == 0
    proposal.refresh_from_db()
    assert proposal.status == Status.IN_FORCE
    step = proposal.transitions.last()
    assert (step.from_status, step.to_status, step.by) == (Status.PLANNED, Status.IN_FORCE, None)
    assert [m.to for m in mail.outbox] == [[wijkraad.email]]


def test_a_partly_accepted_proposal_follows_the_adopted_grid(
    client, hub, proposal, coordinator, django_capture_on_commit_callbacks
):
    shifts_sync()

    _decide(
        client,
        coordinator,
        proposal,
        answer(Decision.PARTLY, **grid(ADOPTED)),
        django_capture_on_commit_callbacks,
    )

    live = Shift.objects.filter(hub=hub, date__gte=START, is_cancelled=False)
    assert live.filter(date=dt.date(2026, 12, 7), dagdeel=Dagdeel.OCHTEND).exists()  # Monday kept
    assert live.filter(date=dt.date(2026, 12, 2), dagdeel=Dagdeel.OCHTEND).exists()  # Wednesday
    assert not Shift.objects.filter(hub=hub, date=dt.date(2026, 12, 5)).exists()  # no Saturday
    week = hub.opening_for_week(dt.date(2026, 12, 7))
    assert {(d.date.weekday(), o.dagdeel) for d in week for o in d.openings} == set(ADOPTED)
