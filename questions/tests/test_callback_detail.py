"""One callback request: who sees the record, who sees the resident's details, and
that every showing of those details is recorded (AVG)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.constants import Role
from questions.models import PersonalDataAccess
from questions.services import callback_claim, callback_complete, callbacks_purge
from tests.factories import TeamFactory, UserFactory, give_role, make_callback

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)  # Tuesday 1 December, 10:00
QUERIES = 11
PERSONAL = ("Jan Jansen", "0612345678", "jan@example.org", "Vraag over huurtoeslag", "na 15:00")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def member():
    return give_role(UserFactory(email="lid@example.org", first_name="Lotte"), Role.MEDEWERKER)


@pytest.fixture
def team(member):
    return TeamFactory(name="Team Wonen", members=[member])


@pytest.fixture
def other_member():
    user = give_role(UserFactory(email="ander-team@example.org"), Role.MEDEWERKER)
    TeamFactory(name="Team Afval", members=[user])
    return user


@pytest.fixture
def other_host(other_hub):
    return give_role(UserFactory(email="host2@example.org"), Role.HOST, other_hub)


@pytest.fixture
def callback(hub, team, host):
    return make_callback(hub=hub, team=team, user=host, email="jan@example.org")


def _detail(callback):
    return reverse("questions:callback_detail", args=[callback.reference])


@pytest.mark.parametrize("who", ["host", "member", "wijkmanager"])
def test_the_team_the_host_and_the_wijkmanager_see_the_residents_details(
    client, request, callback, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(_detail(callback))
    assert response.status_code == 200
    html = response.content.decode()
    for value in PERSONAL:
        assert value in html
    assert 'href="tel:0612345678"' in html
    assert response.context["shows_personal"] is True
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.callback, access.purpose) == (user, callback, "detail")


def test_each_showing_of_the_details_is_one_access_row(client, callback, member):
    client.force_login(member)
    for expected in (1, 2, 3):
        client.get(_detail(callback))
        assert PersonalDataAccess.objects.filter(user=member, callback=callback).count() == expected


def test_a_coordinator_sees_the_record_without_the_residents_details(
    client, callback, coordinator, hub, team
):
    client.force_login(coordinator)
    response = client.get(_detail(callback))
    assert response.status_code == 200
    html = response.content.decode()
    assert callback.reference in html
    assert hub.name in html
    assert team.name in html
    for value in PERSONAL:
        assert value not in html
    assert response.context["shows_personal"] is False
    assert not PersonalDataAccess.objects.exists()


def test_a_coordinator_who_is_also_in_the_team_sees_the_details(client, callback, coordinator):
    callback.team.members.add(coordinator)
    client.force_login(coordinator)
    assert "Jan Jansen" in client.get(_detail(callback)).content.decode()
    assert PersonalDataAccess.objects.filter(user=coordinator).count() == 1


@pytest.mark.parametrize(
    "who", ["other_host", "other_member", "outsider", "medewerker", "kcc", "wijkraad"]
)
def test_everyone_else_gets_404(client, request, callback, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_detail(callback)).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_a_forged_reference_is_404(client, member):
    client.force_login(member)
    for reference in ("TB-XXXX-XX", "x" * 300, "%00", "TB-' OR 1=1"):
        response = client.get(reverse("questions:callback_detail", args=[reference]))
        assert response.status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, callback):
    response = client.get(_detail(callback))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_post_to_the_detail_page_is_405(client, callback, member):
    client.force_login(member)
    assert client.post(_detail(callback)).status_code == 405


def test_an_overdue_callback_says_so_in_words(client, callback, member, clock):
    clock.move_to(dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC))
    client.force_login(member)
    response = client.get(_detail(callback))
    assert response.context["overdue"] is True
    assert "text-danger" in response.content.decode()


def test_a_callback_on_time_is_not_marked_overdue(client, callback, member):
    client.force_login(member)
    assert client.get(_detail(callback)).context["overdue"] is False


def test_the_timeline_lists_events_and_attempts(client, callback, member):
    from questions.services import callback_log_attempt

    callback_claim(callback_id=callback.pk, user=member)
    callback_log_attempt(
        callback_id=callback.pk, user=member, result="voicemail", note="ingesproken"
    )
    client.force_login(member)
    response = client.get(_detail(callback))
    kinds = [
        (entry["kind"], getattr(entry["item"], "kind", None))
        for entry in response.context["timeline"]
    ]
    assert kinds == [("event", "created"), ("event", "claimed"), ("attempt", None)]
    assert "ingesproken" in response.content.decode()


def test_notes_are_hidden_from_a_coordinator_without_a_role(client, callback, member, coordinator):
    from questions.services import callback_log_attempt

    callback_claim(callback_id=callback.pk, user=member)
    callback_log_attempt(callback_id=callback.pk, user=member, result="voicemail", note="vrouw X")
    client.force_login(coordinator)
    assert "vrouw X" not in client.get(_detail(callback)).content.decode()


def test_a_purged_callback_says_when_its_details_were_removed(client, callback, member, clock):
    callback_claim(callback_id=callback.pk, user=member)
    callback_complete(callback_id=callback.pk, user=member, result="Uitgelegd")
    clock.move_to(NOW + dt.timedelta(days=31))
    assert callbacks_purge() == 1
    client.force_login(member)
    response = client.get(_detail(callback))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 januari 2027" in html or "January 1, 2027" in html or "1 January 2027" in html
    assert response.context["shows_personal"] is False
    for value in PERSONAL:
        assert value not in html
    assert not PersonalDataAccess.objects.exists()


def test_the_detail_page_costs_the_same_queries_with_a_long_history(
    client, callback, member, django_assert_num_queries
):
    from questions.services import callback_log_attempt, callback_release

    client.force_login(member)
    # 11 queries: session, user, the callback with hub, team, topic and people, team
    # membership, roles, membership again (personal_data_visible_to), the access row,
    # its audit-log event, events, attempts, and the teams of the forward form.
    with django_assert_num_queries(QUERIES):
        client.get(_detail(callback))
    for _ in range(10):
        callback_claim(callback_id=callback.pk, user=member)
        callback_log_attempt(callback_id=callback.pk, user=member, result="reached", note="n")
        callback_release(callback_id=callback.pk, user=member)
    with django_assert_num_queries(QUERIES):
        client.get(_detail(callback))
