"""Writing and editing kennisbank articles (coordinators and KCC medewerkers)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from questions.models import Article, KnowledgeGap
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

CREATE = "/kennisbank/nieuw/"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.fixture
def topics():
    wonen = TopicFactory(name="Wonen")
    return {
        "wonen": wonen,
        "huur": TopicFactory(name="Huur en huurtoeslag", parent=wonen),
        "afval": TopicFactory(name="Afval en buitenruimte"),
        "oud": TopicFactory(name="Oud onderwerp", is_active=False),
    }


def _data(**changes):
    data = {
        "title": "Grofvuil laten ophalen",
        "body": "Maak een afspraak.\n\nZet het vóór 07.30 uur buiten.",
        "last_reviewed": "2026-11-20",
        "is_published": "on",
    }
    data.update(changes)
    return data


def test_url_plan_is_as_expected():
    assert reverse("questions:article_create") == CREATE
    assert reverse("questions:article_edit", args=[3]) == "/kennisbank/3/bewerken/"


def test_kcc_writes_an_article(client, kcc, topics):
    client.force_login(kcc)
    response = client.post(CREATE, _data(topics=[topics["afval"].pk, topics["huur"].pk]))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.title == "Grofvuil laten ophalen"
    assert article.body == "Maak een afspraak.\n\nZet het vóór 07.30 uur buiten."
    assert set(article.topics.all()) == {topics["afval"], topics["huur"]}
    assert article.last_reviewed == dt.date(2026, 11, 20)
    assert article.is_published
    assert article.updated_by == kcc


def test_new_article_form_offers_today_and_topics_grouped_by_main_topic(
    client, coordinator, topics
):
    client.force_login(coordinator)
    response = client.get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2026-11-23"' in html
    assert '<legend class="h6 mb-1">Wonen</legend>' in html
    assert "Huur en huurtoeslag" in html
    # An inactive topic is not offered for a new article.
    assert "Oud onderwerp" not in html


def test_coordinator_edits_an_article(client, coordinator, kcc, topics):
    article = ArticleFactory(
        title="Grofvuil", body="Oud.", updated_by=kcc, last_reviewed=dt.date(2024, 1, 1)
    )
    article.topics.add(topics["afval"], topics["oud"])
    client.force_login(coordinator)
    url = reverse("questions:article_edit", args=[article.pk])
    page = client.get(url)
    assert page.status_code == 200
    # The inactive topic the article already has stays available (and ticked).
    assert "Oud onderwerp" in page.content.decode()
    response = client.post(
        url, _data(title="Grofvuil laten ophalen", is_published="", topics=[topics["oud"].pk])
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Grofvuil laten ophalen"
    assert not article.is_published
    assert article.updated_by == coordinator
    assert list(article.topics.all()) == [topics["oud"]]


@pytest.mark.parametrize("who", ["host", "medewerker", "wijkmanager", "wijkraad", "outsider"])
def test_only_editors_write_articles(client, request, who, topics):
    article = ArticleFactory(title="Bestaand")
    client.force_login(request.getfixturevalue(who))
    edit = reverse("questions:article_edit", args=[article.pk])
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _data()).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(edit, _data()).status_code == 403
    assert Article.objects.get().title == "Bestaand"


def test_article_forms_refuse_put_and_delete(client, kcc):
    article = ArticleFactory()
    client.force_login(kcc)
    assert client.put(CREATE).status_code == 405
    assert client.delete(reverse("questions:article_edit", args=[article.pk])).status_code == 405


def test_editing_an_unknown_article_is_404(client, kcc):
    client.force_login(kcc)
    assert client.get("/kennisbank/999999/bewerken/").status_code == 404


@pytest.mark.parametrize("title", ["", "   "])
def test_empty_title_is_refused_and_the_text_is_kept(client, kcc, topics, title):
    client.force_login(kcc)
    response = client.post(CREATE, _data(title=title, body="Mijn zorgvuldige tekst."))
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert "Mijn zorgvuldige tekst." in response.content.decode()
    assert not Article.objects.exists()


def test_last_reviewed_in_the_future_is_refused(client, kcc, topics):
    client.force_login(kcc)
    response = client.post(CREATE, _data(last_reviewed="2026-11-24"))
    assert response.status_code == 200
    errors = response.context["form"].errors["last_reviewed"]
    assert errors == [_nl("The date of the last review cannot be in the future.")]
    assert not Article.objects.exists()


@pytest.mark.parametrize("day", ["morgen", "2026-02-30", "99999-01-01"])
def test_malformed_date_is_refused(client, kcc, day):
    client.force_login(kcc)
    response = client.post(CREATE, _data(last_reviewed=day))
    assert response.status_code == 200
    assert "last_reviewed" in response.context["form"].errors


@pytest.mark.parametrize("topic", ["999999", "abc", "-1"])
def test_forged_topic_is_refused(client, kcc, topics, topic):
    client.force_login(kcc)
    response = client.post(CREATE, _data(topics=[topics["huur"].pk, topic]))
    assert response.status_code == 200
    assert "topics" in response.context["form"].errors
    assert not Article.objects.exists()


def test_an_inactive_topic_cannot_be_added_to_a_new_article(client, kcc, topics):
    client.force_login(kcc)
    response = client.post(CREATE, _data(topics=[topics["oud"].pk]))
    assert response.status_code == 200
    assert "topics" in response.context["form"].errors


def test_a_second_article_with_the_same_title_is_refused(client, kcc):
    ArticleFactory(title="Grofvuil laten ophalen")
    client.force_login(kcc)
    response = client.post(CREATE, _data(title="grofvuil LATEN ophalen"))
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        _nl("There already is an article with this title.")
    ]


def test_saving_an_article_under_its_own_title_is_fine(client, kcc):
    article = ArticleFactory(title="Grofvuil laten ophalen")
    client.force_login(kcc)
    response = client.post(reverse("questions:article_edit", args=[article.pk]), _data())
    assert response.status_code == 302


def test_edit_page_with_errors_shows_the_stored_title_in_the_heading(client, kcc):
    article = ArticleFactory(title="Grofvuil laten ophalen")
    client.force_login(kcc)
    response = client.post(reverse("questions:article_edit", args=[article.pk]), _data(title=""))
    assert response.status_code == 200
    assert response.context["article"].title == "Grofvuil laten ophalen"


def test_an_article_written_for_a_knowledge_gap_resolves_it(client, kcc, hub, topics):
    gap = KnowledgeGap.objects.create(
        hub=hub, topic=topics["huur"], search_terms="huurtoeslag stopt"
    )
    client.force_login(kcc)
    url = f"{CREATE}?hiaat={gap.pk}"
    page = client.get(url)
    assert page.context["form"].initial["title"] == "Huurtoeslag stopt"
    assert page.context["form"].initial["topics"] == [topics["huur"].pk]
    response = client.post(url, _data(title="Huurtoeslag stopt", topics=[topics["huur"].pk]))
    assert response.status_code == 302
    gap.refresh_from_db()
    assert gap.resolved_article == Article.objects.get()
    assert gap.resolved_at is not None


@pytest.mark.parametrize("value", ["999999", "abc", "1; DROP", "9" * 40])
def test_an_unknown_gap_in_the_address_is_ignored(client, kcc, value):
    client.force_login(kcc)
    assert client.get(CREATE, {"hiaat": value}).status_code == 200
    assert client.post(f"{CREATE}?hiaat={value}", _data()).status_code == 302


def test_an_empty_post_shows_the_errors(client, kcc):
    client.force_login(kcc)
    response = client.post(CREATE, {})
    assert response.status_code == 200
    assert {"title", "body", "last_reviewed"} <= set(response.context["form"].errors)
