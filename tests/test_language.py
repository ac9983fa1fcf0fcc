"""Dutch by default, English when chosen with the language switch."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dutch_even_when_the_browser_prefers_english(client):
    html = client.get(reverse("public:hub_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl">' in html.content.decode()
    assert "Inloggen voor medewerkers" in html.content.decode()


def test_the_language_switch_chooses_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/wijkhubs/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("public:hub_list")).content.decode()
    assert '<html lang="en">' in html
    assert "Staff login" in html
    client.post(reverse("set_language"), {"language": "nl", "next": "/wijkhubs/"})
    assert '<html lang="nl">' in client.get(reverse("public:hub_list")).content.decode()
