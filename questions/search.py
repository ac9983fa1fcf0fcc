"""Kennisbank search: PostgreSQL full-text search in the Dutch configuration
(stemming: "huurtoeslagen" finds "huurtoeslag"), ranked title before body; on SQLite
a simpler fallback that needs every word somewhere in the title or body."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from .models import Article

MAX_QUERY_LENGTH = 200


def article_search(query: str, *, limit: int | None = 20,
                   include_unpublished: bool = False) -> QuerySet[Article]:
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    articles = Article.objects.all() if include_unpublished else Article.objects.filter(
        is_published=True)
    if not query:
        return articles.none()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("title", weight="A", config="dutch") + SearchVector(
            "body", weight="B", config="dutch")
        search = SearchQuery(query, config="dutch", search_type="websearch")
        results = (articles.annotate(rank=SearchRank(vector, search))
                   .filter(rank__gt=0).order_by("-rank", "title"))
    else:
        condition = Q()
        for word in query.split()[:10]:
            condition &= Q(title__icontains=word) | Q(body__icontains=word)
        results = articles.filter(condition).order_by("title")
    return results[:limit] if limit else results
