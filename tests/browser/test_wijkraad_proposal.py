"""A wijkraad member submits a proposal; the coordinator replies and accepts it with a
start date; the public hub page shows the planned change."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from proposals.constants import Decision, Status
from proposals.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=True)
def test_proposal_from_wijkraad_to_public_page(new_page, login, hub, wijkraad, coordinator):
    raad = new_page()
    login(raad, wijkraad)
    raad.get_by_role("navigation", name="Medewerkersportaal").get_by_role(
        "link", name="Wijkraadvoorstellen"
    ).click()
    raad.goto(f"/voorstellen/nieuw/{hub.slug}/")
    raad.locator("#id_title").fill("Zaterdagochtend open")
    raad.locator("#id_desired_start").fill("2027-01-04")
    raad.locator("#id_d5_ochtend_open").check()
    raad.locator("#id_argumentation").fill("Werkende bewoners kunnen doordeweeks niet komen.")
    raad.get_by_role("button", name="Voorbeeld").click()
    # The preview shows what it means before anything is saved.
    assert "zaterdag" in raad.locator("main").inner_text().lower()
    assert Proposal.objects.count() == 0
    raad.get_by_role("button", name="Concept opslaan").click()
    raad.get_by_role("button", name="Indienen bij de gemeente").click()
    raad.wait_for_load_state()
    proposal = Proposal.objects.get()
    assert proposal.status == Status.SUBMITTED
    assert proposal.answer_due == dt.date(2026, 12, 21)

    city = new_page()
    login(city, coordinator)
    city.goto("/voorstellen/")
    city.get_by_role("link", name="Zaterdagochtend open").click()
    city.locator("#id_body").fill("Dank u wel. Wij nemen het voorstel over vanaf januari.")
    city.get_by_role("button", name="Plaatsen").click()
    city.wait_for_load_state()
    city.get_by_label("Akkoord", exact=True).check()
    city.locator("#id_answer_motivation").fill("Er is vraag op zaterdag en de bezetting is rond.")
    city.locator("#id_answer_start_date").fill("2027-01-04")
    city.get_by_role("button", name="Publiceren en besluiten").click()
    city.wait_for_load_state()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision) == (Status.PLANNED, Decision.ACCEPTED)
    assert proposal.effective_version.valid_from == dt.date(2027, 1, 4)
    assert proposal.effective_version.slots.filter(weekday=5).exists()

    # The wijkraad sees the reply; residents see the planned change on the hub page.
    raad.reload()
    assert "Wij nemen het voorstel over" in raad.locator("main").inner_text()
    resident = new_page(375, 740)
    resident.goto(hub.get_absolute_url())
    section = resident.locator("#proposals")
    text = section.inner_text()
    assert "Zaterdagochtend open" in text
    assert "Akkoord" in text
    assert "4 januari 2027" in text
