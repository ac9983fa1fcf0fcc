"""Kennisbank search: PostgreSQL full-text search in the Dutch configuration
(stemming: "huurtoeslagen" finds "huurtoeslag"), ranked title before body; on SQLite
a simpler fallback that needs every word somewhere in the title or body.

Whatever people type — a pasted letter, quotes, SQL, emoji — is cleaned by
``clean_query`` first: at most ``MAX_QUERY_LENGTH`` characters, whitespace collapsed,
control characters removed (PostgreSQL refuses a NUL byte in a string).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Expression, IntegerField, Q, QuerySet, Value, When
from django.utils.functional import cached_property

from .models import Article

MAX_QUERY_LENGTH = 200
# ts_headline marks the matched words with these; the template never sees them.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_STOP = "\x03"
SNIPPET_CHARS = 220
# Only this many words take part in the SQLite fallback (each one is two LIKEs).
FALLBACK_MAX_WORDS = 10
# How long the snippets of one search's results are kept (``add_headlines``).
HEADLINE_CACHE_SECONDS = 60 * 60


def clean_query(query: str | None) -> str:
    """The query as searched for: printable characters, single spaces, ≤ 200 characters."""
    text = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in (query or "")
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def _words(query: str) -> list[str]:
    """The words of a query for the fallback: without websearch syntax and punctuation."""
    words = []
    for word in re.findall(r"\w+", query):
        if word.lower() not in ("or", "of") and word not in words:
            words.append(word)
    return words[:FALLBACK_MAX_WORDS]


class _StoredDocument(Expression):
    """The article's search document as PostgreSQL stores it: title (weight A) and body
    (weight B) in the Dutch configuration, in the generated column ``search_document``
    with a GIN index (migration 0003). It is not a model field, so the ORM never writes
    it and SQLite, which has no tsvector, does without; this expression lets a queryset
    on Article filter and rank by the column."""

    def __init__(self, alias: str = Article._meta.db_table):
        super().__init__()
        self.alias = alias

    @cached_property
    def output_field(self):
        from django.contrib.postgres.search import SearchVectorField

        return SearchVectorField()

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.search_document", []

    def relabeled_clone(self, change_map):
        # The table gets another alias when the queryset is used as a subquery.
        return type(self)(change_map.get(self.alias, self.alias))


def _postgres_query(query: str):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(query, config="dutch", search_type="websearch")


def article_search(
    query: str, *, limit: int | None = 20, include_unpublished: bool = False
) -> QuerySet[Article]:
    """Articles matching ``query``, best first; none for an empty query.

    With ``limit=None`` the queryset is not sliced, so callers can filter further.
    """
    query = clean_query(query)
    articles = (
        Article.objects.all() if include_unpublished else Article.objects.filter(is_published=True)
    )
    if not query:
        return articles.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        document = _StoredDocument()
        search = _postgres_query(query)
        # Match with @@ (every word, as websearch means it); ts_rank alone is also
        # positive when only some of the words occur.
        results = (
            articles.alias(document=document)
            .annotate(rank=SearchRank(document, search))
            .filter(document=search)
            .order_by("-rank", "title", "pk")
        )
    else:
        words = _words(query)
        if not words:
            return articles.none()
        condition = Q()
        in_title = Q()
        for word in words:
            condition &= Q(title__icontains=word) | Q(body__icontains=word)
            in_title &= Q(title__icontains=word)
        # Articles with every word in the title come first, as on PostgreSQL.
        results = (
            articles.filter(condition)
            .annotate(
                title_miss=Case(
                    When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("title_miss", "title", "pk")
        )
    return results[:limit] if limit else results


def with_headlines(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """On PostgreSQL, annotates ``headline``: the part of the body around the matches,
    with the matched words (stemmed, as the search found them) between markers."""
    query = clean_query(query)
    if connection.vendor != "postgresql" or not query:
        return articles
    from django.contrib.postgres.search import SearchHeadline

    return articles.annotate(
        headline=SearchHeadline(
            "body",
            _postgres_query(query),
            config="dutch",
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=40,
            min_words=20,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


def add_headlines(articles: list[Article], query: str) -> None:
    """Sets ``headline`` (as ``with_headlines``) on each of ``articles``, a page of
    search results, from the cache when this query found these articles before.

    ts_headline reads each article's body again and is most of the search's SQL time;
    the snippets are article text, the same for everyone, so they are kept per query
    and page of results. The key holds each article's ``updated_at``: an edited article
    gets new snippets at once. Not on SQLite, where ``snippet`` cuts them in Python."""
    query = clean_query(query)
    if connection.vendor != "postgresql" or not query or not articles:
        return
    stamps = " ".join(f"{article.pk}:{article.updated_at.isoformat()}" for article in articles)
    digest = hashlib.sha256(f"{query}\n{stamps}".encode()).hexdigest()
    key = f"kennisbank:headlines:{digest}"
    headlines = cache.get(key)
    if headlines is None:
        found = Article.objects.filter(pk__in=[article.pk for article in articles])
        headlines = dict(with_headlines(found, query).values_list("pk", "headline"))
        cache.set(key, headlines, HEADLINE_CACHE_SECONDS)
    for article in articles:
        article.headline = headlines.get(article.pk)


def snippet(article: Article, query: str = "") -> list[tuple[str, bool]]:
    """A short piece of the body as ``(text, is_match)`` parts, so a template can mark
    the matches while autoescaping everything."""
    headline = getattr(article, "headline", None)
    if headline:
        return _split_marked(headline)
    body = " ".join(article.body.split())
    words = _words(clean_query(query))
    if not words:
        return [(_shorten(body, 0), False)] if body else []
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = pattern.search(body)
    start = 0
    if first and first.start() > SNIPPET_CHARS // 3:
        # Start at a word boundary a little before the first match.
        start = body.rfind(" ", 0, first.start() - SNIPPET_CHARS // 4) + 1
    text = _shorten(body, start)
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            parts.append((text[position : match.start()], False))
        parts.append((match.group(), True))
        position = match.end()
    if position < len(text):
        parts.append((text[position:], False))
    return parts


def _shorten(body: str, start: int) -> str:
    text = body[start:]
    if len(text) > SNIPPET_CHARS:
        cut = text.rfind(" ", 0, SNIPPET_CHARS)
        text = text[: cut if cut > SNIPPET_CHARS // 2 else SNIPPET_CHARS].rstrip() + " …"
    return ("… " if start else "") + text


def _split_marked(text: str) -> list[tuple[str, bool]]:
    parts = []
    for chunk in " ".join(text.split()).split(HIGHLIGHT_START):
        marked, _sep, rest = chunk.partition(HIGHLIGHT_STOP)
        if _sep:
            parts.append((marked, True))
            if rest:
                parts.append((rest, False))
        elif marked:
            parts.append((marked, False))
    return parts
