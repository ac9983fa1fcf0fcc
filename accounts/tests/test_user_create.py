from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.constants import Role
from accounts.models import RoleAssignment, User
from tests.factories import ClusterFactory

URL = reverse("users:create")


def _data(**overrides):
    data = {
        "email": "Nieuw.Lid@Rotterdam.nl",
        "first_name": "Nora",
        "last_name": "de Wit",
        "cluster": "",
        "roles": [Role.MEDEWERKER],
    }
    data.update(overrides)
    return data


def test_form_lists_roles_and_hubs(coordinator_client, hub, other_hub):
    response = coordinator_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    for role in Role:
        assert f'value="{role.value}"' in html
    assert 'name="host_hubs"' in html
    assert 'name="wijkmanager_hubs"' in html
    assert 'name="wijkraad_hubs"' in html
    assert "Bloemhof" in html


def test_coordinator_creates_user_with_hub_roles_and_invitation(
    coordinator_client, coordinator, hub, other_hub, django_capture_on_commit_callbacks
):
    cluster = ClusterFactory(name="Stadsbeheer")
    data = _data(
        cluster=cluster.pk,
        roles=[Role.HOST, Role.WIJKMANAGER, Role.MEDEWERKER],
        host_hubs=[hub.pk],
        wijkmanager_hubs=[hub.pk, other_hub.pk],
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = coordinator_client.post(URL, data)

    assert response.status_code == 302
    assert response.url == reverse("users:list")
    user = User.objects.get(email="nieuw.lid@rotterdam.nl")
    assert (user.first_name, user.last_name, user.cluster) == ("Nora", "de Wit", cluster)
    assert not user.has_usable_password()
    assert set(user.role_assignments.values_list("role", "hub_id")) == {
        (Role.HOST, hub.pk),
        (Role.WIJKMANAGER, hub.pk),
        (Role.WIJKMANAGER, other_hub.pk),
        (Role.MEDEWERKER, None),
    }
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["nieuw.lid@rotterdam.nl"]]


def test_duplicate_email_is_refused_with_a_message(coordinator_client, host):
    response = coordinator_client.post(URL, _data(email="HOST@example.org"))

    assert response.status_code == 200
    form = response.context["form"]
    with translation.override("nl"):
        expected = str(
            translation.gettext(
                "There is already a user with this e-mail address. Edit that user instead."
            )
        )
    assert form.errors["email"] == [expected]
    assert User.objects.filter(email__iexact="host@example.org").count() == 1
    assert mail.outbox == []


def test_hub_role_without_hub_is_refused(coordinator_client, hub):
    response = coordinator_client.post(URL, _data(roles=[Role.WIJKRAAD]))

    assert response.status_code == 200
    assert "wijkraad_hubs" in response.context["form"].errors
    assert not User.objects.filter(email="nieuw.lid@rotterdam.nl").exists()
    # What was typed stays in the form.
    assert 'value="Nora"' in response.content.decode()


def test_hubs_without_their_role_are_refused(coordinator_client, hub):
    response = coordinator_client.post(URL, _data(roles=[Role.KCC], host_hubs=[hub.pk]))

    assert "host_hubs" in response.context["form"].errors
    assert not RoleAssignment.objects.filter(user__email="nieuw.lid@rotterdam.nl").exists()


def test_no_role_bad_email_and_empty_name_are_refused(coordinator_client):
    response = coordinator_client.post(URL, _data(roles=[], email="not-an-address", first_name=""))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"roles", "email", "first_name"}
    assert User.objects.count() == 1  # the coordinator


def test_unknown_role_and_hub_are_refused(coordinator_client, hub):
    response = coordinator_client.post(
        URL, _data(roles=["pope"], host_hubs=["999999"], cluster="424242")
    )

    assert set(response.context["form"].errors) == {"roles", "host_hubs", "cluster"}


def test_user_create_page_refuses_non_coordinators(client, cast):
    for role in ("host", "medewerker", "kcc", "wijkmanager", "wijkraad"):
        client.force_login(cast[role])
        assert client.get(URL).status_code == 403
        assert client.post(URL, _data()).status_code == 403
    assert not User.objects.filter(email="nieuw.lid@rotterdam.nl").exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.post(URL, _data())

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_wrong_method(coordinator_client):
    assert coordinator_client.put(URL).status_code == 405


def test_empty_post_shows_errors(coordinator_client):
    response = coordinator_client.post(URL, {})

    assert response.status_code == 200
    assert {"email", "first_name", "roles"} <= set(response.context["form"].errors)
