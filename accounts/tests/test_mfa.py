"""Coordinators and wijkmanagers must set up TOTP (RequireMFAMiddleware)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_MANAGERS = True


@pytest.mark.parametrize("manager", ["wijkmanager", "coordinator"])
def test_manager_without_totp_is_sent_to_the_setup_page(client, cast, mfa_required, manager):
    client.force_login(cast[manager])

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_coordinator_without_totp_cannot_reach_the_user_pages(client, coordinator, mfa_required):
    client.force_login(coordinator)

    response = client.get(reverse("users:list"))

    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("role", ["host", "medewerker", "kcc", "wijkraad"])
def test_other_roles_are_not_asked_for_totp(client, cast, mfa_required, role):
    client.force_login(cast[role])

    response = client.get(reverse("home"))

    assert response.status_code == 200


def test_manager_with_totp_passes(client, wijkmanager, mfa_required):
    TOTP.activate(wijkmanager, generate_totp_secret())
    assert Authenticator.objects.filter(user=wijkmanager, type=Authenticator.Type.TOTP).exists()
    client.force_login(wijkmanager)

    response = client.get(reverse("home"))

    assert response.status_code == 200


def test_account_pages_stay_reachable_without_totp(client, wijkmanager, mfa_required):
    client.force_login(wijkmanager)

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200


def test_nothing_is_asked_when_the_setting_is_off(client, wijkmanager, settings):
    settings.MFA_REQUIRED_FOR_MANAGERS = False
    client.force_login(wijkmanager)

    assert client.get(reverse("home")).status_code == 200


def test_staff_pages_link_to_two_factor_setup(coordinator_client):
    html = coordinator_client.get(reverse("users:list")).content.decode()

    assert f'href="{reverse("mfa_index")}"' in html
