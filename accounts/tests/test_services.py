import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.constants import Role
from accounts.models import RoleAssignment, User
from accounts.services import user_create, user_update, users_create


def _row(email, roles):
    return {"email": email, "first_name": "Test", "last_name": "", "cluster": None, "roles": roles}


def test_user_create_makes_an_unusable_password_a_verified_address_and_roles(
    coordinator, hub, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_create(
            email=" Piet@Rotterdam.NL ",
            first_name=" Piet ",
            last_name="Jansen",
            cluster=None,
            roles={Role.WIJKRAAD: [hub], Role.MEDEWERKER: []},
            created_by=coordinator,
        )

    assert user.email == "piet@rotterdam.nl"
    assert user.first_name == "Piet"
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()
    assert set(user.role_assignments.values_list("role", "hub_id")) == {
        (Role.WIJKRAAD, hub.pk),
        (Role.MEDEWERKER, None),
    }
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("roles", "code"),
    [
        ({}, "no_roles"),
        ({"pope": []}, "unknown_role"),
        ({Role.HOST: []}, "hub_required"),
        ({Role.KCC: ["HUB"]}, "hub_not_allowed"),
    ],
)
def test_role_rules_are_checked(coordinator, hub, roles, code):
    roles = {role: [hub if h == "HUB" else h for h in hubs] for role, hubs in roles.items()}

    with pytest.raises(ValidationError) as exc:
        user_create(
            email="x@rotterdam.nl",
            first_name="X",
            last_name="",
            cluster=None,
            roles=roles,
            created_by=coordinator,
        )

    assert exc.value.code == code
    assert not User.objects.filter(email="x@rotterdam.nl").exists()


def test_users_create_is_all_or_nothing(coordinator, host, django_capture_on_commit_callbacks):
    rows = [_row("een@rotterdam.nl", {Role.KCC: []}), _row("HOST@example.org", {Role.KCC: []})]

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        users_create(rows=rows, created_by=coordinator)

    assert not User.objects.filter(email="een@rotterdam.nl").exists()
    assert mail.outbox == []


def test_users_create_refuses_the_same_address_twice(coordinator):
    rows = [_row("twee@rotterdam.nl", {Role.KCC: []}), _row("Twee@rotterdam.nl", {Role.KCC: []})]

    with pytest.raises(ValidationError) as exc:
        users_create(rows=rows, created_by=coordinator)

    assert exc.value.code == "duplicate_email"
    assert not User.objects.filter(email="twee@rotterdam.nl").exists()


def test_users_create_uses_a_fixed_number_of_queries(coordinator, hub, django_assert_num_queries):
    rows = [_row(f"p{i}@rotterdam.nl", {Role.HOST: [hub], Role.KCC: []}) for i in range(40)]

    # savepoint, existing e-mails, users, role assignments, audit events (one bulk
    # insert), e-mail addresses, release.
    with django_assert_num_queries(7):
        users_create(rows=rows, created_by=coordinator)

    assert RoleAssignment.objects.filter(user__email__startswith="p").count() == 80


def test_user_update_replaces_the_assignments(coordinator, host, hub, other_hub):
    user_update(
        user=host,
        first_name="Nieuw",
        last_name="",
        cluster=None,
        is_active=True,
        roles={Role.HOST: [other_hub]},
        updated_by=coordinator,
    )

    assert list(host.role_assignments.values_list("role", "hub_id")) == [(Role.HOST, other_hub.pk)]


def test_user_update_refuses_bad_roles_and_keeps_the_old_ones(coordinator, host, hub):
    with pytest.raises(ValidationError):
        user_update(
            user=host,
            first_name="Nieuw",
            last_name="",
            cluster=None,
            is_active=True,
            roles={Role.HOST: []},
            updated_by=coordinator,
        )

    host.refresh_from_db()
    assert host.first_name != "Nieuw"
    assert list(host.role_assignments.values_list("role", "hub_id")) == [(Role.HOST, hub.pk)]
