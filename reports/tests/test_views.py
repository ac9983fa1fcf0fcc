"""The report pages: who sees which report, the period form and its messages, the
page itself (headline, sections, tables, links), and fixed query counts."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from accounts.constants import Role
from hubs.constants import Dagdeel
from questions.constants import CallbackStatus
from questions.models import KnowledgeGap
from reports import rollup
from reports.period import Period
from reports.report import Scope, build_report
from reports.templatetags.report_tags import format_figure
from scheduling.models import ClusterOffer, Shift, SignUp
from tests.factories import (
    ArticleFactory,
    ClusterFactory,
    HubFactory,
    QuestionFactory,
    ReferralTargetFactory,
    TeamFactory,
    TopicFactory,
    UserFactory,
    give_role,
    make_callback,
    make_proposal,
    make_shift,
    staff_member,
)

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 18, 10, tzinfo=AMSTERDAM)  # a Wednesday
TODAY = NOW.date()
THIS_MONDAY = dt.date(2026, 11, 16)
# The default period: the 13 whole weeks before this one.
DEFAULT = Period(dt.date(2026, 8, 17), dt.date(2026, 11, 15))
DAGDELEN = list(Dagdeel)

frozen = time_machine.travel(NOW, tick=False)


def fill(hubs, weeks: int, per_week: int, shift_dagdeel=Dagdeel.OCHTEND) -> None:
    """Report data for ``hubs``: for each of the last ``weeks`` weeks ``per_week``
    questions of every kind, a staffed shift with a cluster offer, a knowledge gap
    and a callback; one proposal per hub. Then the rollups."""
    housing = TopicFactory(name="Wonen")
    subtopics = [TopicFactory(name=f"Huur {i}", parent=housing) for i in range(per_week)]
    work = TopicFactory(name="Werk")
    targets = [ReferralTargetFactory() for _ in range(per_week)]
    articles = [ArticleFactory() for _ in range(per_week)]
    team = TeamFactory()
    cluster = ClusterFactory(name="Dienstverlening")
    for hub in hubs:
        author = give_role(UserFactory(), Role.WIJKRAAD, hub)
        worker = staff_member(cluster=cluster)
        for week in range(1, weeks + 1):
            monday = THIS_MONDAY - dt.timedelta(weeks=week)
            for i in range(per_week):
                day = monday + dt.timedelta(days=i % 5)
                common = {"hub": hub, "date": day, "dagdeel": DAGDELEN[i % 3]}
                QuestionFactory(
                    **common, topic=subtopics[i], outcome="answered", article=articles[i]
                )
                QuestionFactory(
                    **common, topic=work, outcome="referred", referral_target=targets[i]
                )
            shift = make_shift(hub=hub, day=monday, dagdeel=shift_dagdeel, min_staff=2)
            SignUp.objects.create(
                shift=shift,
                user=worker,
                date=shift.date,
                dagdeel=shift.dagdeel,
                cluster=cluster,
                attended=week % 2 == 0,
            )
            Shift.objects.filter(pk=shift.pk).update(confirmed_count=F("confirmed_count") + 1)
            ClusterOffer.objects.create(
                shift=shift, cluster=cluster, places=1, release_at=shift.starts_at
            )
            made = dt.datetime.combine(monday, dt.time(11), tzinfo=AMSTERDAM)
            gap = KnowledgeGap.objects.create(hub=hub, search_terms=f"parkeren {week}")
            KnowledgeGap.objects.filter(pk=gap.pk).update(created_at=made)
            callback = make_callback(hub=hub, team=team, user=worker, now=made)
            if week % 2:
                type(callback).objects.filter(pk=callback.pk).update(
                    status=CallbackStatus.COMPLETED,
                    first_attempt_at=made + dt.timedelta(hours=3),
                    closed_at=made + dt.timedelta(hours=5),
                )
        make_proposal(hub, author, submit=True)
    rollup.rebuild_all()


def _page(client, name, *args, **params):
    return client.get(reverse(name, args=args), params)


def _nl(message: str, **values) -> str:
    """A message of the forms or of Django, as the Dutch catalogue has it."""
    with translation.override("nl"):
        text = translation.gettext(message)
    return text % values if values else text


def _text(html: str) -> str:
    """The page's text, tags and runs of white space removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- who sees what ------------------------------------------------------------------------------


@frozen
def test_wijkmanager_sees_her_hub_and_its_gebied_but_not_the_city(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    assert _page(client, "reports:hub", hub.slug).status_code == 200
    assert _page(client, "reports:gebied", hub.gebied.slug).status_code == 200
    response = _page(client, "reports:city")
    assert response.status_code == 403
    assert "alleen voor coördinatoren" in response.content.decode()


@frozen
def test_wijkmanager_gets_a_clear_403_for_a_hub_she_does_not_manage(client, wijkmanager, other_hub):
    client.force_login(wijkmanager)
    response = _page(client, "reports:hub", other_hub.slug)
    assert response.status_code == 403
    assert "waarvan je wijkmanager bent" in response.content.decode()
    # Nor its gebied, nor its downloads.
    assert _page(client, "reports:gebied", other_hub.gebied.slug).status_code == 403
    export = reverse("reports:hub_export", args=[other_hub.slug, "kerncijfers", "csv"])
    assert client.get(export).status_code == 403


@frozen
def test_wijkmanager_does_not_see_a_gebied_with_a_hub_of_someone_else(client, wijkmanager, hub):
    HubFactory(gebied=hub.gebied, name="Afrikaanderwijk")
    client.force_login(wijkmanager)
    assert _page(client, "reports:gebied", hub.gebied.slug).status_code == 403
    index = _page(client, "reports:index").content.decode()
    assert reverse("reports:gebied", args=[hub.gebied.slug]) not in index
    assert reverse("reports:hub", args=[hub.slug]) in index
    assert "Afrikaanderwijk" not in index


@frozen
def test_coordinator_sees_every_report(client, coordinator, hub, other_hub):
    client.force_login(coordinator)
    index = _page(client, "reports:index").content.decode()
    for url in (
        reverse("reports:city"),
        reverse("reports:gebied", args=[hub.gebied.slug]),
        reverse("reports:gebied", args=[other_hub.gebied.slug]),
        reverse("reports:hub", args=[hub.slug]),
        reverse("reports:hub", args=[other_hub.slug]),
    ):
        assert f'href="{url}"' in index
        assert client.get(url).status_code == 200


@frozen
def test_index_shows_questions_of_the_last_13_weeks(client, coordinator, hub, other_hub):
    fill([hub, other_hub], weeks=2, per_week=2)
    client.force_login(coordinator)
    text = _text(_page(client, "reports:index").content.decode())
    # 2 weeks × (2 answered + 2 referred + a callback request)
    assert "Feijenoord (10)" in text
    assert "20 vragen" in text  # the city
    with translation.override("nl"):
        assert DEFAULT.label() in text


@frozen
@pytest.mark.parametrize("role", ["host", "medewerker", "kcc"])
def test_staff_without_reports_are_sent_to_their_week(client, cast, role):
    client.force_login(cast[role])
    response = _page(client, "reports:index")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:week")
    assert _page(client, "reports:city").status_code == 403


@frozen
def test_wijkraad_member_cannot_see_reports(client, wijkraad, hub):
    client.force_login(wijkraad)
    assert _page(client, "reports:index").status_code == 403
    assert _page(client, "reports:hub", hub.slug).status_code == 403


def test_anonymous_visitor_is_sent_to_the_login(client, hub):
    response = _page(client, "reports:hub", hub.slug)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@frozen
def test_unknown_hub_or_gebied_is_404(client, coordinator, wijkmanager):
    for user in (coordinator, wijkmanager):
        client.force_login(user)
        assert _page(client, "reports:hub", "bestaat-niet").status_code == 404
        assert _page(client, "reports:gebied", "bestaat-niet").status_code == 404


@frozen
def test_reports_answer_only_get(client, coordinator, hub):
    client.force_login(coordinator)
    assert client.post(reverse("reports:hub", args=[hub.slug])).status_code == 405
    assert client.post(reverse("reports:index")).status_code == 405


@frozen
def test_menu_leads_wijkmanagers_and_coordinators_to_reports(client, cast):
    for role, shown in (("wijkmanager", True), ("coordinator", True), ("host", False)):
        client.force_login(cast[role])
        html = client.get(reverse("home")).content.decode()
        assert (f'href="{reverse("reports:index")}"' in html) is shown, role


# --- the period ---------------------------------------------------------------------------------


@frozen
@pytest.mark.parametrize(
    "params, message",
    [
        ({"van": "2026-10-01", "tot": "2026-09-01"}, "The end date is before the start date."),
        (
            {"van": "9999-01-01", "tot": "9999-02-01"},
            "Choose a date between %(first)s and %(last)s.",
        ),
        (
            {"van": "2026-01-01", "tot": "9999-12-31"},
            "Choose a date between %(first)s and %(last)s.",
        ),
        ({"van": "abc", "tot": "2026-10-01"}, "Enter a valid date."),
        (
            {"periode": "onzin"},
            "Select a valid choice. %(value)s is not one of the available choices.",
        ),
        ({"van": "2026-10-01"}, "Fill in both the start and the end date."),
        ({"van": "2026-10-01", "tot": "2026-12-31"}, "A report cannot end after this week."),
        ({"van": "2020-01-01", "tot": "2026-10-01"}, "Choose a period of at most %(weeks)s weeks."),
    ],
)
def test_bad_period_shows_a_dutch_message_and_keeps_what_was_typed(
    client, wijkmanager, hub, params, message
):
    client.force_login(wijkmanager)
    response = _page(client, "reports:hub", hub.slug, **params)
    html = response.content.decode()
    assert response.status_code == 400
    message = _nl(message, first=2000, last=2026, weeks=156, value="onzin")
    assert escape(message) in html
    for name in ("van", "tot"):
        if name in params:
            assert f'name="{name}" value="{params[name]}"' in html
    assert 'id="kerncijfers"' not in html  # no report


@frozen
def test_default_period_is_the_last_13_weeks(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    response = _page(client, "reports:hub", hub.slug)
    assert response.context["period"] == DEFAULT
    with translation.override("nl"):
        assert capfirst(DEFAULT.label()) in response.content.decode()


@frozen
def test_preset_and_own_dates_choose_the_period(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    response = _page(client, "reports:hub", hub.slug, periode="4")
    assert response.context["period"] == Period(dt.date(2026, 10, 19), dt.date(2026, 11, 15))
    # Own dates widen to whole weeks.
    response = _page(client, "reports:hub", hub.slug, van="2026-09-02", tot="2026-09-30")
    assert response.context["period"] == Period(dt.date(2026, 8, 31), dt.date(2026, 10, 4))


@frozen
def test_previous_and_next_links_keep_the_length_of_the_period(client, wijkmanager, hub):
    client.force_login(wijkmanager)
    url = reverse("reports:hub", args=[hub.slug])
    html = _page(
        client, "reports:hub", hub.slug, van="2026-09-07", tot="2026-10-04"
    ).content.decode()
    assert f'href="{url}?van=2026-08-10&amp;tot=2026-09-06" rel="prev"' in html
    assert f'href="{url}?van=2026-10-05&amp;tot=2026-11-01" rel="next"' in html
    # The default period ends last Sunday: the next one would pass this week.
    html = _page(client, "reports:hub", hub.slug).content.decode()
    assert 'rel="prev"' in html
    assert 'rel="next"' not in html


# --- the page -----------------------------------------------------------------------------------


@frozen
def test_report_page_shows_every_section_and_table_with_downloads(client, wijkmanager, hub):
    fill([hub], weeks=2, per_week=2)
    client.force_login(wijkmanager)
    response = _page(client, "reports:hub", hub.slug)
    html = response.content.decode()
    report = response.context["report"]
    assert "Rapportage: wijkhub Feijenoord" in html
    for anchor, _title, tables in report.sections:
        assert f'href="#{anchor}"' in html
        assert f'id="{anchor}"' in html
        for table in tables:
            if not table.rows:
                continue
            assert f'id="cijfers-{table.id}"' in html
            export = reverse("reports:hub_export", args=[hub.slug, table.id, "csv"])
            assert f'href="{export}?{DEFAULT.query().replace("&", "&amp;")}"' in html
    everything = reverse("reports:hub_export", args=[hub.slug, "alles", "xlsx"])
    assert everything in html
    assert "Cijfers als tabel" in html
    # No inline style or script: the CSP forbids them.
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


@frozen
def test_headline_shows_period_previous_change_and_city(client, wijkmanager, hub, other_hub):
    fill([hub, other_hub], weeks=2, per_week=2)
    client.force_login(wijkmanager)
    text = _text(_page(client, "reports:hub", hub.slug, periode="4").content.decode())
    # 10 questions in the last 4 weeks, none in the 4 before; the city's average hub 10.
    assert "Vragen 10 Vorige periode: 0 ▲ 10 hoger Stadsgemiddelde: 10 " in text


@frozen
def test_city_report_has_no_city_average_column(client, coordinator, hub):
    fill([hub], weeks=1, per_week=1)
    client.force_login(coordinator)
    response = _page(client, "reports:city")
    assert response.status_code == 200
    columns = [c.label for c in response.context["report"].headline.columns]
    assert len(columns) == 3
    assert _nl("City average") not in columns
    cards = response.content.decode().split("report-cards", 1)[1].split("</ul>", 1)[0]
    assert "Vorige periode:" in cards
    assert "Stadsgemiddelde:" not in cards


@frozen
def test_numbers_on_the_page_are_the_report_figures(client, coordinator, hub, other_hub):
    fill([hub, other_hub], weeks=3, per_week=2)
    client.force_login(coordinator)
    html = _page(client, "reports:gebied", hub.gebied.slug).content.decode()
    report = build_report(Scope("gebied", hub.gebied.name, [hub.pk]), DEFAULT, today=TODAY)
    table = report.table("trend")
    body = html.split('id="cijfers-trend"', 1)[1].split("</table>", 1)[0]
    cells = [_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)]
    expected = [
        format_figure(value, table.kind_at(r, c))
        for r, row in enumerate(table.rows)
        for c, value in enumerate(row)
    ]
    assert cells[len(table.columns) :] == expected
    assert "wk 44 (26 okt)" in expected  # 26 October 2026 is the Monday of week 44


@pytest.mark.parametrize(
    "value, kind, nl, en",
    [
        (1234, "int", "1.234", "1,234"),
        (12.0, "int", "12", "12"),
        (12.5, "int", "12,5", "12.5"),  # a city average
        (1234.56, "float", "1.234,6", "1,234.6"),
        (42.5, "pct", "42,5%", "42.5%"),
        (0.05, "pct", "0,1%", "0.1%"),
        (26.26, "hours", "26,3 u", "26.3 h"),
        (4.5, "days", "4,5 dagen", "4.5 days"),
        (1, "days", "1,0 dag", "1.0 day"),
        (dt.date(2026, 9, 28), "week", "wk 40 (28 sep)", "wk 40 (28 Sep)"),
        (None, "pct", "–", "–"),
        ("Wonen", "text", "Wonen", "Wonen"),
    ],
)
def test_figures_read_the_dutch_way(value, kind, nl, en):
    with translation.override("nl"):
        assert format_figure(value, kind) == nl
    with translation.override("en"):
        assert format_figure(value, kind) == en


# --- query counts ---------------------------------------------------------------------------


def _bigger(hub, other_hub):
    """About ten times the data: more hubs (in both gebieden), weeks, questions,
    callbacks, proposals, clusters and articles."""
    extra = [HubFactory(gebied=hub.gebied) for _ in range(5)]
    extra += [HubFactory(gebied=other_hub.gebied) for _ in range(5)]
    fill([hub, other_hub, *extra], weeks=6, per_week=4, shift_dagdeel=Dagdeel.MIDDAG)
    ClusterFactory.create_batch(5)


# The queries of a report page, whatever the data:
# - the session, its user and the user's roles (3);
# - the scope: the hub (1), the gebied and the ids of its hubs (2), the city none (0);
# - when the figures were last refreshed (1);
# - build_report: the rollup sums and the weekly trend (2), the names of topics,
#   referral targets, clusters and articles (1), callbacks per team, per period and
#   for the city (3) and proposals of the scope and the city (2) — on SQLite each of
#   those five takes its medians in extra queries (8 more), PostgreSQL in the same one.
SCOPE_QUERIES = {"reports:city": 0, "reports:gebied": 2, "reports:hub": 1}


def _page_queries(name: str) -> int:
    medians = 0 if connection.vendor == "postgresql" else 8
    return 3 + SCOPE_QUERIES[name] + 1 + 8 + medians


def _args(name, hub):
    return {"reports:city": [], "reports:gebied": [hub.gebied.slug], "reports:hub": [hub.slug]}[
        name
    ]


@frozen
@pytest.mark.parametrize("name", sorted(SCOPE_QUERIES))
def test_report_pages_make_the_same_queries_at_two_sizes(
    client, coordinator, hub, other_hub, django_assert_num_queries, name
):
    client.force_login(coordinator)
    fill([hub, other_hub], weeks=1, per_week=1)
    url = reverse(name, args=_args(name, hub))
    client.get(url)  # translations and content types are loaded once per process
    with django_assert_num_queries(_page_queries(name)):
        small = client.get(url)
    _bigger(hub, other_hub)
    with django_assert_num_queries(_page_queries(name)):
        big = client.get(url)
    questions = [r.context["report"].table("kerncijfers").rows[0][1] for r in (small, big)]
    assert questions[1] >= 10 * questions[0]


@frozen
def test_index_makes_the_same_queries_at_two_sizes(
    client, coordinator, hub, other_hub, django_assert_num_queries
):
    client.force_login(coordinator)
    fill([hub, other_hub], weeks=1, per_week=1)
    client.get(reverse("reports:index"))
    # Session, user and roles (3), hubs with their gebied, questions per hub, the last
    # refresh (3).
    with django_assert_num_queries(6):
        client.get(reverse("reports:index"))
    _bigger(hub, other_hub)
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:index"))
    assert len(response.context["gebieden"]) == 2


@pytest.mark.django_db
def test_a_rendered_report_is_reused_until_the_next_refresh(client, coordinator, hub, settings):
    from django.core.cache import cache

    from reports import rollup
    from tests.factories import QuestionFactory

    settings.REPORT_CACHE_SECONDS = 900
    cache.clear()
    url = reverse("reports:city") + "?periode=4"
    with time_machine.travel(dt.datetime(2026, 11, 18, 10, tzinfo=dt.UTC)):
        QuestionFactory(hub=hub, date=dt.date(2026, 11, 10))
        rollup.rebuild_all()
        client.force_login(coordinator)
        first = client.get(url).context["report_body"]
        QuestionFactory(hub=hub, date=dt.date(2026, 11, 11))  # not rolled up yet
        assert client.get(url).context["report_body"] == first
    with time_machine.travel(dt.datetime(2026, 11, 18, 10, 15, tzinfo=dt.UTC)):
        rollup.refresh_week(dt.date(2026, 11, 11))  # the refresh makes a new version
        client.force_login(coordinator)
        assert client.get(url).context["report_body"] != first
    cache.clear()
