"""Coordinators create and edit the teams that phone residents back."""

import pytest
from django.urls import reverse

from accounts.constants import Role
from questions.models import Team
from tests.factories import ClusterFactory, TeamFactory, UserFactory, give_role

pytestmark = pytest.mark.django_db

ADMIN = reverse("questions:team_admin")


@pytest.fixture
def people():
    # Team members are city staff: medewerkers of a cluster.
    return [give_role(UserFactory(first_name=name), Role.MEDEWERKER) for name in ("Anna", "Bram")]


def _data(people, **overrides):
    data = {
        "name": "Team Schulden",
        "cluster": ClusterFactory(name="Maatschappelijke Ontwikkeling").pk,
        "members": [p.pk for p in people],
        "due_working_days": "3",
        "max_attempts": "4",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_a_coordinator_creates_a_team(client, coordinator, people):
    client.force_login(coordinator)
    assert client.get(ADMIN).status_code == 200
    response = client.post(ADMIN, _data(people))
    assert response.status_code == 302
    team = Team.objects.get()
    assert (team.name, team.due_working_days, team.max_attempts) == ("Team Schulden", 3, 4)
    assert set(team.members.all()) == set(people)
    assert team.cluster.name == "Maatschappelijke Ontwikkeling"


def test_a_coordinator_edits_a_team(client, coordinator, people):
    team = TeamFactory(name="Team Oud", members=[people[0]])
    client.force_login(coordinator)
    url = reverse("questions:team_edit", args=[team.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _data(people[1:], name="Team Nieuw", due_working_days="1"))
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Team Nieuw"
    assert team.due_working_days == 1
    assert list(team.members.all()) == [people[1]]


@pytest.mark.parametrize("field", ["due_working_days", "max_attempts"])
@pytest.mark.parametrize("value", ["0", "-1", "abc", "99999"])
def test_limits_below_one_or_absurd_are_refused(client, coordinator, people, field, value):
    client.force_login(coordinator)
    response = client.post(ADMIN, _data(people, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Team.objects.exists()


def test_a_duplicate_name_or_forged_member_is_a_form_error(client, coordinator, people):
    TeamFactory(name="Team Schulden")
    client.force_login(coordinator)
    response = client.post(ADMIN, _data(people))
    assert "name" in response.context["form"].errors
    response = client.post(ADMIN, _data(people, name="Ander", members=["999999"]))
    assert "members" in response.context["form"].errors


def test_inactive_users_cannot_be_added(client, coordinator, people):
    gone = UserFactory(is_active=False)
    client.force_login(coordinator)
    response = client.post(ADMIN, _data(people, members=[gone.pk]))
    assert "members" in response.context["form"].errors


@pytest.mark.parametrize("who", ["host", "wijkmanager", "kcc", "medewerker", "outsider"])
def test_others_get_403(client, request, people, who):
    team = TeamFactory()
    client.force_login(request.getfixturevalue(who))
    assert client.get(ADMIN).status_code == 403
    assert client.post(ADMIN, _data(people)).status_code == 403
    assert (
        client.post(reverse("questions:team_edit", args=[team.pk]), _data(people)).status_code
        == 403
    )
    assert Team.objects.count() == 1


def test_a_forged_team_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("questions:team_edit", args=[999999])).status_code == 404


def test_wrong_method_is_405(client, coordinator):
    client.force_login(coordinator)
    assert client.put(ADMIN).status_code == 405


def test_a_wijkraad_member_cannot_join_a_team(client, coordinator, people, wijkraad):
    """Team members see residents' personal data: only city staff may be members."""
    client.force_login(coordinator)
    page = client.get(reverse("questions:team_admin"))
    assert wijkraad.email not in page.content.decode()
    response = client.post(reverse("questions:team_admin"), _data(people + [wijkraad]))
    assert response.status_code == 200  # the form comes back with an error
    assert not Team.objects.filter(members=wijkraad).exists()
