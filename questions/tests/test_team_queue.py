"""The teams page and a team's queue: open callbacks by due date (overdue first),
claimed or not, and the recently closed ones; no personal data in the lists."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from accounts.constants import Role
from questions.constants import CallbackStatus, Outcome
from questions.models import CallbackRequest, PersonalDataAccess, Question
from questions.services import callback_claim, callback_complete
from tests.factories import TeamFactory, TopicFactory, UserFactory, give_role, make_callback

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # Tuesday 1 December, 10:00
TODAY = dt.date(2026, 12, 1)


def bulk_callbacks(n, *, hub, team, created_by, topic, start=0, **fields):
    """``n`` callbacks (with their questions) in two bulk inserts: fast enough for 10,000."""
    questions = Question.objects.bulk_create(
        Question(
            hub=hub,
            date=TODAY,
            created_at=NOW,
            created_by=created_by,
            topic=topic,
            outcome=Outcome.CALLBACK,
        )
        for _ in range(n)
    )
    if questions[0].pk is None:  # SQLite before returning ids: read them back
        questions = list(Question.objects.order_by("-pk")[:n])
    defaults = {
        "due_date": TODAY,
        "status": CallbackStatus.OPEN,
        "resident_name": "Piet Geheim",
        "phone": "0611111111",
        "consent_at": NOW,
        "created_at": NOW,
    }
    defaults.update(fields)
    return CallbackRequest.objects.bulk_create(
        CallbackRequest(
            reference=f"TQ{start + i:08d}",
            question=question,
            hub=hub,
            team=team,
            created_by=created_by,
            **defaults,
        )
        for i, question in enumerate(questions)
    )


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def member():
    return give_role(UserFactory(first_name="Lotte", last_name="Visser"), Role.MEDEWERKER)


@pytest.fixture
def colleague():
    return give_role(UserFactory(first_name="Karim", last_name="Bouali"), Role.MEDEWERKER)


@pytest.fixture
def team(member, colleague):
    return TeamFactory(name="Team Wonen", members=[member, colleague])


def _queue(team, **params):
    return reverse("questions:team_queue", args=[team.pk]), params


def test_the_queue_lists_open_callbacks_overdue_first_and_marked(
    client, hub, host, team, member, colleague, clock
):
    clock.move_to(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    late = make_callback(hub=hub, team=team, user=host)  # due 24 November
    clock.move_to(NOW)
    unclaimed = make_callback(hub=hub, team=team, user=host)  # due 3 December
    mine = make_callback(hub=hub, team=team, user=host)
    theirs = make_callback(hub=hub, team=team, user=host)
    callback_claim(callback_id=mine.pk, user=member)
    callback_claim(callback_id=theirs.pk, user=colleague)
    done = make_callback(hub=hub, team=team, user=host)
    callback_claim(callback_id=done.pk, user=member)
    callback_complete(callback_id=done.pk, user=member, result="klaar")
    make_callback(hub=hub, user=host)  # another team's

    client.force_login(member)
    response = client.get(reverse("questions:team_queue", args=[team.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.reference for r in rows][0] == late.reference
    assert {r.reference for r in rows} == {
        late.reference,
        unclaimed.reference,
        mine.reference,
        theirs.reference,
    }
    assert [r.overdue for r in rows] == [True, False, False, False]
    assert [c.reference for c in response.context["closed"]] == [done.reference]
    html = response.content.decode()
    assert "table-danger" in html and "table-info" in html
    assert "Karim Bouali" in html
    # No personal data in the list, and nothing recorded as viewed.
    for personal in ("Jan Jansen", "0612345678", "huurtoeslag"):
        assert personal not in html
    assert not PersonalDataAccess.objects.exists()
    # One claim button: for the unclaimed one and the overdue one (both nobody's).
    assert html.count(reverse("questions:callback_claim", args=[unclaimed.reference])) == 1
    assert reverse("questions:callback_claim", args=[mine.reference]) not in html


def test_the_filters_narrow_the_queue(client, hub, host, team, member, colleague):
    a = make_callback(hub=hub, team=team, user=host)
    b = make_callback(hub=hub, team=team, user=host)
    c = make_callback(hub=hub, team=team, user=host)
    callback_claim(callback_id=b.pk, user=member)
    callback_claim(callback_id=c.pk, user=colleague)
    client.force_login(member)
    url = reverse("questions:team_queue", args=[team.pk])

    def refs(**params):
        return {r.reference for r in client.get(url, params).context["rows"]}

    assert refs(status="open") == {a.reference}
    assert refs(status="claimed") == {b.reference, c.reference}
    assert refs(mine="on") == {b.reference}
    assert refs(status="bogus") == {a.reference, b.reference, c.reference}  # ignored


def test_a_coordinator_reads_the_queue_without_claim_buttons(client, hub, host, team, coordinator):
    callback = make_callback(hub=hub, team=team, user=host)
    client.force_login(coordinator)
    response = client.get(reverse("questions:team_queue", args=[team.pk]))
    assert response.status_code == 200
    assert response.context["is_member"] is False
    assert reverse("questions:callback_claim", args=[callback.reference]) not in (
        response.content.decode()
    )


@pytest.mark.parametrize("who", ["host", "wijkmanager", "outsider", "medewerker", "kcc"])
def test_non_members_get_403(client, request, team, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("questions:team_queue", args=[team.pk])).status_code == 403


def test_a_member_of_another_team_gets_403(client, team):
    stranger = give_role(UserFactory(), Role.MEDEWERKER)
    TeamFactory(members=[stranger])
    client.force_login(stranger)
    assert client.get(reverse("questions:team_queue", args=[team.pk])).status_code == 403


def test_a_forged_team_is_404(client, member):
    client.force_login(member)
    assert client.get(reverse("questions:team_queue", args=[999999])).status_code == 404


def test_the_queue_refuses_post(client, team, member):
    client.force_login(member)
    assert client.post(reverse("questions:team_queue", args=[team.pk])).status_code == 405


def test_the_queue_pages_by_due_date_without_repeating_or_skipping(client, hub, host, team, member):
    topic = TopicFactory(name="Wonen")
    made = []
    for offset in range(5):
        made += bulk_callbacks(
            25,
            hub=hub,
            team=team,
            created_by=host,
            topic=topic,
            start=offset * 25,
            due_date=TODAY + dt.timedelta(days=offset),
        )
    client.force_login(member)
    url = reverse("questions:team_queue", args=[team.pk])
    seen, params = [], {}
    while True:
        response = client.get(url, params)
        seen += [r.reference for r in response.context["rows"]]
        if not response.context["next_cursor"]:
            break
        params = {"after": response.context["next_cursor"]}
    assert len(seen) == len(set(seen)) == 125
    due = dict(CallbackRequest.objects.values_list("reference", "due_date"))
    assert [due[r] for r in seen] == sorted(due[r] for r in seen)


@pytest.mark.parametrize(
    "cursor", ["garbage", "2026-13-01_5", "x_y", "2026-12-01_99999999999999999999999", "_"]
)
def test_a_forged_cursor_shows_the_first_page(client, team, member, cursor):
    client.force_login(member)
    response = client.get(
        reverse("questions:team_queue", args=[team.pk]), {"after": cursor, "closed_after": cursor}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_queue_costs_the_same_queries_at_10_and_10000(
    client, hub, host, team, member, size, django_assert_num_queries
):
    topic = TopicFactory(name="Huur", parent=TopicFactory(name="Wonen"))
    half = size // 2
    bulk_callbacks(
        half,
        hub=hub,
        team=team,
        created_by=host,
        topic=topic,
        due_date=TODAY - dt.timedelta(days=3),
    )
    bulk_callbacks(
        size - half,
        hub=hub,
        team=team,
        created_by=host,
        topic=topic,
        start=half,
        status=CallbackStatus.COMPLETED,
        closed_at=timezone.now() - dt.timedelta(days=2),
        claimed_by=member,
    )
    client.force_login(member)
    url = reverse("questions:team_queue", args=[team.pk])
    # 7 queries: session, user, the team (with the user's membership), one page of open
    # callbacks and one of closed ones (each with hub and handler joined in), the topics
    # of both pages (with their main topic), and roles (for the navigation). No COUNT
    # over the table.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(half, 50)


@pytest.mark.parametrize("size", [10, 10_000])
def test_the_teams_page_costs_the_same_queries_at_10_and_10000(
    client, hub, host, team, member, size, django_assert_num_queries
):
    topic = TopicFactory(name="Wonen")
    bulk_callbacks(
        size,
        hub=hub,
        team=team,
        created_by=host,
        topic=topic,
        due_date=TODAY - dt.timedelta(days=1),
    )
    client.force_login(member)
    # 4 queries: session, user, roles, and the teams with their open and overdue counts.
    with django_assert_num_queries(4):
        response = client.get(reverse("questions:teams"))
    row = response.context["rows"][0]
    assert (row.open_count, row.overdue_count) == (size, size)


def test_the_teams_page_shows_only_my_teams(client, team, member):
    TeamFactory(name="Team Afval")
    client.force_login(member)
    response = client.get(reverse("questions:teams"))
    assert [t.name for t in response.context["rows"]] == ["Team Wonen"]


def test_a_coordinator_sees_every_team(client, team, coordinator):
    TeamFactory(name="Team Afval")
    client.force_login(coordinator)
    response = client.get(reverse("questions:teams"))
    assert [t.name for t in response.context["rows"]] == ["Team Afval", "Team Wonen"]


@pytest.mark.parametrize("who", ["outsider", "host", "medewerker"])
def test_someone_without_a_team_sees_no_queue(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("questions:teams"))
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_a_wijkraad_member_gets_403_on_the_teams_page(client, wijkraad):
    client.force_login(wijkraad)
    assert client.get(reverse("questions:teams")).status_code == 403


def test_a_host_finds_her_callback_requests_from_the_teams_page(client, host):
    client.force_login(host)
    html = client.get(reverse("questions:teams")).content.decode()
    assert reverse("questions:callbacks_sent") in html


def test_the_teams_page_refuses_post(client, member):
    client.force_login(member)
    assert client.post(reverse("questions:teams")).status_code == 405


def test_the_teams_page_counts_open_and_overdue(client, hub, host, team, member, clock):
    clock.move_to(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC))
    make_callback(hub=hub, team=team, user=host)
    clock.move_to(NOW)
    make_callback(hub=hub, team=team, user=host)
    done = make_callback(hub=hub, team=team, user=host)
    callback_claim(callback_id=done.pk, user=member)
    callback_complete(callback_id=done.pk, user=member, result="klaar")
    client.force_login(member)
    row = list(client.get(reverse("questions:teams")).context["rows"])[0]
    assert (row.open_count, row.overdue_count) == (2, 1)


def test_the_teams_page_counts_each_team_apart_and_a_quiet_team_as_zero(
    client, hub, host, team, coordinator
):
    busy = TeamFactory(name="Team Afval")
    quiet = TeamFactory(name="Team Zorg")
    make_callback(hub=hub, team=busy, user=host)
    make_callback(hub=hub, team=busy, user=host)
    unreachable = make_callback(hub=hub, team=quiet, user=host)
    CallbackRequest.objects.filter(pk=unreachable.pk).update(
        status=CallbackStatus.UNREACHABLE, closed_at=NOW
    )
    client.force_login(coordinator)
    rows = client.get(reverse("questions:teams")).context["rows"]
    counts = {row.name: (row.open_count, row.overdue_count) for row in rows}
    assert counts == {"Team Afval": (2, 0), "Team Wonen": (0, 0), "Team Zorg": (0, 0)}


def test_the_filter_form_labels_its_fields_and_marks_an_invalid_status(client, team, member):
    client.force_login(member)
    html = client.get(reverse("questions:team_queue", args=[team.pk]), {"status": "bogus"})
    html = html.content.decode()
    assertInHTML('<label for="id_status" class="form-label">Status</label>', html)
    assert (
        '<select name="status" class="select form-select is-invalid" aria-invalid="true" '
        'aria-describedby="id_status_error" id="id_status">'
    ) in html
    assert '<div id="id_status_error" class="invalid-feedback">' in html
    assertInHTML(
        '<input type="checkbox" name="mine" class="checkboxinput form-check-input" id="id_mine">',
        html,
    )
    assertInHTML('<label for="id_mine" class="form-check-label">Alleen die van mij</label>', html)


def test_each_row_links_to_its_callback_and_its_claim(client, hub, host, team, member):
    plain = make_callback(hub=hub, team=team, user=host)
    odd = make_callback(hub=hub, team=team, user=host)
    # A reference the address has to quote (none is made like this; an old import might).
    CallbackRequest.objects.filter(pk=odd.pk).update(reference="tb 1ä")
    client.force_login(member)
    html = client.get(reverse("questions:team_queue", args=[team.pk])).content.decode()
    for reference in (plain.reference, "tb 1ä"):
        assert f'href="{reverse("questions:callback_detail", args=[reference])}"' in html
        assert f'action="{reverse("questions:callback_claim", args=[reference])}"' in html
    assert "/tb%201%C3%A4/" in html
