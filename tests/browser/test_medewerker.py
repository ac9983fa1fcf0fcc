"""A medewerker finds a hub that needs people, signs up, sees it under "Mijn
dagdelen" and cancels; a colleague in a second browser sees the place taken."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hubs.constants import Dagdeel
from scheduling.models import SignUp
from scheduling.services import shifts_sync, signup_create
from tests.factories import hub_with_schedule, staff_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")
WEDNESDAY = dt.date(2026, 11, 25)


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=True)
def test_medewerker_signs_up_and_cancels_while_a_colleague_watches(new_page, login):
    bloemhof = hub_with_schedule([(2, Dagdeel.MIDDAG)], name="Bloemhof", min_staff=2, max_staff=2)
    hub_with_schedule([(2, Dagdeel.MIDDAG)], name="Vreewijk", min_staff=1, max_staff=3)
    shifts_sync(last=WEDNESDAY + dt.timedelta(days=6))
    shift = bloemhof.shifts.get(date=WEDNESDAY)
    signup_create(shift_id=shift.pk, user=staff_member())  # one colleague already in
    fatima = staff_member(email="fatima@example.org", first_name="Fatima")
    joost = staff_member(email="joost@example.org", first_name="Joost")

    mine = new_page()
    login(mine, fatima)
    mine.get_by_role("link", name="Rooster").click()
    cell = mine.locator(f"#shift-{shift.pk}")
    assert "mensen nodig" in cell.inner_text()
    # "Needs people first": Bloemhof (short of its minimum) comes before Vreewijk.
    rows = mine.locator("tbody tr th[scope=row]").all_inner_texts()
    assert rows.index(next(r for r in rows if "Bloemhof" in r)) < rows.index(
        next(r for r in rows if "Vreewijk" in r)
    )
    cell.get_by_role("button", name="Aanmelden").click()
    # htmx swaps the cell in place.
    mine.locator(f"#shift-{shift.pk}").get_by_text("je bent aangemeld", exact=True).wait_for()

    # A colleague, in another browser and without JavaScript, sees the place taken.
    theirs = new_page(java_script_enabled=False)
    login(theirs, joost)
    theirs.goto("/rooster/?week=2026-11-25")
    their_cell = theirs.locator(f"#shift-{shift.pk}")
    assert "vol" in their_cell.inner_text()
    assert their_cell.get_by_role("button", name="Aanmelden").count() == 0
    assert their_cell.get_by_role("button", name="Op de wachtlijst zetten").count() == 1

    mine.get_by_role("navigation", name="Medewerkersportaal").get_by_role(
        "link", name="Mijn dagdelen"
    ).click()
    places = mine.locator("section[aria-labelledby=places-heading]")
    assert "Bloemhof" in places.inner_text()
    places.get_by_role("button", name="Annuleren").click()
    mine.wait_for_load_state()
    assert "Bloemhof" not in mine.locator("section[aria-labelledby=places-heading]").inner_text()
    assert not SignUp.objects.confirmed().filter(shift=shift, user=fatima).exists()

    # The colleague's page, reloaded, offers the free place again; without JavaScript
    # the form posts and redirects back to the grid.
    theirs.reload()
    their_cell = theirs.locator(f"#shift-{shift.pk}")
    their_cell.get_by_role("button", name="Aanmelden").click()
    theirs.wait_for_load_state()
    assert "je bent aangemeld" in theirs.locator(f"#shift-{shift.pk}").inner_text()
    shift.refresh_from_db()
    assert shift.confirmed_count == 2
