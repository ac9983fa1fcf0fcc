"""A resident on a phone finds a hub that is open now, and its opening hours."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hubs.constants import Dagdeel
from tests.factories import GebiedFactory, hub_with_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")


# The travel (tests/browser/conftest.py) moves the clock of the whole process, the live
# server's thread included.
@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, 15, tzinfo=AMS), tick=True)
def test_resident_finds_an_open_hub_on_a_phone(new_page):
    zuid = GebiedFactory(name="Feijenoord")
    hub_with_schedule(
        [(0, Dagdeel.OCHTEND), (2, Dagdeel.MIDDAG)], name="Afrikaanderwijk", gebied=zuid
    )
    hub_with_schedule([(1, Dagdeel.OCHTEND)], name="Bloemhof", gebied=zuid)
    hub_with_schedule(
        [(0, Dagdeel.OCHTEND)], name="Overschie", gebied=GebiedFactory(name="Overschie")
    )

    page = new_page(375, 740, is_mobile=True, has_touch=True)
    page.goto("/wijkhubs/")
    assert page.locator("html").get_attribute("lang") == "nl"
    # Narrow the list down to the resident's district, without JavaScript tricks.
    page.get_by_label("Gebied", exact=True).select_option(label="Feijenoord")
    page.get_by_role("button", name="Tonen").click()
    cards = page.locator("#hub-list article")
    assert cards.count() == 2
    open_card = cards.filter(has=page.locator("[data-status=open]"))
    assert open_card.count() == 1
    assert "Afrikaanderwijk" in open_card.inner_text()
    assert "12:30" in open_card.inner_text()  # open until the end of the morning
    # The page fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    open_card.get_by_role("link", name="Afrikaanderwijk").click()
    page.wait_for_url("**/wijkhubs/afrikaanderwijk/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Wijkhub Afrikaanderwijk"
    assert page.locator("[data-status=open]").count() == 1
    today_row = page.locator("tr[aria-current=date]")
    assert "09:00–12:30" in today_row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
