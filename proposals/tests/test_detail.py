"""The proposal page: what it shows to whom, the analysis, and a fixed query count."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext

from accounts.constants import Role
from hubs.constants import Dagdeel
from proposals import services
from proposals.constants import Decision, Status
from proposals.models import Message, Transition
from tests.factories import UserFactory, give_role, make_proposal, proposal_slots

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    # Wednesday 4 November 2026.
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _url(proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def test_wijkraad_sees_its_draft_with_the_analysis(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    response = client.get(_url(proposal))
    assert response.status_code == 200
    html = response.content.decode()
    assert proposal.title in html
    assert proposal.argumentation in html
    assert 'data-status="concept"' in html
    assert reverse("proposals:edit", args=[proposal.pk]) in html
    analysis = response.context["analysis"]
    assert analysis["before_version"] == hub.schedule_versions.get()
    assert (analysis["after_norm"].dagdelen, analysis["after_norm"].days) == (5, 4)
    assert analysis["staffing"].before == 4 * hub.min_staff
    assert analysis["staffing"].after == 5 * hub.min_staff
    # The workflow partial is on the page (the timeline of the proposal).
    assert 'id="timeline"' in html


@pytest.mark.parametrize("role", ["wijkmanager", "coordinator"])
def test_the_city_sees_a_submitted_proposal_with_its_due_date(client, cast, hub, wijkraad, role):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(cast[role])
    response = client.get(_url(proposal))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="submitted"' in html
    assert not response.context["can_edit"]
    assert reverse("proposals:edit", args=[proposal.pk]) not in html
    assert proposal.answer_due == dt.date(2026, 12, 2)  # four weeks after submission
    with translation.override("nl"):
        due = dateformat.format(proposal.answer_due, "l j F Y")
    assert due in html
    assert 'data-overdue="true"' not in html


def test_overdue_answer_is_marked_in_text(client, wijkmanager, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad, submit=True)
    with time_machine.travel(dt.datetime(2026, 12, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(wijkmanager)
        response = client.get(_url(proposal))
    assert response.context["is_overdue"] is True
    assert _nl("(overdue: the city has not answered in time)") in response.content.decode()


@pytest.mark.parametrize("role", ["wijkmanager", "coordinator", "outsider", "host"])
def test_a_draft_is_not_found_for_anyone_but_the_wijkraad(client, cast, hub, wijkraad, role):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(cast[role])
    assert client.get(_url(proposal)).status_code == 404


def test_other_wijk_and_forged_ids_are_not_found(client, hub, other_hub, wijkraad, outsider):
    proposal = make_proposal(hub, wijkraad, submit=True)
    client.force_login(give_role(UserFactory(), Role.WIJKRAAD, other_hub))
    assert client.get(_url(proposal)).status_code == 404
    client.force_login(outsider)  # wijkmanager of the other hub
    assert client.get(_url(proposal)).status_code == 404
    client.force_login(wijkraad)
    assert client.get(reverse("proposals:detail", args=[proposal.pk + 1000])).status_code == 404


def test_anonymous_goes_to_login_and_post_is_refused(client, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad)
    response = client.get(_url(proposal))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
    client.force_login(wijkraad)
    assert client.post(_url(proposal)).status_code == 405


def test_partly_accepted_proposal_shows_the_adopted_grid(
    client, wijkraad, coordinator, hub, django_capture_on_commit_callbacks
):
    proposal = make_proposal(hub, wijkraad, submit=True)
    # The city adopts the current week plus Friday morning instead of Saturday morning.
    adopted = [
        (0, Dagdeel.OCHTEND),
        (1, Dagdeel.MIDDAG),
        (3, Dagdeel.OCHTEND),
        (3, Dagdeel.MIDDAG),
        (4, Dagdeel.OCHTEND),
    ]
    services.proposal_decide(
        proposal_id=proposal.pk,
        user=coordinator,
        expected=Status.SUBMITTED,
        decision=Decision.PARTLY,
        motivation="Vrijdag past beter bij de bezetting.",
        start_date=dt.date(2027, 1, 4),
        adopted_slots=proposal_slots(adopted),
    )
    client.force_login(wijkraad)
    response = client.get(_url(proposal))
    assert response.status_code == 200
    # Compared with the hours before, not with the proposal's own new version.
    assert response.context["analysis"]["before_version"].valid_from == dt.date(2020, 1, 6)
    assert response.context["analysis"]["compare"]["added"]
    adopted_view = response.context["adopted"]
    assert len(adopted_view["compare"]["added"]) == 1  # Friday morning
    assert len(adopted_view["compare"]["removed"]) == 1  # Saturday morning
    assert (adopted_view["norm"].dagdelen, adopted_view["norm"].days) == (5, 4)
    html = response.content.decode()
    assert 'data-status="planned"' in html
    assert _nl("What the city adopted") in html


def _history(proposal, author, count: int) -> None:
    now = timezone.now()
    Message.objects.bulk_create(
        Message(
            proposal=proposal,
            author=author,
            body=f"Bericht {n}",
            created_at=now + dt.timedelta(minutes=n),
        )
        for n in range(count)
    )
    Transition.objects.bulk_create(
        Transition(
            proposal=proposal,
            from_status=Status.SUBMITTED,
            to_status=Status.IN_CONVERSATION,
            by=author,
            at=now + dt.timedelta(minutes=n),
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [2, 40])
def test_detail_query_count(client, wijkmanager, hub, wijkraad, django_assert_num_queries, count):
    proposal = make_proposal(hub, wijkraad, submit=True)
    _history(proposal, wijkraad, count)
    client.force_login(wijkmanager)
    # session, user, proposal with hub/author, its slots, role assignments,
    # the slots of the version compared with (each with that version), the question
    # counts (which weeks are rolled up, their figures, and a grouped count of what they
    # do not hold; none of these while the counts are in the cache, which the tests
    # switch off); the workflow partial: transitions, answers, messages (each with
    # their authors); the attachments with who added them.
    with django_assert_num_queries(13):
        response = client.get(_url(proposal))
    assert response.status_code == 200
    assert f"Bericht {count - 1}" in response.content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_analysis_is_the_template_drawn_once_and_kept(
    client, wijkraad, hub, language, settings
):
    """The analysis section is proposals/_analysis.html as the include drew it; it is kept
    in the cache under what it shows, so other figures are never shown from an old copy."""
    from django.core.cache import cache
    from django.template.loader import render_to_string

    from proposals.views import drafting

    settings.LANGUAGE_CODE = language
    cache.clear()
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    first = client.get(_url(proposal))
    with translation.override(language):
        expected = render_to_string(
            "proposals/_analysis.html",
            {
                "analysis": first.context["analysis"],
                "after_caption": gettext("Opening hours proposed"),
            },
        )
    assert expected in first.content.decode()
    assert 'id="analysis"' in expected
    # The second request draws nothing: the same section comes from the cache.
    calls = []
    real = drafting.render_to_string

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    drafting.render_to_string = counting
    try:
        again = client.get(_url(proposal))
        assert expected in again.content.decode()
        assert calls == []
        # Another grid is another analysis: drawn anew, with the new figures.
        proposal.slots.filter(weekday=5).delete()
        changed = client.get(_url(proposal))
    finally:
        drafting.render_to_string = real
    assert calls == [drafting.ANALYSIS_TEMPLATE]
    assert changed.context["analysis"]["after_norm"].dagdelen == 4
    assert expected not in changed.content.decode()


def test_the_page_reads_only_the_names_of_the_people_it_shows(client, wijkmanager, hub, wijkraad):
    """Authors come with their messages, but without the columns the page never shows
    (the password hash above all)."""
    from proposals import selectors

    proposal = make_proposal(hub, wijkraad, submit=True)
    _history(proposal, wijkraad, 1)
    message = selectors.with_person(Message.objects.filter(proposal=proposal), "author").get()
    assert {"password", "last_login", "date_joined"} <= message.author.get_deferred_fields()
    assert not message.get_deferred_fields()
    assert str(message.author) == str(wijkraad)
    client.force_login(wijkmanager)
    assert str(wijkraad) in client.get(_url(proposal)).content.decode()
