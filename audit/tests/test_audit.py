"""The audit log: what is recorded, that it cannot be changed, and who reads it."""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from accounts.constants import Role
from audit import services
from audit.models import AuditEvent, AuditKind
from audit.tasks import purge_expired
from questions.constants import CallbackStatus
from questions.services import callbacks_purge
from tests.factories import TeamFactory, UserFactory, give_role, make_callback

LOGIN = "/accounts/login/"


def kinds():
    return list(AuditEvent.objects.order_by("at", "id").values_list("kind", flat=True))


def test_successful_and_failed_logins_are_recorded_with_address(client, db):
    user = UserFactory(email="anna@example.org", password="geheim-wachtwoord-1")
    client.post(LOGIN, {"login": "anna@example.org", "password": "fout"}, REMOTE_ADDR="10.1.2.3")
    client.post(
        LOGIN,
        {"login": "anna@example.org", "password": "geheim-wachtwoord-1"},
        REMOTE_ADDR="10.1.2.4",
    )
    failed = AuditEvent.objects.get(kind=AuditKind.LOGIN_FAILED)
    assert failed.subject == "anna@example.org"
    assert failed.actor == "" and failed.ip == "10.1.2.3"
    ok = AuditEvent.objects.get(kind=AuditKind.LOGIN)
    assert (ok.actor_id, ok.actor, ok.ip) == (user.pk, "anna@example.org", "10.1.2.4")


def test_role_changes_on_the_user_page_name_who_made_them(client, coordinator):
    subject = give_role(UserFactory(email="piet@example.org"), Role.MEDEWERKER)
    client.force_login(coordinator)
    data = {"first_name": "Piet", "last_name": "Visser", "cluster": "", "is_active": "on"}
    response = client.post(
        reverse("users:edit", args=[subject.pk]),
        {**data, "roles": [Role.KCC]},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302
    granted = AuditEvent.objects.get(kind=AuditKind.ROLE_GRANTED, subject="piet@example.org")
    revoked = AuditEvent.objects.get(kind=AuditKind.ROLE_REVOKED, subject="piet@example.org")
    assert (granted.actor, granted.ip, granted.detail) == (
        coordinator.email,
        "10.9.9.9",
        {"role": "kcc", "hub": None},
    )
    assert revoked.detail == {"role": "medewerker", "hub": None}


def test_unchanged_roles_are_not_recorded_again(client, coordinator):
    subject = give_role(UserFactory(email="piet@example.org"), Role.MEDEWERKER)
    client.force_login(coordinator)
    data = {"first_name": "Pieter", "last_name": "Visser", "cluster": "", "is_active": "on"}
    client.post(reverse("users:edit", args=[subject.pk]), {**data, "roles": [Role.MEDEWERKER]})
    assert not AuditEvent.objects.filter(subject="piet@example.org").exists()


def test_users_created_by_import_have_their_roles_recorded(db, coordinator):
    from accounts.services import users_create

    rows = [
        {
            "email": "a@example.org",
            "first_name": "A",
            "last_name": "B",
            "cluster": None,
            "roles": {Role.KCC: []},
        }
    ]
    users_create(rows=rows, created_by=coordinator)
    event = AuditEvent.objects.get(kind=AuditKind.ROLE_GRANTED, subject="a@example.org")
    assert event.detail == {"role": "kcc", "hub": None}


def test_mfa_changes_are_recorded(db, rf):
    user = UserFactory(email="wm@example.org")
    request = rf.post("/accounts/2fa/totp/activate", REMOTE_ADDR="10.0.0.7")
    request.user = user
    authenticator = Authenticator(user=user, type=Authenticator.Type.TOTP, data={})
    authenticator_added.send(
        sender=Authenticator, request=request, user=user, authenticator=authenticator
    )
    authenticator_removed.send(
        sender=Authenticator, request=request, user=user, authenticator=authenticator
    )
    added, removed = AuditEvent.objects.order_by("id")
    assert (added.kind, added.detail, added.ip) == (
        AuditKind.MFA_ADDED,
        {"type": "totp"},
        "10.0.0.7",
    )
    assert removed.kind == AuditKind.MFA_REMOVED and removed.subject == "wm@example.org"


def test_deactivating_an_account_is_recorded(db):
    user = UserFactory(email="weg@example.org")
    user.first_name = "Ander"
    user.save()
    assert not AuditEvent.objects.filter(kind=AuditKind.ACCOUNT_CHANGED).exists()
    user.is_active = False
    user.save()
    event = AuditEvent.objects.get(kind=AuditKind.ACCOUNT_CHANGED)
    assert event.subject == "weg@example.org" and event.detail == {"active": False}


def test_viewing_personal_data_is_recorded(client, hub):
    member = give_role(UserFactory(email="kcc@example.org"), Role.KCC)
    team = TeamFactory()
    team.members.add(member)
    callback = make_callback(hub=hub, team=team)
    client.force_login(member)
    client.get(reverse("questions:callback_detail", args=[callback.reference]))
    event = AuditEvent.objects.get(kind=AuditKind.PERSONAL_DATA_VIEWED)
    assert event.subject == callback.reference and event.actor == "kcc@example.org"


def test_the_nightly_callback_purge_is_recorded(hub):
    callback = make_callback(hub=hub)
    callback.status = CallbackStatus.COMPLETED
    callback.closed_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    callback.save()
    assert callbacks_purge(now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)) == 1
    event = AuditEvent.objects.get(kind=AuditKind.PURGE)
    assert event.subject == "callbacks" and event.detail["removed"] == 1 and event.actor == ""


# --- append-only -----------------------------------------------------------------------------


def test_events_cannot_be_changed_or_deleted_through_the_orm(db):
    event = services.record(AuditKind.EXPORT, subject="x")
    event.subject = "y"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(subject="y")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().subject == "x"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_updates_and_early_deletes(db):
    event = services.record(AuditKind.EXPORT, subject="x")
    for sql in (
        "UPDATE audit_auditevent SET subject = 'y' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only|younger than 30 days"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get().subject == "x"


def test_retention_removes_only_old_events_and_says_so(db, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    now = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    with time_machine.travel(now - dt.timedelta(days=400)):
        services.record(AuditKind.LOGIN, subject="oud")
    with time_machine.travel(now - dt.timedelta(days=300)):
        services.record(AuditKind.LOGIN, subject="jong")
    with time_machine.travel(now):
        result = purge_expired()
    assert result["audit"] == 1 and result["access_log"] == 0
    assert sorted(AuditEvent.objects.values_list("subject", flat=True)) == ["audit log", "jong"]
    purge = AuditEvent.objects.get(kind=AuditKind.PURGE)
    assert purge.detail["removed"] == 1


# --- the page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["host", "medewerker", "kcc", "wijkmanager", "wijkraad"])
def test_only_coordinators_read_the_log(client, cast, role):
    client.force_login(cast[role])
    assert client.get(reverse("audit:log")).status_code == 403


def test_the_log_filters_by_event_user_and_day(client, coordinator):
    services.record(AuditKind.EXPORT, user=coordinator, subject="rapport-stad")
    services.record(AuditKind.LOGIN_FAILED, subject="iemand@example.org")
    client.force_login(coordinator)
    page = client.get(reverse("audit:log"), {"kind": AuditKind.LOGIN_FAILED})
    assert [e.subject for e in page.context["rows"]] == ["iemand@example.org"]
    page = client.get(reverse("audit:log"), {"actor": coordinator.email[:5]})
    assert "rapport-stad" in [e.subject for e in page.context["rows"]]
    page = client.get(reverse("audit:log"), {"day": "9999-01-01"})
    assert page.status_code == 200
    assert "Kies een datum" in page.content.decode()


@pytest.mark.parametrize("size", [5, 120])
def test_the_log_page_queries_do_not_grow(client, coordinator, django_assert_num_queries, size):
    for i in range(size):
        services.record(AuditKind.LOGIN, subject=f"user{i}@example.org")
    client.force_login(coordinator)
    client.get(reverse("audit:log"))  # warm the session
    with django_assert_num_queries(QUERIES_LOG_PAGE):
        response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(size + 1, 50)  # +1: the login of force_login


QUERIES_LOG_PAGE = 4


def test_old_views_of_personal_data_and_expired_sessions_go_too(client, hub, settings):
    from django.contrib.sessions.models import Session

    from questions.models import PersonalDataAccess

    settings.AUDIT_RETENTION_DAYS = 365
    callback = make_callback(hub=hub)
    now = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    with time_machine.travel(now - dt.timedelta(days=400)):
        PersonalDataAccess.objects.create(callback=callback, user=callback.created_by, purpose="x")
        client.force_login(callback.created_by)  # a session that expired long ago
    with time_machine.travel(now - dt.timedelta(days=10)):
        PersonalDataAccess.objects.create(callback=callback, user=callback.created_by, purpose="y")
    with time_machine.travel(now):
        result = purge_expired()
    assert result["access_log"] == 1 and result["sessions"] == 1
    assert list(PersonalDataAccess.objects.values_list("purpose", flat=True)) == ["y"]
    assert not Session.objects.exists()
