"""A coordinator logs in and plans a change of a hub's opening hours."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from hubs.models import ScheduleVersion
from tests.factories import hub_with_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=True)
def test_coordinator_plans_a_schedule_change(new_page, login, coordinator):
    hub = hub_with_schedule(name="Crooswijk")
    page = new_page()
    login(page, coordinator)
    page.get_by_role("navigation", name="Medewerkersportaal").get_by_role(
        "link", name="Beheer"
    ).click()
    page.get_by_role("link", name="Hubs beheren").click()
    page.get_by_role("link", name="Crooswijk").first.click()
    page.get_by_role("link", name="Openingstijden").first.click()
    page.get_by_role("link", name="Nieuwe versie van de openingstijden").click()

    # From 4 January 2027 the hub also opens on Saturday morning, 10:00-13:00.
    page.locator("#id_valid_from").fill("2027-01-04")
    page.locator("#id_note").fill("Zaterdagochtend erbij op verzoek van de wijkraad")
    page.locator("#id_d5_ochtend_open").check()
    page.locator("#id_d5_ochtend_start").fill("10:00")
    page.locator("#id_d5_ochtend_end").fill("13:00")
    # A mistake first: Friday evening that ends before it starts.
    page.locator("#id_d4_avond_open").check()
    page.locator("#id_d4_avond_start").fill("21:00")
    page.locator("#id_d4_avond_end").fill("18:00")
    page.get_by_role("button", name="Openingstijden opslaan").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "vrijdag" in summary.inner_text().lower()
    # What was typed is still there.
    assert page.locator("#id_d5_ochtend_start").input_value() == "10:00"
    assert page.locator("#id_note").input_value().startswith("Zaterdagochtend")

    page.locator("#id_d4_avond_open").uncheck()
    page.get_by_role("button", name="Openingstijden opslaan").click()
    page.wait_for_url(f"**/beheer/wijkhubs/{hub.slug}/openingstijden/")
    assert page.locator(".alert-success").count() == 1

    planned = ScheduleVersion.objects.get(hub=hub, valid_from=dt.date(2027, 1, 4))
    saturday = planned.slots.get(weekday=5)
    assert (saturday.start_time, saturday.end_time) == (dt.time(10), dt.time(13))
    # The change is planned: residents still see today's hours, and the new ones
    # from 4 January.
    assert not hub.is_open_at(dt.datetime(2026, 12, 5, 11, tzinfo=AMS))
    assert hub.is_open_at(dt.datetime(2027, 1, 9, 11, tzinfo=AMS))
