"""The question list (/vragen/): wijkmanagers (their hubs) and coordinators; filters;
keyset pagination that never counts the table."""

import datetime as dt
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pytest_django.asserts import assertInHTML

from questions.constants import Outcome
from questions.models import Question
from questions.views.desk import PAGE_SIZE
from tests.factories import QuestionFactory, ReferralTargetFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
URL = reverse("questions:question_list")
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=False):
        yield


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _bulk(hub, topic, n, start=START, step=dt.timedelta(minutes=7), **fields):
    """``n`` questions, one every ``step`` from ``start``."""
    rows = []
    for i in range(n):
        moment = start + i * step
        rows.append(
            Question(
                hub=hub,
                topic=topic,
                date=moment.astimezone(AMS).date(),
                created_at=moment,
                outcome=fields.get("outcome", Outcome.ANSWERED),
                **{k: v for k, v in fields.items() if k != "outcome"},
            )
        )
    return Question.objects.bulk_create(rows)


@pytest.fixture
def wonen():
    return TopicFactory(name="Wonen")


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("wijkmanager", 200),
        ("coordinator", 200),
        ("outsider", 200),
        ("host", 403),
        ("kcc", 403),
        ("medewerker", 403),
        ("wijkraad", 403),
    ],
)
def test_who_may_see_the_list(client, cast, role, code):
    client.force_login(cast[role])
    assert client.get(URL).status_code == code


def test_list_needs_login_and_get(client, wijkmanager):
    assert client.get(URL).status_code == 302
    client.force_login(wijkmanager)
    assert client.post(URL).status_code == 405


def test_wijkmanager_sees_only_their_hubs_newest_first(client, wijkmanager, hub, other_hub, wonen):
    mine = _bulk(hub, wonen, 3)
    _bulk(other_hub, wonen, 2, note="Elders")
    client.force_login(wijkmanager)
    response = client.get(URL)
    assert [q.pk for q in response.context["rows"]] == [q.pk for q in reversed(mine)]
    assert "Elders" not in response.content.decode()
    # The hub filter offers only their hubs; a forged other hub is a form error.
    assert list(response.context["form"].fields["hub"].queryset) == [hub]
    response = client.get(URL, {"hub": other_hub.slug})
    assert "hub" in response.context["form"].errors
    assert len(response.context["rows"]) == 3


def test_coordinator_sees_every_hub_and_filters_by_hub(client, coordinator, hub, other_hub, wonen):
    _bulk(hub, wonen, 3)
    elsewhere = _bulk(other_hub, wonen, 2)
    client.force_login(coordinator)
    assert len(client.get(URL).context["rows"]) == 5
    response = client.get(URL, {"hub": other_hub.slug})
    assert {q.pk for q in response.context["rows"]} == {q.pk for q in elsewhere}


def test_filters_on_dates_topic_and_outcome(client, coordinator, hub, wonen):
    huur = TopicFactory(name="Huur", parent=wonen)
    other = TopicFactory(name="Afval")
    target = ReferralTargetFactory(name="Woonstad Rotterdam")
    day = dt.timedelta(days=1)
    main_q = QuestionFactory(
        hub=hub, topic=wonen, date=dt.date(2026, 11, 10), created_at=START + 8 * day
    )
    sub_q = QuestionFactory(
        hub=hub,
        topic=huur,
        date=dt.date(2026, 11, 12),
        created_at=START + 10 * day,
        outcome=Outcome.REFERRED,
        referral_target=target,
    )
    QuestionFactory(hub=hub, topic=other, date=dt.date(2026, 11, 11), created_at=START + 9 * day)
    QuestionFactory(hub=hub, topic=wonen, date=dt.date(2026, 11, 2), created_at=START)
    client.force_login(coordinator)
    # A main topic takes its subtopics along.
    response = client.get(
        URL, {"topic": wonen.pk, "date_from": "2026-11-09", "date_to": "2026-11-12"}
    )
    assert [q.pk for q in response.context["rows"]] == [sub_q.pk, main_q.pk]
    response = client.get(URL, {"topic": huur.pk})
    assert [q.pk for q in response.context["rows"]] == [sub_q.pk]
    response = client.get(URL, {"outcome": Outcome.REFERRED})
    assert [q.pk for q in response.context["rows"]] == [sub_q.pk]
    assert "Woonstad Rotterdam" in response.content.decode()


def test_date_filters_follow_the_amsterdam_day_at_its_edges(client, coordinator, hub, wonen):
    """The date filters also bound ``created_at`` (so the list is read off its index from
    the right place): at Amsterdam's midnight, not at UTC's."""
    late = _bulk(hub, wonen, 1, start=dt.datetime(2026, 3, 15, 23, 50, tzinfo=AMS))[0]
    # 00:20 on the 16th in Amsterdam is still the 15th in UTC.
    early = _bulk(hub, wonen, 1, start=dt.datetime(2026, 3, 16, 0, 20, tzinfo=AMS))[0]
    client.force_login(coordinator)

    def shown(**params):
        return [q.pk for q in client.get(URL, params).context["rows"]]

    assert shown(date_to="2026-03-15") == [late.pk]
    assert shown(date_from="2026-03-16") == [early.pk]
    assert shown(date_from="2026-03-15", date_to="2026-03-16") == [early.pk, late.pk]
    assert shown(date_from="2026-03-17") == []
    # The calendar's first and last days are accepted and answered, not a server error.
    assert shown(date_from="0001-01-01", date_to="9999-12-31") == [early.pk, late.pk]
    assert shown(date_to="0001-01-01") == []
    assert shown(date_from="9999-12-31") == []


def test_malformed_dates_are_explained_and_the_other_filters_still_apply(
    client, coordinator, hub, wonen
):
    _bulk(hub, wonen, 2)
    _bulk(hub, TopicFactory(name="Afval"), 1)
    client.force_login(coordinator)
    response = client.get(URL, {"date_from": "2026-23-11", "date_to": "morgen", "topic": wonen.pk})
    assert response.status_code == 200
    errors = response.context["form"].errors
    expected = _nl("Enter a date like 2026-11-23; this filter was left out.")
    assert errors == {"date_from": [expected], "date_to": [expected]}
    assert len(response.context["rows"]) == 2
    assert 'value="2026-23-11"' in response.content.decode()


def test_last_day_before_first_is_explained(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"date_from": "2026-11-20", "date_to": "2026-11-01"})
    assert response.context["form"].errors == {
        "date_to": [_nl("The last day cannot be before the first day.")]
    }


def test_unknown_topic_or_outcome_is_a_form_error(client, coordinator):
    client.force_login(coordinator)
    response = client.get(URL, {"topic": "999999", "outcome": "bribe"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"topic", "outcome"}


def _next(response) -> str:
    return response.context["older_url"]


def test_keyset_pagination_walks_all_questions_once(client, coordinator, hub, wonen):
    # Ties on created_at: the id decides, so nothing is skipped or shown twice.
    _bulk(hub, wonen, 60, step=dt.timedelta(minutes=5))
    _bulk(hub, wonen, 60, step=dt.timedelta(minutes=5))
    client.force_login(coordinator)
    seen = []
    response = client.get(URL, {"outcome": Outcome.ANSWERED})
    pages = 1
    while True:
        seen += [q.pk for q in response.context["rows"]]
        if not _next(response):
            break
        query = parse_qs(urlparse(_next(response)).query)
        assert query["outcome"] == [Outcome.ANSWERED]  # the filters go along
        response = client.get(URL + _next(response))
        assert response.context["newest_url"]
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 120
    ordered = list(Question.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))
    assert seen == ordered


def test_exactly_one_page_has_no_older_link(client, coordinator, hub, wonen):
    _bulk(hub, wonen, PAGE_SIZE)
    client.force_login(coordinator)
    response = client.get(URL)
    assert len(response.context["rows"]) == PAGE_SIZE
    assert response.context["older_url"] == ""


@pytest.mark.parametrize(
    "cursor",
    [
        "gisteren",
        "2026-11-02T10:00:00,abc",
        "2026-11-02T10:00:00,5",
        ",",
        "2026-13-45T10:00:00Z,5",
        # Not a moment in UTC: a server error on SQLite before.
        "0001-01-01T00:00:00+14:00,5",
        "9999-12-31T23:59:59-14:00,5",
    ],
)
def test_malformed_cursor_shows_the_newest_with_a_message(client, coordinator, hub, wonen, cursor):
    _bulk(hub, wonen, 3)
    client.force_login(coordinator)
    response = client.get(URL, {"voor": cursor})
    assert response.status_code == 200
    assert response.context["cursor_problem"] == _nl(
        "That link to older questions is not valid; the newest questions are shown."
    )
    assert len(response.context["rows"]) == 3


@pytest.mark.parametrize("size", [10, 10_000])
def test_query_count_does_not_grow_with_the_table(
    client, coordinator, hub, wonen, size, django_assert_num_queries
):
    _bulk(hub, wonen, size, step=dt.timedelta(seconds=30))
    client.force_login(coordinator)
    # 1 session, 2 user, 3 roles (Access), 4 hubs for the filter, 5 topics for the
    # filter, 6 one page of questions (page size + 1 rows, with hub, topic, destination
    # and author).
    with django_assert_num_queries(6) as captured:
        response = client.get(URL)
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    assert len(response.context["rows"]) == min(size, PAGE_SIZE)
    older = _next(response)
    assert bool(older) == (size > PAGE_SIZE)
    if older:
        with django_assert_num_queries(6):
            response = client.get(URL + older)
        assert len(response.context["rows"]) == PAGE_SIZE


def test_a_filter_error_is_tied_to_its_field(client, coordinator):
    client.force_login(coordinator)
    html = client.get(URL, {"date_from": "morgen"}).content.decode()
    assertInHTML(f'<label for="id_date_from" class="form-label">{_nl("From")}</label>', html)
    assertInHTML(
        '<input type="date" name="date_from" value="morgen" id="id_date_from" aria-invalid="true"'
        ' class="dateinput form-control is-invalid" aria-describedby="id_date_from_error">',
        html,
    )
    expected = _nl("Enter a date like 2026-11-23; this filter was left out.")
    assertInHTML(
        '<div id="id_date_from_error" class="invalid-feedback">'
        f'<span id="error_1_id_date_from"><strong>{expected}</strong></span></div>',
        html,
    )


def test_the_filter_offers_the_users_hubs_and_every_topic(
    client, wijkmanager, hub, other_hub, wonen
):
    huur = TopicFactory(name="Huur", parent=wonen)
    client.force_login(wijkmanager)
    response = client.get(URL, {"hub": hub.slug, "topic": huur.pk})
    html = response.content.decode()
    assertInHTML(f'<option value="{hub.slug}" selected>{hub.name}</option>', html)
    assert f'value="{other_hub.slug}"' not in html
    assertInHTML(f'<option value="{wonen.pk}">Wonen</option>', html)
    assertInHTML(f'<option value="{huur.pk}" selected>Wonen › Huur</option>', html)
    assert response.context["form"].errors == {}


def test_a_hub_that_is_not_yours_is_a_form_error(client, wijkmanager, other_hub):
    client.force_login(wijkmanager)
    response = client.get(URL, {"hub": other_hub.slug})
    assert set(response.context["form"].errors) == {"hub"}


def test_each_row_shows_its_hub_topic_labels_and_author(client, coordinator, hub, wonen):
    huur = TopicFactory(name="Huur", parent=wonen)
    author = UserFactory(first_name="Sanne", last_name="de Wit")
    _bulk(
        hub,
        huur,
        1,
        outcome=Outcome.REFERRED,
        referral_target=ReferralTargetFactory(name="Woonstad Rotterdam"),
        dagdeel="middag",
        language="ar",
        interpreter_needed=True,
        created_by=author,
    )
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    for text in (
        hub.name,
        "Wonen › Huur",
        f"{_nl('Referred')}: Woonstad Rotterdam",
        _nl("Afternoon"),
        f"{_nl('Arabic')} ({_nl('interpreter')})",
        "<td>SD</td>",
    ):
        assert text in html
