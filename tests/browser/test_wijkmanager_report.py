"""A wijkmanager opens her hub's report, changes the period and downloads a table."""

import csv
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from reports.tests.test_views import fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.travel(dt.datetime(2026, 11, 18, 10, 0, tzinfo=AMS), tick=True)
def test_wijkmanager_changes_the_period_and_downloads_the_csv(
    new_page, login, wijkmanager, hub, other_hub
):
    # Six weeks before this one, 5 questions a week at each hub.
    fill([hub, other_hub], weeks=6, per_week=2)
    page = new_page()
    login(page, wijkmanager)
    page.get_by_role("navigation", name="Medewerkersportaal").get_by_role(
        "link", name="Rapportages"
    ).click()
    # Her hub only: the other hub is not hers, the city is for coordinators.
    assert page.get_by_role("link", name="Bloemhof").count() == 0
    assert page.get_by_role("link", name="Hele stad").count() == 0
    page.get_by_role("link", name="Feijenoord", exact=True).click()
    page.wait_for_url(f"**/rapportage/hub/{hub.slug}/")
    assert "Rapportage: wijkhub Feijenoord" in page.locator("h1").inner_text()

    questions = page.locator("#kerncijfers .report-card-value").first
    assert questions.inner_text() == "30"  # the last 13 weeks: all six weeks

    # The last 4 weeks instead.
    page.locator("#id_periode").select_option("4")
    page.locator("[name=toon]").click()
    page.wait_for_url(re.compile(r"periode=4"))
    assert questions.inner_text() == "20"

    # Own dates: typing one clears the preset (reports.js), whole weeks are shown.
    page.locator("#id_van").fill("2026-10-05")
    page.locator("#id_tot").fill("2026-10-25")
    assert page.locator("#id_periode").input_value() == ""
    page.locator("[name=toon]").click()
    page.wait_for_url(re.compile(r"van=2026-10-05"))
    assert questions.inner_text() == "15"

    # The figures of the trend chart as a table, one click away.
    trend = page.locator("#tabel-trend")
    table = trend.locator("table")
    assert not table.is_visible()
    trend.get_by_text("Cijfers als tabel").click()
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 3

    with page.expect_download() as download:
        trend.get_by_role("link", name=re.compile("^CSV")).click()
    assert download.value.suggested_filename == "rapport-feijenoord-trend-20261005-20261025.csv"
    with open(download.value.path(), encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file))
    assert len(header) == 4
    # Week, questions, the same week of the period before (nothing then), the city's
    # average hub.
    assert rows == [
        ["2026-10-05", "5", "0", "5.0"],
        ["2026-10-12", "5", "0", "5.0"],
        ["2026-10-19", "5", "0", "5.0"],
    ]
