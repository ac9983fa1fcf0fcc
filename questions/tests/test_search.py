"""questions.search: the Dutch full-text search on PostgreSQL, the fallback on SQLite.

Tests marked with ``_needs_postgres`` are skipped on SQLite (CI runs them on
PostgreSQL); the rest hold on both databases.
"""

import pytest
from django.db import connection

from questions.search import (
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    MAX_QUERY_LENGTH,
    add_headlines,
    article_search,
    clean_query,
    snippet,
    with_headlines,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "x" * 1000,
    "'; DROP TABLE questions_article; --",
    '" OR 1=1 --',
    "huurtoeslag' AND '1'='1",
    "%_%",
    '"unterminated quote',
    "-",
    "!!! & | <-> :* ()",
    "OR",
    "de het een",  # only Dutch stop words
    "Ꮋuurtoeslag 😀 ☃ ﷽ Z̤͔ͧ̑̓",
    "nul\x00byte",
    "\x01\x02\x03",
    "<script>alert(1)</script>",
    "   ",
]


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")


def _titles(results):
    return [article.title for article in results]


@pytest.fixture
def huurtoeslag():
    return ArticleFactory(
        title="Huurtoeslag aanvragen",
        body="Je vraagt het aan bij de Belastingdienst via Mijn toeslagen, met DigiD.",
    )


def test_finds_a_word_of_the_title_on_any_database(huurtoeslag):
    ArticleFactory(title="Grofvuil laten ophalen", body="Maak een afspraak.")
    assert _titles(article_search("huurtoeslag")) == ["Huurtoeslag aanvragen"]
    assert _titles(article_search("HUURTOESLAG")) == ["Huurtoeslag aanvragen"]


def test_every_word_must_match(huurtoeslag):
    assert _titles(article_search("huurtoeslag digid")) == ["Huurtoeslag aanvragen"]
    assert _titles(article_search("huurtoeslag parkeervergunning")) == []


def test_a_plural_finds_the_singular_through_dutch_stemming(huurtoeslag):
    _needs_postgres()
    assert _titles(article_search("huurtoeslagen")) == ["Huurtoeslag aanvragen"]


def test_a_noun_finds_the_verb_through_dutch_stemming(huurtoeslag):
    _needs_postgres()
    # "aanvraag" and "aanvragen" share the Dutch stem "aanvrag".
    assert _titles(article_search("aanvraag")) == ["Huurtoeslag aanvragen"]


def test_search_uses_the_dutch_configuration_not_the_simple_one(huurtoeslag):
    _needs_postgres()
    sql = str(article_search("huurtoeslagen").query)
    assert "dutch" in sql
    assert "websearch_to_tsquery" in sql


def test_the_stored_document_ranks_as_title_and_body_computed_on_every_search():
    """PostgreSQL keeps each article's document in a generated column (migration 0003);
    matches and ranking are those of the expression the search used to compute."""
    _needs_postgres()
    from django.contrib.postgres.search import SearchRank, SearchVector

    from questions.models import Article
    from questions.search import _postgres_query

    ArticleFactory(title="Huurtoeslag aanvragen", body="Via Mijn toeslagen, met DigiD.")
    ArticleFactory(title="Huur opzeggen", body="Geen huurtoeslag meer na de verhuizing.")
    ArticleFactory(title="Zorgtoeslag", body="Huurtoeslag en zorgtoeslag vraag je apart aan.")
    ArticleFactory(title="Grofvuil", body="Maak een afspraak.")
    for query in ("huurtoeslag", "toeslag OR huur", '"mijn toeslagen"', "huurtoeslag -zorg"):
        computed = SearchVector("title", weight="A", config="dutch") + SearchVector(
            "body", weight="B", config="dutch"
        )
        search = _postgres_query(clean_query(query))
        expected = (
            Article.objects.alias(document=computed)
            .annotate(rank=SearchRank(computed, search))
            .filter(document=search)
            .order_by("-rank", "title", "pk")
            .values_list("pk", "rank")
        )
        assert list(article_search(query).values_list("pk", "rank")) == list(expected)


def test_the_stored_document_follows_an_edit(huurtoeslag):
    _needs_postgres()
    huurtoeslag.title = "Zorgtoeslag aanvragen"
    huurtoeslag.save()
    assert _titles(article_search("zorgtoeslag")) == ["Zorgtoeslag aanvragen"]
    assert _titles(article_search("huurtoeslag")) == []


def test_a_search_can_be_a_subquery(huurtoeslag):
    from questions.models import Article

    ArticleFactory(title="Grofvuil laten ophalen")
    found = Article.objects.filter(pk__in=article_search("huurtoeslag", limit=None).values("pk"))
    assert _titles(found) == ["Huurtoeslag aanvragen"]


def test_dutch_stop_words_alone_find_nothing_and_do_not_fail(huurtoeslag):
    _needs_postgres()
    assert _titles(article_search("de het een")) == []


def test_a_title_match_ranks_before_a_body_match():
    ArticleFactory(
        title="Afval scheiden",
        body="Grofvuil hoort niet in de container. Grofvuil laat je ophalen.",
    )
    ArticleFactory(title="Grofvuil laten ophalen", body="Maak een afspraak op de website.")
    assert _titles(article_search("grofvuil")) == ["Grofvuil laten ophalen", "Afval scheiden"]


def test_the_body_is_searched_too(huurtoeslag):
    assert _titles(article_search("belastingdienst")) == ["Huurtoeslag aanvragen"]


def test_unpublished_articles_are_found_only_when_asked_for():
    ArticleFactory(title="Parkeervergunning voor bewoners", is_published=False)
    assert _titles(article_search("parkeervergunning")) == []
    assert _titles(article_search("parkeervergunning", include_unpublished=True)) == [
        "Parkeervergunning voor bewoners"
    ]


def test_empty_query_finds_nothing(huurtoeslag):
    assert list(article_search("")) == []
    assert list(article_search(None)) == []
    assert list(article_search("   \n\t ")) == []


def test_limit_and_no_limit():
    for number in range(5):
        ArticleFactory(title=f"Paspoort {number}")
    assert len(article_search("paspoort", limit=3)) == 3
    unsliced = article_search("paspoort", limit=None)
    assert unsliced.filter(title__endswith="4").count() == 1


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(query, huurtoeslag):
    results = list(article_search(query))
    assert all(article.title == "Huurtoeslag aanvragen" for article in results)
    list(with_headlines(article_search(query, limit=None), query))


def test_a_query_with_a_null_byte_still_finds_the_words(huurtoeslag):
    assert _titles(article_search("huurtoeslag\x00")) == ["Huurtoeslag aanvragen"]


def test_clean_query_cuts_long_input_and_removes_control_characters():
    assert len(clean_query("woord " * 500)) <= MAX_QUERY_LENGTH
    assert clean_query("  huur\x00toeslag \n aanvragen ") == "huur toeslag aanvragen"
    assert clean_query(None) == ""


def test_snippet_marks_the_matching_words(huurtoeslag):
    article = with_headlines(article_search("belastingdienst", limit=None), "belastingdienst").get()
    parts = snippet(article, "belastingdienst")
    assert ("Belastingdienst", True) in parts
    text = "".join(part for part, _match in parts)
    assert "Mijn toeslagen" in text
    assert HIGHLIGHT_START not in text and HIGHLIGHT_STOP not in text


def test_snippet_of_a_long_body_starts_near_the_match():
    body = (
        "Inleiding zonder belang. " * 40 + "Hier staat het woord kwijtschelding. " + ("Slot. " * 40)
    )
    article = ArticleFactory(title="Lang artikel", body=body)
    parts = snippet(article, "kwijtschelding")
    assert ("kwijtschelding", True) in parts
    assert len("".join(part for part, _match in parts)) < 400


def test_snippet_without_query_is_the_start_of_the_body():
    article = ArticleFactory(title="Kort", body="Eerste regel.\n\nTweede regel.")
    assert snippet(article) == [("Eerste regel. Tweede regel.", False)]


def test_add_headlines_gives_the_snippets_with_headlines_gives(huurtoeslag):
    """The cached snippets are ts_headline's; on SQLite there are none (snippet cuts)."""
    from questions.models import Article

    ArticleFactory(title="Huur opzeggen", body="Geen huurtoeslag meer na de verhuizing.")
    found = list(article_search("huurtoeslag"))
    add_headlines(found, "huurtoeslag")
    if connection.vendor != "postgresql":
        assert all(not hasattr(article, "headline") for article in found)
        return
    headlines = with_headlines(Article.objects.all(), "huurtoeslag")
    expected = dict(headlines.values_list("pk", "headline"))
    assert {article.pk: article.headline for article in found} == {
        pk: expected[pk] for pk in (article.pk for article in found)
    }


def test_cached_headlines_follow_an_edit_of_the_article(huurtoeslag, django_assert_num_queries):
    _needs_postgres()
    from django.core.cache import cache

    cache.clear()
    found = list(article_search("huurtoeslag"))
    with django_assert_num_queries(1):  # ts_headline for the page of results
        add_headlines(found, "huurtoeslag")
    again = list(article_search("huurtoeslag"))
    with django_assert_num_queries(0):  # the same query and articles: from the cache
        add_headlines(again, "huurtoeslag")
    assert again[0].headline == found[0].headline
    huurtoeslag.body = "Huurtoeslag vraag je nu aan bij de gemeente."
    huurtoeslag.save()
    edited = list(article_search("huurtoeslag"))
    add_headlines(edited, "huurtoeslag")
    assert "gemeente" in edited[0].headline
