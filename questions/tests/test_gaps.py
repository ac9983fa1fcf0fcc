"""The knowledge gaps ("geen antwoord gevonden") the kennisbank editors work through."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from questions.models import KnowledgeGap
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

URL = "/kennisbank/hiaten/"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def _gap(hub, minutes_ago=0, **fields):
    """A gap recorded ``minutes_ago`` (created_at is auto_now_add, so set it after)."""
    gap = KnowledgeGap.objects.create(hub=hub, **fields)
    KnowledgeGap.objects.filter(pk=gap.pk).update(
        created_at=NOW - dt.timedelta(minutes=minutes_ago)
    )
    gap.refresh_from_db()
    return gap


def _resolve_url(gap):
    return reverse("questions:gap_resolve", args=[gap.pk])


def test_url_plan_is_as_expected():
    assert reverse("questions:gap_list") == URL
    assert reverse("questions:gap_resolve", args=[4]) == "/kennisbank/hiaten/4/opgelost/"


def test_editor_sees_open_gaps_newest_first_and_resolved_ones_below(
    client, kcc, host, hub, other_hub
):
    topic = TopicFactory(name="Paspoort en ID", parent=TopicFactory(name="Burgerzaken"))
    older = _gap(
        hub,
        60,
        search_terms="paspoort kind",
        note="Kind van 3 heeft paspoort nodig",
        created_by=host,
    )
    newer = _gap(other_hub, 5, search_terms="id-kaart verlopen", topic=topic)
    article = ArticleFactory(title="Paspoort of ID-kaart aanvragen")
    done = _gap(
        hub,
        600,
        search_terms="uittreksel",
        resolved_article=article,
        resolved_at=NOW - dt.timedelta(minutes=30),
    )
    client.force_login(kcc)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["gaps"] == [newer, older]
    assert response.context["resolved"] == [done]
    html = response.content.decode()
    for text in [
        "paspoort kind",
        "Kind van 3 heeft paspoort nodig",
        escape(str(host)),  # a name like "van 't Hof" is shown escaped
        "Bloemhof",
        "Burgerzaken › Paspoort en ID",
        "Paspoort of ID-kaart aanvragen",
    ]:
        assert text in html
    assert f'action="{_resolve_url(older)}"' in html
    assert f"{reverse('questions:article_create')}?hiaat={older.pk}" in html


def test_older_gaps_are_on_the_next_page_without_counting(client, coordinator, hub):
    for minute in range(30):
        _gap(hub, minute, search_terms=f"vraag {minute}")
    client.force_login(coordinator)
    first = client.get(URL)
    assert [g.search_terms for g in first.context["gaps"]] == [f"vraag {m}" for m in range(25)]
    assert first.context["older"]
    second = client.get(URL, {"ouder": first.context["older"]})
    assert [g.search_terms for g in second.context["gaps"]] == [f"vraag {m}" for m in range(25, 30)]
    assert second.context["older"] == ""
    assert second.context["resolved"] == []


def test_gaps_recorded_at_the_same_moment_are_all_paged_through(client, coordinator, hub):
    gaps = [_gap(hub, 0, search_terms=f"tegelijk {n}") for n in range(27)]
    client.force_login(coordinator)
    first = client.get(URL)
    second = client.get(URL, {"ouder": first.context["older"]})
    shown = first.context["gaps"] + second.context["gaps"]
    assert sorted(g.pk for g in shown) == sorted(g.pk for g in gaps)


@pytest.mark.parametrize(
    "cursor", ["abc", "1-", "-1", "99999999999999999999-1", "1-2-3", "\x00", "1" * 500]
)
def test_a_malformed_page_position_shows_the_first_page(client, coordinator, hub, cursor):
    _gap(hub, 1, search_terms="iets")
    client.force_login(coordinator)
    response = client.get(URL, {"ouder": cursor})
    assert response.status_code == 200
    assert [g.search_terms for g in response.context["gaps"]] == ["iets"]


@pytest.mark.parametrize("who", ["host", "medewerker", "wijkmanager", "wijkraad", "outsider"])
def test_only_editors_see_and_resolve_gaps(client, request, who, hub):
    gap = _gap(hub, search_terms="iets")
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"oplossen": gap.pk}).status_code == 403
    assert client.post(_resolve_url(gap)).status_code == 403
    gap.refresh_from_db()
    assert gap.resolved_at is None


def test_gap_list_refuses_post(client, kcc):
    client.force_login(kcc)
    assert client.post(URL).status_code == 405


def test_resolve_takes_only_post(client, kcc, hub):
    gap = _gap(hub)
    client.force_login(kcc)
    assert client.get(_resolve_url(gap)).status_code == 405
    assert client.put(_resolve_url(gap)).status_code == 405


def test_resolving_an_unknown_gap_is_404(client, kcc):
    client.force_login(kcc)
    assert client.post("/kennisbank/hiaten/999999/opgelost/").status_code == 404


def test_just_marking_a_gap_resolved_from_the_list(client, kcc, hub):
    gap = _gap(hub, search_terms="iets")
    client.force_login(kcc)
    response = client.post(_resolve_url(gap))
    assert response.status_code == 302
    assert response["Location"] == URL
    gap.refresh_from_db()
    assert gap.resolved_at == NOW
    assert gap.resolved_article is None


def test_resolve_page_suggests_matching_articles_and_links_the_chosen_one(client, kcc, hub):
    article = ArticleFactory(title="Grofvuil laten ophalen")
    ArticleFactory(title="Paspoort aanvragen")
    gap = _gap(hub, search_terms="grofvuil")
    client.force_login(kcc)
    page = client.get(URL, {"oplossen": gap.pk})
    assert page.status_code == 200
    assert page.context["resolving"] == gap
    assert page.context["suggestions"] == [article]
    assert page.context["form"].initial == {"article": article.pk}
    html = page.content.decode()
    assert f'action="{_resolve_url(gap)}"' in html
    assert f"{reverse('questions:article_create')}?hiaat={gap.pk}" in html
    response = client.post(_resolve_url(gap), {"article": article.pk})
    assert response.status_code == 302
    gap.refresh_from_db()
    assert gap.resolved_article == article
    assert gap.resolved_at == NOW


@pytest.mark.parametrize("value", ["999999", "abc", "1 OR 1=1"])
def test_a_forged_article_is_refused(client, kcc, hub, value):
    gap = _gap(hub, search_terms="iets")
    client.force_login(kcc)
    response = client.post(_resolve_url(gap), {"article": value})
    assert response.status_code == 200
    assert "article" in response.context["form"].errors
    assert response.context["resolving"] == gap
    gap.refresh_from_db()
    assert gap.resolved_at is None


def test_a_gap_resolved_already_stays_as_it_was(client, kcc, coordinator, hub):
    first_answer = ArticleFactory(title="Eerste antwoord")
    gap = _gap(hub, resolved_article=first_answer, resolved_at=NOW - dt.timedelta(hours=1))
    client.force_login(kcc)
    response = client.post(_resolve_url(gap), {"article": ArticleFactory().pk})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["info"]
    gap.refresh_from_db()
    assert gap.resolved_article == first_answer
    assert gap.resolved_at == NOW - dt.timedelta(hours=1)
    # A resolved gap gets no resolve form on the list.
    assert client.get(URL, {"oplossen": gap.pk}).context["resolving"] is None


@pytest.mark.parametrize("value", ["999999", "abc", "1; DROP", "9" * 40, "\x00"])
def test_an_unknown_gap_to_resolve_in_the_address_is_ignored(client, kcc, hub, value):
    _gap(hub, search_terms="iets")
    client.force_login(kcc)
    response = client.get(URL, {"oplossen": value})
    assert response.status_code == 200
    assert response.context["resolving"] is None


@pytest.mark.parametrize("number", [10, 1000])
def test_gap_list_query_count_does_not_grow(client, kcc, hub, django_assert_num_queries, number):
    article = ArticleFactory()
    KnowledgeGap.objects.bulk_create(
        KnowledgeGap(
            hub=hub,
            search_terms=f"vraag {n}",
            created_by=kcc,
            resolved_article=article if n % 2 else None,
            resolved_at=timezone.now() if n % 2 else None,
        )
        for n in range(number)
    )
    client.force_login(kcc)
    # 1 session, 2 user, 3 roles (Access), 4 a page of open gaps with hub, topic and
    # author, 5 the recently resolved ones with their article.
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert len(response.context["gaps"]) == min(number // 2, 25)
