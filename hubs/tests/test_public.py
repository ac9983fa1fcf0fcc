"""The resident pages: the hub list, the hub page with week navigation, no login."""

import datetime as dt
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from hubs.constants import Dagdeel
from hubs.views.public import MAX_WEEKS
from tests.factories import (
    ClosingDayFactory,
    ClosureFactory,
    GebiedFactory,
    HubFactory,
    MobileStopFactory,
    hub_with_schedule,
)

AMS = ZoneInfo("Europe/Amsterdam")
# Monday 2 November 2026, 10:00: the standard week is open on Monday mornings.
MONDAY_MORNING = dt.datetime(2026, 11, 2, 10, 0, tzinfo=AMS)
MONDAY = MONDAY_MORNING.date()

pytestmark = pytest.mark.django_db


def nl(message: str, **values) -> str:
    """The Dutch text of a message as the page shows it (see the brief on translations)."""
    with translation.override("nl"):
        text = gettext(message)
    return text % values if values else text


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def feijenoord(db):
    return hub_with_schedule(
        name="Feijenoord",
        gebied=GebiedFactory(name="Feijenoord"),
        address="Oranjeboomstraat 169",
        postcode="3071 SH",
        latitude="51.904000",
        longitude="4.502000",
    )


@pytest.fixture
def noord(db):
    # Open on Wednesdays only: closed on Monday morning, opens Wednesday 09:00.
    return hub_with_schedule(
        name="Oude Noorden", gebied=GebiedFactory(name="Noord"), pattern=[(2, Dagdeel.OCHTEND)]
    )


@pytest.fixture
def mobile(db):
    hub = HubFactory(
        name="Mobiele wijkhub", slug="mobiele-wijkhub", is_mobile=True, address="", postcode=""
    )
    for n, place in enumerate(["Afrikaandermarkt", "Zuidplein", "Keizerswaard"]):
        MobileStopFactory(
            hub=hub, date=MONDAY + dt.timedelta(days=n + 1), dagdeel=Dagdeel.OCHTEND, place=place
        )
    return hub


def build_city(size: int):
    """``size`` hubs over three gebieden: each with a schedule, every third with a
    closure, a city-wide closure and closing day, and a mobile hub with stops."""
    gebieden = [GebiedFactory(name=name) for name in ("Noord", "Charlois", "Feijenoord")]
    for n in range(size - 1):
        hub = hub_with_schedule(name=f"Wijk {n}", gebied=gebieden[n % 3])
        if n % 3 == 0:
            ClosureFactory(hub=hub, start_date=MONDAY, end_date=MONDAY + dt.timedelta(days=2))
    mobile = hub_with_schedule(name="Mobiele wijkhub", slug="mobiele-wijkhub", is_mobile=True)
    for n in range(10):
        MobileStopFactory(hub=mobile, date=MONDAY + dt.timedelta(days=n), place=f"Plein {n}")
    ClosureFactory(
        hub=None, start_date=MONDAY + dt.timedelta(days=8), end_date=MONDAY + dt.timedelta(days=8)
    )
    ClosingDayFactory(date=MONDAY + dt.timedelta(days=10), name="Studiedag")
    hub_with_schedule(name="Oud", is_active=False)


# --- the hub list -----------------------------------------------------------------------------


def test_hub_list_shows_open_now_and_when_closed_hubs_open(client, frozen, feijenoord, noord):
    response = client.get("/wijkhubs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Feijenoord" in html and "Oude Noorden" in html
    assert nl("Open now, until %(end)s", end="12:30") in html
    assert nl("Closed · opens %(day)s at %(start)s", day="woensdag 4 november", start="09:00") in (
        html
    )
    open_count = response.context["open_count"]
    assert open_count == 1
    statuses = {r["hub"].name: r for r in response.context["rows"]}
    assert statuses["Feijenoord"]["open_now"] is not None
    assert statuses["Oude Noorden"]["next"].start == dt.datetime(2026, 11, 4, 9, 0, tzinfo=AMS)


def test_hub_list_says_today_when_the_hub_opens_later_today(client, feijenoord):
    with time_machine.travel(MONDAY_MORNING.replace(hour=7), tick=False):
        html = client.get("/wijkhubs/").content.decode()
    assert nl("Closed · opens today at %(start)s", start="09:00") in html


def test_hub_list_says_tomorrow(client, feijenoord):
    # Monday 13:00: next is Tuesday afternoon.
    with time_machine.travel(MONDAY_MORNING.replace(hour=13), tick=False):
        html = client.get("/wijkhubs/").content.decode()
    assert nl("Closed · opens tomorrow at %(start)s", start="13:00") in html


def test_hub_list_leaves_out_inactive_hubs(client, frozen, feijenoord):
    hub_with_schedule(name="Opgeheven hub", is_active=False)
    assert "Opgeheven hub" not in client.get("/wijkhubs/").content.decode()


def test_hub_list_filters_by_gebied(client, frozen, feijenoord, noord):
    response = client.get("/wijkhubs/", {"gebied": "noord"})
    assert response.status_code == 200
    assert [r["hub"].name for r in response.context["rows"]] == ["Oude Noorden"]
    assert '<option value="noord" selected>' in response.content.decode()


def test_hub_list_with_an_unknown_gebied_explains_and_shows_all(client, frozen, feijenoord, noord):
    response = client.get("/wijkhubs/", {"gebied": "atlantis<b>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        nl(
            "There is no district with that name. Choose one from the list; "
            "all wijkhubs are shown below."
        )
        in html
    )
    assert "atlantis<b>" not in html
    assert len(response.context["rows"]) == 2


def test_hub_list_refuses_post(client, feijenoord):
    assert client.post("/wijkhubs/").status_code == 405


def test_home_is_the_hub_list_for_residents(client, frozen, feijenoord):
    response = client.get("/")
    assert response.status_code == 200
    assert "hubs/public/hub_list.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/wijkhubs/",
        "/wijkhubs/feijenoord/",
        "/wijkhubs/feijenoord/openingstijden.ics",
        "/wijkhubs/openingstijden.json",
    ],
)
def test_residents_need_no_login(client, frozen, feijenoord, url):
    response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/beheer/wijkhubs/", "/beheer/norm/", "/beheer/sluitingsdagen/"])
def test_the_back_office_sends_residents_to_login(client, feijenoord, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


# --- the hub page -----------------------------------------------------------------------------


def test_hub_page_shows_address_map_and_two_weeks(client, frozen, feijenoord):
    response = client.get("/wijkhubs/feijenoord/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Oranjeboomstraat 169" in html
    assert "https://www.openstreetmap.org/?mlat=51.904000&amp;mlon=4.502000" in html
    assert '<link rel="alternate" type="text/calendar"' in html
    assert 'href="/wijkhubs/feijenoord/openingstijden.ics"' in html
    assert '<script type="application/ld+json">' in html
    weeks = response.context["weeks"]
    assert [w["monday"] for w in weeks] == [MONDAY, MONDAY + dt.timedelta(days=7)]
    assert nl("This week") in html and nl("Next week") in html
    assert nl("Open now, until %(end)s", end="12:30") in html


def test_hub_page_shows_closures_and_holidays(client, frozen, feijenoord):
    ClosureFactory(
        hub=feijenoord,
        start_date=MONDAY + dt.timedelta(days=1),
        end_date=MONDAY + dt.timedelta(days=1),
        reason="Verbouwing",
    )
    ClosingDayFactory(date=MONDAY + dt.timedelta(days=7), name="Studiedag")
    html = client.get("/wijkhubs/feijenoord/").content.decode()
    assert nl("Closed: %(reason)s", reason="Verbouwing") in html
    assert nl("Closed: %(reason)s", reason="Studiedag") in html


def test_hub_page_marks_today_in_words_not_only_colour(client, frozen, feijenoord):
    html = client.get("/wijkhubs/feijenoord/").content.decode()
    assert 'aria-current="date"' in html
    assert nl("today") in html


@pytest.mark.parametrize("slug", ["bestaat-niet", "opgeheven"])
def test_hub_page_of_an_unknown_or_inactive_hub_is_not_found(client, frozen, slug):
    hub_with_schedule(name="Opgeheven", is_active=False)
    assert client.get(f"/wijkhubs/{slug}/").status_code == 404


def test_hub_page_refuses_post(client, feijenoord):
    assert client.post("/wijkhubs/feijenoord/").status_code == 405


def test_mobile_hub_page_lists_its_next_stops(client, frozen, mobile):
    html = client.get("/wijkhubs/mobiele-wijkhub/").content.decode()
    assert nl("Next stops of the mobile wijkhub") in html
    for place in ("Afrikaandermarkt", "Zuidplein", "Keizerswaard"):
        assert place in html
    assert nl("Closed · opens tomorrow at %(start)s", start="09:00") in html


def test_mobile_hub_stop_on_a_closing_day_is_not_listed(client, frozen, mobile):
    ClosingDayFactory(date=MONDAY + dt.timedelta(days=2), name="Studiedag")
    response = client.get("/wijkhubs/mobiele-wijkhub/")
    assert [s.place for s in response.context["stops"]] == ["Afrikaandermarkt", "Keizerswaard"]


def test_mobile_hub_without_stops_says_so(client, frozen):
    HubFactory(name="Mobiele wijkhub", slug="mobiele-wijkhub", is_mobile=True)
    html = client.get("/wijkhubs/mobiele-wijkhub/").content.decode()
    assert nl("No stops planned yet.") in html
    assert nl("Closed for the next four weeks") in html


# --- week navigation --------------------------------------------------------------------------


def test_week_parameter_shows_the_week_holding_that_day(client, frozen, feijenoord):
    response = client.get("/wijkhubs/feijenoord/", {"week": "2026-12-03"})
    assert response.status_code == 200
    monday = dt.date(2026, 11, 30)
    assert [w["monday"] for w in response.context["weeks"]] == [
        monday,
        monday + dt.timedelta(days=7),
    ]
    html = response.content.decode()
    assert 'href="?week=2026-11-23" rel="prev"' in html
    assert 'href="?week=2026-12-07" rel="next"' in html
    assert 'href="/wijkhubs/feijenoord/">' in html  # back to this week
    assert nl("Week of %(day)s", day="30 november 2026") in html


def test_week_navigation_shows_past_weeks_with_their_closures(client, frozen, feijenoord):
    ClosureFactory(
        hub=feijenoord,
        start_date=dt.date(2026, 10, 19),
        end_date=dt.date(2026, 10, 19),
        reason="Storing",
    )
    response = client.get("/wijkhubs/feijenoord/", {"week": "2026-10-21"})
    assert response.status_code == 200
    html = response.content.decode()
    assert nl("Closed: %(reason)s", reason="Storing") in html
    # Still says what is going on now.
    assert nl("Open now, until %(end)s", end="12:30") in html


@pytest.mark.parametrize("value", ["2026-13-45", "abc", "2026-02-30", "2026-1-1", "<script>"])
def test_a_malformed_week_falls_back_to_this_week_with_a_message(client, frozen, feijenoord, value):
    response = client.get("/wijkhubs/feijenoord/", {"week": value})
    assert response.status_code == 400
    assert response.context["weeks"][0]["monday"] == MONDAY
    html = response.content.decode()
    expected = nl(
        "“%(value)s” is not a date we understand (use YYYY-MM-DD). Showing this week.",
        value="VALUE",
    )
    before, after = expected.split("VALUE")
    assert before in html and after in html
    assert "<script>" not in html.split('id="week-message"')[1].split("</div>")[0]


@pytest.mark.parametrize("value", ["9999-01-01", "0001-01-01", "2027-05-10", "2026-04-26"])
def test_a_week_too_far_away_falls_back_to_this_week_with_a_message(
    client, frozen, feijenoord, value
):
    response = client.get("/wijkhubs/feijenoord/", {"week": value})
    assert response.status_code == 200
    assert response.context["weeks"][0]["monday"] == MONDAY
    assert (
        nl(
            "Opening hours can be shown up to %(weeks)s weeks back or ahead. Showing this week.",
            weeks=MAX_WEEKS,
        )
        in response.content.decode()
    )


def test_the_last_week_ahead_has_no_next_link(client, frozen, feijenoord):
    last = MONDAY + dt.timedelta(weeks=MAX_WEEKS)
    response = client.get("/wijkhubs/feijenoord/", {"week": last.isoformat()})
    assert response.status_code == 200
    assert response.context["weeks"][0]["monday"] == last
    assert response.context["next_week"] is None
    assert 'rel="next"' not in response.content.decode()
    assert response.context["previous_week"] == last - dt.timedelta(weeks=1)


def test_the_last_week_back_has_no_previous_link(client, frozen, feijenoord):
    first = MONDAY - dt.timedelta(weeks=MAX_WEEKS)
    response = client.get("/wijkhubs/feijenoord/", {"week": first.isoformat()})
    assert response.context["weeks"][0]["monday"] == first
    assert response.context["previous_week"] is None
    assert 'rel="prev"' not in response.content.decode()


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 40])
def test_hub_list_query_count_does_not_grow_with_hubs(
    client, frozen, django_assert_num_queries, size
):
    build_city(size)
    # 1 gebieden with active hubs, 1 active hubs with their gebied, then the
    # OpeningCalendar: 2 schedule versions + their slots, 3 closures,
    # 4 closing days, 5 mobile stops, 6 understaffed shifts past their decision time.
    with django_assert_num_queries(8):
        response = client.get("/wijkhubs/")
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [5, 40])
def test_hub_page_query_count_does_not_grow_with_hubs(
    client, frozen, django_assert_num_queries, size
):
    build_city(size)
    # 1 the hub with its gebied, then the OpeningCalendar: 2 schedule versions
    # + their slots, 3 closures, 4 closing days (no stops query: not mobile),
    # 5 understaffed shifts past their decision time, 6 the wijkraad's decided
    # proposals with their published answers (annotated into the same query).
    with django_assert_num_queries(7):
        assert client.get("/wijkhubs/wijk-0/").status_code == 200
    # The mobile hub: the same plus 1 for its stops, which also give "next stops".
    with django_assert_num_queries(8):
        response = client.get("/wijkhubs/mobiele-wijkhub/", {"week": "2026-11-16"})
    # Ten stops, one of them on the day of the city-wide closure.
    assert len(response.context["stops"]) == 9


@pytest.mark.parametrize("size", [5, 40])
def test_json_feed_query_count_does_not_grow_with_hubs(
    client, frozen, django_assert_num_queries, size
):
    build_city(size)
    # 1 active hubs with their gebied, then the OpeningCalendar: 2 schedule
    # versions + their slots, 3 closures, 4 closing days, 5 mobile stops,
    # 6 understaffed shifts past their decision time.
    with django_assert_num_queries(7):
        response = client.get("/wijkhubs/openingstijden.json")
    assert len(response.json()["hubs"]) == size


# --- accessibility of the markup --------------------------------------------------------------


class _Markup(HTMLParser):
    """Collects what the accessibility checks below look at."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.styles = 0
        self.inline_scripts: list[str] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs or tag == "style":
            self.styles += 1
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "th" and "scope" not in attrs:
            self.th_without_scope += 1
        if tag == "script" and "src" not in attrs:
            self.inline_scripts.append(attrs.get("type", ""))
        if any(name.startswith("on") for name in attrs):
            self.styles += 1  # inline event handlers are inline script


def _check_markup(html: str):
    markup = _Markup()
    markup.feed(html)
    assert markup.headings[0] == 1
    assert markup.headings.count(1) == 1
    for previous, current in zip(markup.headings, markup.headings[1:], strict=False):
        assert current <= previous + 1, f"heading level jumps from h{previous} to h{current}"
    assert markup.styles == 0
    assert set(markup.inline_scripts) <= {"application/ld+json"}
    assert markup.captions == markup.tables
    assert markup.th_without_scope == 0
    return markup


def test_hub_list_markup_is_accessible(client, frozen, feijenoord, noord, mobile):
    _check_markup(client.get("/wijkhubs/").content.decode())


@pytest.mark.parametrize("slug", ["feijenoord", "mobiele-wijkhub"])
def test_hub_page_markup_is_accessible(client, frozen, feijenoord, mobile, slug):
    ClosureFactory(hub=feijenoord, start_date=MONDAY, end_date=MONDAY, reason="Verbouwing")
    markup = _check_markup(client.get(f"/wijkhubs/{slug}/").content.decode())
    assert markup.tables >= 2
    assert markup.inline_scripts == ["application/ld+json"]


def test_status_is_said_in_words(client, frozen, feijenoord, noord):
    html = client.get("/wijkhubs/").content.decode()
    # Each status element carries its text, not only a colour class.
    assert html.count('data-status="open"') == 1
    assert html.count('data-status="closed"') == 1
    assert nl("Open now, until %(end)s", end="12:30") in html


@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["/wijkhubs/", "/wijkhubs/feijenoord/", "/wijkhubs/mobiele-wijkhub/"]
)
def test_public_pages_fit_a_phone_screen(new_page, transactional_db, path):
    hub = hub_with_schedule(
        name="Carnisse-Zuidplein-Zuiderpark",
        slug="feijenoord",
        address="Charloisse Kerksingel 10",
        email="wijkhub.carnisse-zuidplein-zuiderpark@example.org",
    )
    today = dt.date.today()
    ClosureFactory(
        hub=hub,
        start_date=today,
        end_date=today + dt.timedelta(days=3),
        reason="Verbouwing van de balie en de wachtruimte (demo)",
    )
    mobile = HubFactory(name="Mobiele wijkhub", slug="mobiele-wijkhub", is_mobile=True)
    MobileStopFactory(
        hub=mobile,
        date=today + dt.timedelta(days=1),
        place="Winkelcentrum Keizerswaard",
        address="Keizerswaard 1, 3078 CW Rotterdam",
    )
    page = new_page(375, 740)
    page.goto(path)
    assert page.locator("h1").count() == 1
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
