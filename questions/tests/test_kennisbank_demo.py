"""The demo kennisbank articles (questions.demo_articles.seed_articles)."""

import datetime as dt

import pytest

from questions.constants import STARTING_TOPICS
from questions.demo_articles import ARTICLES, DEMO_MARK, seed_articles
from questions.models import Article, Topic
from questions.search import article_search

pytestmark = pytest.mark.django_db


def test_demo_articles_are_added_once_with_their_topics():
    assert seed_articles(today=dt.date(2026, 11, 23)) == len(ARTICLES) >= 25
    assert seed_articles(today=dt.date(2026, 11, 23)) == 0
    assert Article.objects.count() == len(ARTICLES)
    for article in Article.objects.prefetch_related("topics"):
        assert article.body.endswith(DEMO_MARK)
        assert article.is_published
        assert article.topics.all(), article.title
    huurtoeslag = Article.objects.get(title="Huurtoeslag aanvragen of wijzigen")
    assert "Wonen › Huur en huurtoeslag" in {str(t) for t in huurtoeslag.topics.all()}


def test_demo_articles_use_only_topics_of_the_starting_list():
    seed_articles()
    for topic in Topic.objects.select_related("parent"):
        if topic.parent_id:
            assert topic.name in STARTING_TOPICS[topic.parent.name]
        else:
            assert topic.name in STARTING_TOPICS


def test_demo_articles_reuse_existing_topics_and_keep_edited_articles():
    wonen = Topic.objects.create(name="Wonen")
    Article.objects.create(title="Grofvuil laten ophalen", body="Eigen tekst.")
    seed_articles()
    assert Topic.objects.filter(name="Wonen").get() == wonen
    assert Article.objects.get(title="Grofvuil laten ophalen").body == "Eigen tekst."


def test_some_demo_articles_are_due_for_review():
    seed_articles(today=dt.date(2026, 11, 23))
    stale = Article.objects.filter(last_reviewed__lt=dt.date(2025, 11, 23))
    assert 0 < stale.count() < len(ARTICLES)


def test_demo_articles_are_found_by_search():
    seed_articles()
    titles = [a.title for a in article_search("kwijtschelding")]
    assert titles[0] == "Kwijtschelding gemeentelijke belastingen"
