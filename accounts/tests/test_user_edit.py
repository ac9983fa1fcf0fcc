from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.constants import Role
from tests.factories import ClusterFactory


def _url(user):
    return reverse("users:edit", args=[user.pk])


def _data(**overrides):
    data = {
        "first_name": "Henk",
        "last_name": "Visser",
        "cluster": "",
        "is_active": "on",
        "roles": [Role.MEDEWERKER],
    }
    data.update(overrides)
    return data


def _nl(message):
    with translation.override("nl"):
        return str(translation.gettext(message))


def test_edit_form_shows_current_roles_and_hubs(coordinator_client, host, hub):
    response = coordinator_client.get(_url(host))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["roles"] == [Role.HOST]
    assert form.initial["host_hubs"] == [hub.pk]
    assert form.initial["is_active"] is True
    # The host has chosen a password already: no invitation to send again.
    assert reverse("users:invite", args=[host.pk]) not in response.content.decode()


def test_edit_page_offers_to_resend_a_pending_invitation(coordinator_client, host):
    host.set_unusable_password()
    host.save()

    response = coordinator_client.get(_url(host))

    assert reverse("users:invite", args=[host.pk]) in response.content.decode()


def test_coordinator_changes_name_cluster_and_replaces_roles(
    coordinator_client, host, hub, other_hub
):
    cluster = ClusterFactory(name="Werk en Inkomen")

    response = coordinator_client.post(
        _url(host),
        _data(
            cluster=cluster.pk,
            roles=[Role.WIJKRAAD, Role.KCC],
            wijkraad_hubs=[other_hub.pk],
        ),
    )

    assert response.status_code == 302
    host.refresh_from_db()
    assert (host.first_name, host.last_name, host.cluster) == ("Henk", "Visser", cluster)
    assert set(host.role_assignments.values_list("role", "hub_id")) == {
        (Role.WIJKRAAD, other_hub.pk),
        (Role.KCC, None),
    }


def test_coordinator_deactivates_a_user(coordinator_client, host, hub):
    data = _data(roles=[Role.HOST], host_hubs=[hub.pk])
    del data["is_active"]

    coordinator_client.post(_url(host), data)

    host.refresh_from_db()
    assert host.is_active is False


def test_coordinator_cannot_deactivate_themselves(coordinator_client, coordinator):
    data = _data(roles=[Role.COORDINATOR])
    del data["is_active"]

    response = coordinator_client.post(_url(coordinator), data)

    assert response.status_code == 200
    assert response.context["form"].errors["is_active"] == [
        _nl("You cannot deactivate your own account.")
    ]
    coordinator.refresh_from_db()
    assert coordinator.is_active is True


def test_coordinator_cannot_remove_their_own_coordinator_role(coordinator_client, coordinator):
    response = coordinator_client.post(_url(coordinator), _data(roles=[Role.MEDEWERKER]))

    assert response.context["form"].errors["roles"] == [
        _nl("You cannot remove your own coordinator role.")
    ]
    assert list(coordinator.role_assignments.values_list("role", flat=True)) == [Role.COORDINATOR]


def test_coordinator_may_remove_another_coordinators_role(coordinator_client, coordinator):
    from tests.factories import UserFactory, give_role

    other = give_role(UserFactory(), Role.COORDINATOR)

    response = coordinator_client.post(_url(other), _data(roles=[Role.MEDEWERKER]))

    assert response.status_code == 302
    assert list(other.role_assignments.values_list("role", flat=True)) == [Role.MEDEWERKER]


def test_bad_input_keeps_roles_unchanged(coordinator_client, host, hub):
    response = coordinator_client.post(_url(host), _data(roles=[Role.WIJKMANAGER]))

    assert response.status_code == 200
    assert "wijkmanager_hubs" in response.context["form"].errors
    assert 'class="alert alert-danger"' in response.content.decode()  # the error summary
    assert list(host.role_assignments.values_list("role", "hub_id")) == [(Role.HOST, hub.pk)]


def test_edit_unknown_user_is_404(coordinator_client):
    assert coordinator_client.get(reverse("users:edit", args=[999999])).status_code == 404


def test_edit_refuses_non_coordinators(client, cast):
    client.force_login(cast["wijkmanager"])

    assert client.get(_url(cast["host"])).status_code == 403
    assert client.post(_url(cast["host"]), _data()).status_code == 403
    assert cast["host"].role_assignments.get().role == Role.HOST


def test_edit_wrong_method(coordinator_client, host):
    assert coordinator_client.delete(_url(host)).status_code == 405


def test_invite_sends_a_new_invitation(
    coordinator_client, host, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("users:invite", args=[host.pk]))

    assert response.status_code == 302
    assert response.url == _url(host)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["host@example.org"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_invite_of_a_deactivated_user_is_refused(
    coordinator_client, host, django_capture_on_commit_callbacks
):
    host.is_active = False
    host.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("users:invite", args=[host.pk]), follow=True)

    assert mail.outbox == []
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_invite_is_post_only(coordinator_client, host):
    assert coordinator_client.get(reverse("users:invite", args=[host.pk])).status_code == 405
    assert mail.outbox == []


def test_invite_refuses_non_coordinators_and_anonymous(client, cast):
    url = reverse("users:invite", args=[cast["host"].pk])
    client.force_login(cast["wijkmanager"])
    assert client.post(url).status_code == 403
    client.logout()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert mail.outbox == []
