"""The portal menu: each role sees the items it can use, and the current page's item
is marked for screen readers."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPECTED = {
    "host": {"Mijn overzicht", "Balie", "Rooster", "Mijn dagdelen", "Terugbellen", "Kennisbank"},
    "medewerker": {"Mijn overzicht", "Rooster", "Mijn dagdelen", "Terugbellen", "Kennisbank"},
    "wijkraad": {"Mijn overzicht", "Wijkraadvoorstellen"},
    "coordinator": {
        "Mijn overzicht",
        "Balie",
        "Rooster",
        "Mijn dagdelen",
        "Terugbellen",
        "Kennisbank",
        "Bezetting",
        "Vragen",
        "Wijkraadvoorstellen",
        "Rapportages",
        "Beheer",
    },
}


def _menu(html: str) -> str:
    return html.split('aria-label="Medewerkersportaal"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_its_menu(client, cast, role):
    client.force_login(cast[role])
    menu = _menu(client.get(reverse("home")).content.decode())
    labels = set(re.findall(r'class="nav-link[^"]*"[^>]*>([^<]+)</a>', menu))
    assert labels == EXPECTED[role]


def test_the_current_page_and_its_section_are_marked(client, coordinator, hub):
    client.force_login(coordinator)
    menu = _menu(client.get(reverse("manage:index")).content.decode())
    assert re.search(r'active" aria-current="page" href="/beheer/">Beheer<', menu)
    menu = _menu(client.get(reverse("manage:hub_edit", args=[hub.slug])).content.decode())
    assert re.search(r'active" aria-current="true" href="/beheer/">Beheer<', menu)
    assert menu.count("aria-current") == 1
