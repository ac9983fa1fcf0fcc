import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from accounts.constants import Role
from tests.factories import ClusterFactory, HubFactory, UserFactory, give_role

URL = reverse("users:list")


def test_coordinator_sees_users_with_cluster_roles_and_mfa(coordinator_client, host, wijkmanager):
    host.cluster = ClusterFactory(name="Dienstverlening")
    host.save()
    TOTP.activate(wijkmanager, generate_totp_secret())

    response = coordinator_client.get(URL)

    assert response.status_code == 200
    users = {u.email: u for u in response.context["users"]}
    assert set(users) >= {"host@example.org", "wijkmanager@example.org", "coordinator@example.org"}
    assert users["wijkmanager@example.org"].has_totp is True
    assert users["host@example.org"].has_totp is False
    html = response.content.decode()
    assert "Dienstverlening" in html
    assert f"{Role.HOST.label} – Feijenoord" in html
    assert reverse("users:edit", args=[host.pk]) in html
    assert reverse("mfa_index") in html


def test_search_by_name_and_email(coordinator_client, host, wijkmanager):
    host.first_name, host.last_name = "Fatima", "El Amrani"
    host.save()

    by_name = coordinator_client.get(URL, {"q": "fatima amrani"})
    by_email = coordinator_client.get(URL, {"q": "WIJKMANAGER@"})

    assert [u.email for u in by_name.context["users"]] == ["host@example.org"]
    assert [u.email for u in by_email.context["users"]] == ["wijkmanager@example.org"]


def test_filter_by_role(coordinator_client, cast):
    response = coordinator_client.get(URL, {"role": Role.WIJKMANAGER})

    assert {u.email for u in response.context["users"]} == {
        "wijkmanager@example.org",
        "outsider@example.org",
    }


def test_unknown_role_filter_is_ignored_not_an_error(coordinator_client, host):
    response = coordinator_client.get(URL, {"role": "pope", "page": "nonsense"})

    assert response.status_code == 200
    assert response.context["filter_form"].errors
    assert "host@example.org" in {u.email for u in response.context["users"]}


def test_list_is_paginated_by_50(coordinator_client):
    UserFactory.create_batch(55)

    first = coordinator_client.get(URL)
    second = coordinator_client.get(URL, {"page": 2})

    assert len(first.context["users"]) == 50
    assert len(second.context["users"]) == 6  # 55 + the coordinator


@pytest.mark.parametrize("role", ["host", "medewerker", "kcc", "wijkmanager", "wijkraad"])
def test_other_roles_get_403(client, cast, role):
    client.force_login(cast[role])

    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_post_is_not_allowed(coordinator_client):
    assert coordinator_client.post(URL).status_code == 405


def _users_with_roles(count, hubs):
    for i in range(count):
        user = UserFactory(cluster=ClusterFactory(name=f"Cluster {i % 3}"))
        give_role(user, Role.HOST, hubs[i % len(hubs)])
        give_role(user, Role.WIJKRAAD, hubs[(i + 1) % len(hubs)])
        give_role(user, Role.MEDEWERKER)


@pytest.mark.parametrize("count", [5, 60])
def test_query_count_does_not_grow_with_users(coordinator_client, django_assert_num_queries, count):
    hubs = HubFactory.create_batch(3)
    _users_with_roles(count, hubs)

    # 1 session, 2 request.user, 3 the user's roles (Access), 4 count for the paginator,
    # 5 the page of users with cluster and TOTP status, 6 their role assignments with hub.
    with django_assert_num_queries(6):
        response = coordinator_client.get(URL, {"page": 1})
    assert response.status_code == 200
