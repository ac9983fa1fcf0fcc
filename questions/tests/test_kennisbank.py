"""The kennisbank search page (/kennisbank/) and the article page."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from questions.models import Article, Question
from questions.search import MAX_QUERY_LENGTH
from tests.factories import ArticleFactory, QuestionFactory, TopicFactory

from .test_search import HOSTILE

pytestmark = pytest.mark.django_db

URL = "/kennisbank/"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.fixture
def wonen():
    return TopicFactory(name="Wonen")


@pytest.fixture
def huur(wonen):
    return TopicFactory(name="Huur en huurtoeslag", parent=wonen)


@pytest.fixture
def articles(huur):
    huurtoeslag = ArticleFactory(
        title="Huurtoeslag aanvragen",
        body="Aanvragen gaat via Mijn toeslagen met DigiD.",
        last_reviewed=TODAY - dt.timedelta(days=30),
    )
    huurtoeslag.topics.add(huur)
    grofvuil = ArticleFactory(
        title="Grofvuil laten ophalen",
        body="Maak een afspraak.",
        last_reviewed=TODAY - dt.timedelta(days=400),
    )
    hidden = ArticleFactory(
        title="Huurtoeslag 2027 (concept)", body="Nog niet af.", is_published=False
    )
    return {"huurtoeslag": huurtoeslag, "grofvuil": grofvuil, "hidden": hidden}


def _result_titles(response):
    return [article.title for article, _parts in response.context["results"]]


def test_url_plan_is_as_expected():
    assert reverse("questions:kb_search") == URL
    assert reverse("questions:article_detail", args=[7]) == "/kennisbank/7/"


# --- search ------------------------------------------------------------------------------


def test_host_finds_an_article_with_its_topics_snippet_and_review_date(client, host, articles):
    client.force_login(host)
    response = client.get(URL, {"q": "digid"})
    assert response.status_code == 200
    assert _result_titles(response) == ["Huurtoeslag aanvragen"]
    html = response.content.decode()
    assert "Wonen › Huur en huurtoeslag" in html
    assert "<mark>DigiD</mark>" in html
    assert "24 oktober 2026" in html  # last reviewed, 30 days ago


def test_an_article_not_reviewed_for_a_year_is_marked_check(client, host, articles):
    client.force_login(host)
    response = client.get(URL, {"q": "grofvuil"})
    html = response.content.decode()
    assert "text-bg-warning" in html
    assert _nl("check") in html
    fresh = client.get(URL, {"q": "huurtoeslag"}).content.decode()
    assert "text-bg-warning" not in fresh


def test_unpublished_articles_are_hidden_from_readers_but_shown_to_editors(
    client, host, kcc, articles
):
    client.force_login(host)
    assert _result_titles(client.get(URL, {"q": "huurtoeslag"})) == ["Huurtoeslag aanvragen"]
    client.force_login(kcc)
    response = client.get(URL, {"q": "huurtoeslag"})
    assert sorted(_result_titles(response)) == [
        "Huurtoeslag 2027 (concept)",
        "Huurtoeslag aanvragen",
    ]
    assert _nl("not published") in response.content.decode()


def test_topic_filter_on_a_main_topic_includes_its_subtopics(client, host, articles, wonen):
    ArticleFactory(title="Huurtoeslag en verhuizen", body="Geef het door.")
    client.force_login(host)
    response = client.get(URL, {"q": "huurtoeslag", "onderwerp": wonen.pk})
    assert _result_titles(response) == ["Huurtoeslag aanvragen"]
    response = client.get(URL, {"q": "huurtoeslag", "onderwerp": ""})
    assert len(_result_titles(response)) == 2


@pytest.mark.parametrize("topic", ["999999", "abc", "1 OR 1=1", "-1"])
def test_forged_topic_shows_a_form_error_and_still_searches(client, host, articles, topic):
    client.force_login(host)
    response = client.get(URL, {"q": "huurtoeslag", "onderwerp": topic})
    assert response.status_code == 200
    assert "onderwerp" in response.context["form"].errors
    assert _result_titles(response) == ["Huurtoeslag aanvragen"]


def test_no_results_shows_no_answer_found(client, medewerker, articles):
    client.force_login(medewerker)
    response = client.get(URL, {"q": "paspoort"})
    html = response.content.decode()
    assert response.context["results"] == []
    assert _nl("No answer found") in html
    # Not from a desk: no gap button, and a medewerker is not an editor.
    assert reverse("questions:article_create") not in html
    assert "search_terms" not in html


def test_from_the_desk_no_results_offers_the_gap_form_for_that_hub(client, host, hub, articles):
    client.force_login(host)
    response = client.get(URL, {"q": "paspoort verlopen", "hub": hub.slug})
    html = response.content.decode()
    action = reverse("questions:gap_create", args=[hub.slug])
    assert f'action="{action}"' in html
    assert 'name="search_terms" value="paspoort verlopen"' in html
    assert 'name="note"' in html
    assert reverse("questions:desk", args=[hub.slug]) in html
    # The hub is kept when searching again and on the article links.
    assert f'name="hub" value="{hub.slug}"' in html


def test_gap_form_is_not_offered_for_a_hub_whose_desk_is_not_yours(
    client, host, other_hub, articles
):
    client.force_login(host)
    for slug in [other_hub.slug, "bestaat-niet", "x\x00y", "<script>", "a" * 300]:
        response = client.get(URL, {"q": "paspoort", "hub": slug})
        assert response.status_code == 200
        assert response.context["hub"] is None
        assert "search_terms" not in response.content.decode()


def test_editor_is_pointed_to_writing_the_missing_article(client, coordinator, articles):
    client.force_login(coordinator)
    html = client.get(URL, {"q": "paspoort"}).content.decode()
    assert reverse("questions:article_create") in html
    assert reverse("questions:gap_list") in html


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_give_a_500(client, host, articles, query):
    client.force_login(host)
    response = client.get(URL, {"q": query, "hub": query, "onderwerp": query})
    assert response.status_code == 200
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_very_long_query_is_cut_to_200_characters(client, host, articles):
    client.force_login(host)
    response = client.get(URL, {"q": "huurtoeslag " + "x" * 1000})
    assert response.status_code == 200
    assert len(response.context["query"]) == MAX_QUERY_LENGTH


# --- without a query: most used and recently reviewed ----------------------------------------


def test_without_query_most_used_in_90_days_and_recently_reviewed(client, host, hub, articles):
    huurtoeslag, grofvuil = articles["huurtoeslag"], articles["grofvuil"]
    for _ in range(3):
        QuestionFactory(hub=hub, article=grofvuil, date=TODAY - dt.timedelta(days=10))
    QuestionFactory(hub=hub, article=huurtoeslag, date=TODAY - dt.timedelta(days=5))
    # Long ago: does not count.
    for _ in range(5):
        QuestionFactory(hub=hub, article=huurtoeslag, date=TODAY - dt.timedelta(days=120))
    client.force_login(host)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["results"] is None
    popular = response.context["popular"]
    assert [(a.title, a.uses) for a in popular] == [
        ("Grofvuil laten ophalen", 3),
        ("Huurtoeslag aanvragen", 1),
    ]
    assert [a.title for a in response.context["recent"]] == [
        "Huurtoeslag aanvragen",
        "Grofvuil laten ophalen",
    ]
    # Readers do not get the editors' list of articles to check.
    assert response.context["to_review"] == []


def test_editors_see_the_articles_to_check(client, kcc, articles):
    client.force_login(kcc)
    response = client.get(URL)
    assert [a.title for a in response.context["to_review"]] == ["Grofvuil laten ophalen"]


def test_unpublished_articles_are_not_listed_for_readers(client, host, articles):
    client.force_login(host)
    response = client.get(URL)
    assert "Huurtoeslag 2027 (concept)" not in [a.title for a in response.context["recent"]]


# --- access and methods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["host", "medewerker", "kcc", "wijkmanager", "coordinator", "outsider"]
)
def test_staff_who_work_at_desks_or_sign_up_may_search(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL, {"q": "iets"}).status_code == 200


def test_wijkraad_member_may_not_use_the_kennisbank(client, wijkraad, articles):
    client.force_login(wijkraad)
    assert client.get(URL).status_code == 403
    assert client.get(articles["huurtoeslag"].get_absolute_url()).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, articles):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.get(articles["huurtoeslag"].get_absolute_url())
    assert response.status_code == 302


def test_search_refuses_post(client, host):
    client.force_login(host)
    assert client.post(URL, {"q": "x"}).status_code == 405


# --- query counts ----------------------------------------------------------------------------


def _many_articles(number, topic, hub):
    articles = Article.objects.bulk_create(
        Article(
            title=f"Huurtoeslag vraag {n}",
            body=f"Uitleg {n} over huurtoeslag.",
            last_reviewed=TODAY - dt.timedelta(days=n % 500),
        )
        for n in range(number)
    )
    Article.topics.through.objects.bulk_create(
        Article.topics.through(article_id=article.pk, topic_id=topic.pk) for article in articles
    )
    Question.objects.bulk_create(
        Question(
            hub=hub,
            date=TODAY - dt.timedelta(days=n % 100),
            topic=topic,
            outcome="answered",
            article=article,
            created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )
        for n, article in enumerate(articles)
    )


@pytest.mark.parametrize("number", [10, 1000])
def test_search_page_query_count_does_not_grow(
    client, kcc, hub, huur, django_assert_num_queries, number
):
    _many_articles(number, huur, hub)
    client.force_login(kcc)
    cache.clear()
    # On PostgreSQL the results' snippets (ts_headline) are one query more, the first
    # time only: the same search of the same articles takes them from the cache.
    snippets = 1 if connection.vendor == "postgresql" else 0
    # 1 session, 2 user, 3 roles (Access), 4 every topic (the filter's, and the names
    # of the results' topics), 5 the hub of ?hub= , 6 the ranked results, 7 the
    # results' links to their topics (+ the snippets, see above).
    for queries in (7 + snippets, 7):
        with django_assert_num_queries(queries):
            response = client.get(
                URL, {"q": "huurtoeslag", "hub": "geen-hub", "onderwerp": huur.pk}
            )
        assert len(response.context["results"]) == min(number, 20)


@pytest.mark.parametrize("number", [10, 1000])
def test_start_page_query_count_does_not_grow(
    client, kcc, hub, huur, django_assert_num_queries, number
):
    _many_articles(number, huur, hub)
    client.force_login(kcc)
    # 1 session, 2 user, 3 roles (Access), 4 every topic (the filter's, and the names
    # of the articles' topics), 5 most used in 90 days, 6 recently reviewed, 7 to check
    # (editors), 8 the links of the three lists' articles to their topics, at once.
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert len(response.context["popular"]) == 10
    assert len(response.context["recent"]) == 10


# --- the article page ------------------------------------------------------------------------


def test_article_page_shows_text_topics_review_and_author(client, host, articles, kcc):
    article = articles["huurtoeslag"]
    article.body = "Eerste alinea.\nTweede regel.\n\nNieuwe alinea <b>vet</b> & meer."
    article.updated_by = kcc
    article.save()
    client.force_login(host)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>Eerste alinea.<br>Tweede regel.</p>" in html
    assert "<p>Nieuwe alinea &lt;b&gt;vet&lt;/b&gt; &amp; meer.</p>" in html
    assert "Wonen › Huur en huurtoeslag" in html
    assert "24 oktober 2026" in html
    assert str(kcc) in html
    # Readers get no edit link.
    assert reverse("questions:article_edit", args=[article.pk]) not in html


def test_editor_sees_the_edit_link_and_unpublished_articles(client, coordinator, articles):
    client.force_login(coordinator)
    hidden = articles["hidden"]
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert reverse("questions:article_edit", args=[hidden.pk]) in response.content.decode()


def test_readers_get_404_for_an_unpublished_or_unknown_article(client, host, articles):
    client.force_login(host)
    assert client.get(articles["hidden"].get_absolute_url()).status_code == 404
    assert client.get("/kennisbank/999999/").status_code == 404


def test_stale_article_page_asks_to_check(client, host, articles):
    client.force_login(host)
    html = client.get(articles["grofvuil"].get_absolute_url()).content.decode()
    assert "text-bg-warning" in html


def test_article_page_keeps_the_way_back_to_the_desk(client, host, hub, articles):
    client.force_login(host)
    url = articles["huurtoeslag"].get_absolute_url()
    html = client.get(url, {"hub": hub.slug}).content.decode()
    assert reverse("questions:desk", args=[hub.slug]) in html


def test_article_page_refuses_post(client, host, articles):
    client.force_login(host)
    assert client.post(articles["huurtoeslag"].get_absolute_url()).status_code == 405


def test_start_page_with_a_topic_lists_only_that_topics_articles(client, host, articles, wonen):
    client.force_login(host)
    response = client.get(URL, {"onderwerp": wonen.pk})
    assert [a.title for a in response.context["recent"]] == ["Huurtoeslag aanvragen"]
