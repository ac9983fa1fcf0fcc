"""Referral destinations (/beheer/doorverwijzingen/): coordinators keep all of them;
a wijkmanager adds and edits those of their own hubs."""

import pytest
from django.urls import reverse

from questions.forms_desk import ReferralTargetForm
from questions.models import ReferralTarget
from tests.factories import HubFactory, ReferralTargetFactory

pytestmark = pytest.mark.django_db

URL = reverse("questions:referrals")


def _edit(target):
    return reverse("questions:referral_edit", args=[target.pk])


def _for(*hubs, **kwargs):
    target = ReferralTargetFactory(all_hubs=False, **kwargs)
    target.hubs.set(hubs)
    return target


def test_coordinator_adds_a_destination_for_every_hub(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        URL,
        {
            "name": "Vraagwijzer",
            "kind": "department",
            "description": "Bel 14010",
            "all_hubs": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == URL
    target = ReferralTarget.objects.get()
    assert (target.name, target.all_hubs, target.is_active) == ("Vraagwijzer", True, True)


def test_coordinator_must_choose_hubs_or_every_hub(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"name": "Buurtwerk", "kind": "partner", "is_active": "on"})
    assert response.status_code == 200
    assert "hubs" in response.context["form"].errors
    assert 'value="Buurtwerk"' in response.content.decode()
    assert not ReferralTarget.objects.exists()


def test_coordinator_sees_and_edits_every_destination(client, coordinator, hub, other_hub):
    a = _for(hub, name="Alpha")
    b = ReferralTargetFactory(name="Beta", is_active=False)
    client.force_login(coordinator)
    response = client.get(URL)
    assert [row["target"] for row in response.context["rows"]] == [a, b]
    assert all(row["editable"] for row in response.context["rows"])
    response = client.post(
        _edit(a),
        {"name": "Alpha", "kind": "partner", "hubs": [hub.pk, other_hub.pk], "is_active": "on"},
    )
    assert response.status_code == 302
    assert set(a.hubs.all()) == {hub, other_hub}


def test_wijkmanager_adds_a_destination_for_their_hub(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    form = client.get(URL).context["form"]
    assert "all_hubs" not in form.fields
    assert list(form.fields["hubs"].queryset) == [hub]
    response = client.post(
        URL,
        {
            "name": "Buurthuis De Put",
            "kind": "partner",
            "hubs": [hub.pk],
            "all_hubs": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    target = ReferralTarget.objects.get()
    assert target.all_hubs is False  # not theirs to set: ignored
    assert list(target.hubs.all()) == [hub]


def test_wijkmanager_cannot_add_for_another_hub_or_for_no_hub(client, wijkmanager, other_hub):
    client.force_login(wijkmanager)
    response = client.post(URL, {"name": "Elders", "kind": "partner", "hubs": [other_hub.pk]})
    assert response.status_code == 200
    assert "hubs" in response.context["form"].errors
    response = client.post(URL, {"name": "Nergens", "kind": "partner"})
    assert "hubs" in response.context["form"].errors
    assert not ReferralTarget.objects.exists()


def test_wijkmanager_sees_their_hubs_destinations_and_edits_only_their_own(
    client, wijkmanager, hub, other_hub
):
    own = _for(hub, name="Eigen")
    shared = _for(hub, other_hub, name="Gedeeld")
    everywhere = ReferralTargetFactory(name="Overal", all_hubs=True)
    _for(other_hub, name="Alleen elders")
    client.force_login(wijkmanager)
    rows = client.get(URL).context["rows"]
    assert [(row["target"].name, row["editable"]) for row in rows] == [
        ("Eigen", True),
        ("Gedeeld", False),
        ("Overal", False),
    ]
    assert client.get(_edit(own)).status_code == 200
    for target in (shared, everywhere):
        assert client.get(_edit(target)).status_code == 403
        response = client.post(
            _edit(target), {"name": "Gekaapt", "kind": "partner", "hubs": [hub.pk]}
        )
        assert response.status_code == 403
    assert not ReferralTarget.objects.filter(name="Gekaapt").exists()


def test_wijkmanager_edits_their_destination(client, wijkmanager, hub):
    target = _for(hub, name="Eigen")
    client.force_login(wijkmanager)
    response = client.post(
        _edit(target),
        {
            "name": "Eigen, hernoemd",
            "kind": "partner",
            "hubs": [hub.pk],
            "description": "Maandag open",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.name, target.description, target.is_active) == (
        "Eigen, hernoemd",
        "Maandag open",
        False,
    )


def test_wijkmanager_form_keeps_links_to_hubs_they_do_not_manage(wijkmanager, hub):
    """Should a coordinator link the destination to another hub while the wijkmanager
    has the form open, saving the form does not drop that link."""
    third = HubFactory(name="Vreewijk")
    target = _for(hub, third, name="Eigen")
    form = ReferralTargetForm(
        {"name": "Eigen", "kind": "partner", "hubs": [hub.pk]}, instance=target, user=wijkmanager
    )
    assert form.is_valid(), form.errors
    form.save()
    assert set(target.hubs.all()) == {hub, third}


def test_duplicate_name_is_explained(client, coordinator):
    ReferralTargetFactory(name="Vraagwijzer")
    client.force_login(coordinator)
    response = client.post(URL, {"name": "Vraagwijzer", "kind": "partner", "all_hubs": "on"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors


@pytest.mark.parametrize("role", ["host", "kcc", "medewerker", "wijkraad"])
def test_others_may_not_keep_destinations(client, cast, role):
    target = ReferralTargetFactory()
    client.force_login(cast[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "X", "kind": "partner", "all_hubs": "on"}).status_code == 403
    assert client.get(_edit(target)).status_code == 403
    assert ReferralTarget.objects.count() == 1


def test_outsider_wijkmanager_cannot_edit_this_hubs_destination(client, outsider, hub):
    target = _for(hub)
    client.force_login(outsider)
    assert client.get(URL).status_code == 200
    assert client.get(_edit(target)).status_code == 403


def test_referrals_need_login_right_method_and_an_existing_destination(client, coordinator):
    assert client.get(URL).status_code == 302
    client.force_login(coordinator)
    assert client.delete(URL).status_code == 405
    assert client.get(reverse("questions:referral_edit", args=[999999])).status_code == 404
