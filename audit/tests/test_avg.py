"""A resident's AVG rights: a coordinator finds, hands over and erases their data."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent, AuditKind
from questions.constants import CallbackStatus
from questions.models import CallbackRequest
from tests.factories import make_callback


def _nl(message: str) -> str:
    with translation.override("nl"):
        return translation.gettext(message)


SEARCH = reverse("audit:data_request")
EXPORT = reverse("audit:data_export")
ERASE = reverse("audit:data_erase")


@pytest.fixture
def requests_of_jan(hub, other_hub):
    # As the desk form stores them: normalised to ten digits.
    first = make_callback(hub=hub, phone="0612345678", email="jan@example.org")
    second = make_callback(hub=other_hub, phone="0612345678", resident_name="J. Jansen")
    someone_else = make_callback(hub=hub, phone="0687654321", resident_name="Els")
    return first, second, someone_else


@pytest.mark.parametrize(
    "query, expected",
    [
        ("06 1234 5678", [0, 1]),  # any notation of the phone number
        ("+31 6 12345678", [0, 1]),
        ("JAN@example.org", [0]),
        ("reference", [1]),
    ],
)
def test_search_by_phone_email_or_reference(client, coordinator, requests_of_jan, query, expected):
    if query == "reference":
        query = requests_of_jan[1].reference.lower()
    client.force_login(coordinator)
    page = client.get(SEARCH, {"q": query, "request_ref": "AVG-2026-17"})
    found = [cb.reference for cb in page.context["callbacks"]]
    assert found == [requests_of_jan[i].reference for i in expected]
    html = page.content.decode()
    assert "Jan Jansen" in html or "J. Jansen" in html
    assert "Els" not in html


def test_the_lookup_is_logged_without_the_searched_phone_number(
    client, coordinator, requests_of_jan
):
    client.force_login(coordinator)
    client.get(SEARCH, {"q": "0612345678", "request_ref": "AVG-2026-17"})
    event = AuditEvent.objects.get(kind=AuditKind.DATA_REQUEST)
    assert event.subject == "AVG-2026-17" and event.actor == coordinator.email
    assert event.detail["search"] == "phone" and event.detail["action"] == "viewed"
    assert sorted(event.detail["found"]) == sorted(cb.reference for cb in requests_of_jan[:2])
    assert "0612345678" not in json.dumps(event.detail) + event.subject


def test_bad_input_gets_a_dutch_message_and_is_kept(client, coordinator, db):
    client.force_login(coordinator)
    page = client.get(SEARCH, {"q": "06-1234", "request_ref": ""})
    html = page.content.decode()
    assert page.status_code == 200
    assert _nl("Enter a reference (TB-XXXX-XX), a Dutch phone number or an e-mail address.") in html
    assert _nl("This field is required.") in html
    assert 'value="06-1234"' in html
    assert not AuditEvent.objects.filter(kind=AuditKind.DATA_REQUEST).exists()


def test_export_hands_over_everything_as_json(client, coordinator, requests_of_jan):
    client.force_login(coordinator)
    response = client.get(EXPORT, {"q": "jan@example.org", "request_ref": "AVG-2026-18"})
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    (item,) = data["callback_requests"]
    assert item["reference"] == requests_of_jan[0].reference
    assert item["personal_data"]["phone"] == "0612345678"
    assert item["personal_data"]["email"] == "jan@example.org"
    assert item["consent_at"]
    event = AuditEvent.objects.get(kind=AuditKind.DATA_REQUEST)
    assert event.detail["action"] == "exported" and event.subject == "AVG-2026-18"


def test_erasure_removes_the_data_closes_open_requests_and_is_logged(
    client, coordinator, requests_of_jan
):
    client.force_login(coordinator)
    response = client.post(
        ERASE, {"q": "0612345678", "request_ref": "AVG-2026-19", "confirm": "on"}
    )
    assert response.status_code == 302
    for cb in CallbackRequest.objects.filter(pk__in=[c.pk for c in requests_of_jan[:2]]):
        assert cb.is_purged and cb.phone == "" and cb.resident_name == ""
        assert cb.status == CallbackStatus.COMPLETED and cb.closed_at
    untouched = CallbackRequest.objects.get(pk=requests_of_jan[2].pk)
    assert untouched.phone == "0687654321" and not untouched.is_purged
    event = AuditEvent.objects.get(kind=AuditKind.ERASURE)
    assert event.subject == "AVG-2026-19"
    assert sorted(event.detail["erased"]) == sorted(cb.reference for cb in requests_of_jan[:2])
    # Afterwards nothing is found by phone any more.
    page = client.get(SEARCH, {"q": "0612345678", "request_ref": "AVG-2026-19"})
    assert page.context["callbacks"] == []


def test_erasure_needs_the_confirmation(client, coordinator, requests_of_jan):
    client.force_login(coordinator)
    response = client.post(ERASE, {"q": "0612345678", "request_ref": "AVG-2026-20"}, follow=True)
    assert _nl("Tick the box to confirm, then erase.") in response.content.decode()
    assert not CallbackRequest.objects.filter(purged_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(kind=AuditKind.ERASURE).exists()


@pytest.mark.parametrize("role", ["host", "kcc", "wijkmanager", "medewerker", "wijkraad"])
def test_only_coordinators_handle_requests(client, cast, role, requests_of_jan):
    client.force_login(cast[role])
    assert client.get(SEARCH, {"q": "0612345678", "request_ref": "x"}).status_code == 403
    assert client.get(EXPORT, {"q": "0612345678", "request_ref": "x"}).status_code == 403
    response = client.post(ERASE, {"q": "0612345678", "request_ref": "x", "confirm": "on"})
    assert response.status_code == 403
    assert not CallbackRequest.objects.filter(purged_at__isnull=False).exists()
