"""The personal-data detector (questions/validators.py) and the desk's warning."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from questions.constants import Outcome
from questions.models import Question
from questions.validators import (
    ADDRESS,
    BSN,
    EMAIL,
    IBAN,
    PHONE,
    describe,
    is_iban,
    looks_like_personal_data,
    passes_elfproef,
)
from tests.factories import TopicFactory

AMS = ZoneInfo("Europe/Amsterdam")


# --- the detector ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "bel haar terug op 0612345678",
        "06-12345678",
        "06 - 1234 5678",
        "06 12 34 56 78",
        "010-1234567",
        "(010) 123 45 67",
        "0101234567",
        "tel. 020 123 4567",
        "+31612345678",
        "+31 6 12345678",
        "+31 (0)6 1234 5678",
        "+31-10-1234567",
        "0031 6 1234 5678",
        "nummer: 06.12.34.56.78.",
    ],
)
def test_dutch_phone_numbers_are_found(text):
    assert looks_like_personal_data(text) == [PHONE]


@pytest.mark.parametrize(
    "text",
    [
        "jan.jansen@example.nl",
        "Mail: J.de-Vries+post@mail.rotterdam.nl graag",
        "info@buurthuis.org",
    ],
)
def test_email_addresses_are_found(text):
    assert looks_like_personal_data(text) == [EMAIL]


@pytest.mark.parametrize(
    "text",
    [
        "bsn 111222333",
        "BSN: 123456782",
        "1234.56.782",
        "123 456 782",
        "sofinummer 123.456.782",
    ],
)
def test_bsn_numbers_that_pass_the_elfproef_are_found(text):
    assert looks_like_personal_data(text) == [BSN]


@pytest.mark.parametrize(
    "text",
    [
        "NL91ABNA0417164300",
        "rekening NL91 ABNA 0417 1643 00 van de bewoner",
        "nl91abna0417164300",
    ],
)
def test_ibans_are_found(text):
    assert looks_like_personal_data(text) == [IBAN]


@pytest.mark.parametrize(
    "text",
    [
        "woont op 3072 AN 12",
        "3072AN, 169",
        "Oranjeboomstraat 169, 3072 AN Rotterdam",
    ],
)
def test_postcode_with_house_number_is_found(text):
    assert looks_like_personal_data(text) == [ADDRESS]


def test_several_kinds_are_reported_in_a_fixed_order():
    text = "piet@example.nl, 06-12345678, bsn 111222333, NL91ABNA0417164300, 3072 AN 12"
    assert looks_like_personal_data(text) == [PHONE, EMAIL, BSN, IBAN, ADDRESS]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Brief van de Belastingdienst over huurtoeslag",
        "Gebeld met 14010",
        "Referentie TB-7K3Q-9X meegegeven",
        "Afspraak op 05-06-2025 10 uur",
        "Afspraak 12-05-2024 om 10:30",
        "Sinds 2024-05-12 10.30 uur",
        "Aanslag van € 1.250,00 ontvangen",
        "Schuld van 12.345.678 euro",  # not a BSN: the elfproef fails
        "123456789",  # nine digits that fail the elfproef
        "000000000",
        "06-1234",  # too short for a phone number
        "Factuurnummer 2024123456",
        "Zaaknummer 0000000000",
        "Postcode 3072 AN (de hub zelf)",
        "Huisnummer 12, verder niets",
        "Jaar 2025 12 kinderen in de klas",
        "NL91ABNA0417164301",  # an IBAN with a wrong check
        "Container 3 SA kapot",
    ],
)
def test_ordinary_notes_raise_no_warning(text):
    assert looks_like_personal_data(text) == []


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),
        ("12345678", False),
        ("1234567890", False),
        ("12345678a", False),
    ],
)
def test_elfproef(digits, valid):
    assert passes_elfproef(digits) is valid


def test_iban_check():
    assert is_iban("NL91 ABNA 0417 1643 00")
    assert not is_iban("NL91 ABNA 0417 1643 01")
    assert not is_iban("NL91")


def test_describe_lists_the_kinds_in_words():
    from django.utils import translation

    with translation.override("en"):
        assert describe([PHONE, EMAIL]) == "a phone number, an e-mail address"
    with translation.override("nl"):
        assert describe([PHONE, EMAIL]) == "een telefoonnummer, een e-mailadres"


# --- the warning on the desk -----------------------------------------------------------------


@pytest.fixture
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=False):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("_frozen_time")
def test_warning_keeps_the_note_and_offers_callback_and_save_anyway(client, host, hub):
    wonen = TopicFactory(name="Wonen")
    url = reverse("questions:desk", args=[hub.slug])
    data = {"topic": wonen.pk, "outcome": Outcome.ANSWERED, "note": "Bel terug: 06-12345678"}
    client.force_login(host)
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Question.objects.exists()
    html = response.content.decode()
    assert 'id="personal-data-warning"' in html
    assert response.context["warning"] == describe([PHONE])
    assert "Bel terug: 06-12345678</textarea>" in html
    assert 'name="save_anyway"' in html
    assert reverse("questions:callback_create", args=[hub.slug]) in html
    # The host decides the number is not personal (a department's line): saved.
    response = client.post(url, {**data, "save_anyway": "on"})
    assert response.status_code == 302
    assert Question.objects.get().note == "Bel terug: 06-12345678"


@pytest.mark.django_db
@pytest.mark.usefixtures("_frozen_time")
def test_no_warning_without_personal_data(client, host, hub):
    wonen = TopicFactory(name="Wonen")
    client.force_login(host)
    response = client.post(
        reverse("questions:desk", args=[hub.slug]),
        {"topic": wonen.pk, "outcome": Outcome.ANSWERED, "note": "Brief over WOZ, 14010 gebeld"},
    )
    assert response.status_code == 302
    assert Question.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("_frozen_time")
def test_the_desk_page_has_no_warning_before_saving(client, host, hub):
    client.force_login(host)
    html = client.get(reverse("questions:desk", args=[hub.slug])).content.decode()
    assert 'id="personal-data-warning"' not in html and 'name="save_anyway"' not in html
