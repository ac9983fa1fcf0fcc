""" "Zelfde nog eens": logs this user's last question at this hub today once more."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from questions.constants import Outcome
from questions.models import Question
from tests.factories import ArticleFactory, QuestionFactory, ReferralTargetFactory, TopicFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=False):
        yield


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _at(hour, minute=0, day=MONDAY):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMS)


def _url(hub):
    return reverse("questions:desk_repeat", args=[hub.slug])


def test_same_again_copies_the_last_question_without_its_note(client, host, hub):
    wonen = TopicFactory(name="Wonen")
    target = ReferralTargetFactory(name="Woonstad Rotterdam")
    QuestionFactory(
        hub=hub,
        topic=TopicFactory(name="Ouder"),
        date=MONDAY,
        created_at=_at(9, 10),
        created_by=host,
    )
    QuestionFactory(
        hub=hub,
        topic=wonen,
        date=MONDAY,
        created_at=_at(9, 40),
        created_by=host,
        outcome=Outcome.REFERRED,
        referral_target=target,
        language="pl",
        interpreter_needed=True,
        note="Lekkage",
        article=ArticleFactory(),
    )
    client.force_login(host)
    response = client.post(_url(hub))
    assert response.status_code == 302
    assert response["Location"] == reverse("questions:desk", args=[hub.slug])
    copy = Question.objects.latest("created_at")
    assert (copy.topic, copy.outcome, copy.referral_target, copy.language) == (
        wonen,
        Outcome.REFERRED,
        target,
        "pl",
    )
    assert copy.interpreter_needed is True
    assert (copy.note, copy.article, copy.created_by, copy.dagdeel) == ("", None, host, "ochtend")
    assert copy.created_at == _at(10)
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    with translation.override("nl"):
        expected = gettext("Question saved again: %(topic)s, %(outcome)s.") % {
            "topic": "Wonen",
            "outcome": Outcome.REFERRED.label,
        }
    assert messages == [expected]


def test_same_again_with_nothing_today_says_so(client, host, coordinator, hub, other_hub):
    topic = TopicFactory()
    yesterday = MONDAY - dt.timedelta(days=1)
    QuestionFactory(
        hub=hub, topic=topic, date=yesterday, created_at=_at(10, day=yesterday), created_by=host
    )
    QuestionFactory(hub=hub, topic=topic, date=MONDAY, created_at=_at(9), created_by=coordinator)
    QuestionFactory(hub=other_hub, topic=topic, date=MONDAY, created_at=_at(9), created_by=host)
    client.force_login(host)
    response = client.post(_url(hub), follow=True)
    assert Question.objects.count() == 3
    assert [str(m) for m in response.context["messages"]] == [
        _nl("You have not logged a question at this hub today, so there is nothing to repeat.")
    ]


def test_same_again_after_a_callback_opens_the_callback_form(client, host, hub):
    topic = TopicFactory(name="Wonen")
    QuestionFactory(
        hub=hub,
        topic=topic,
        date=MONDAY,
        created_at=_at(9),
        created_by=host,
        outcome=Outcome.CALLBACK,
        language="tr",
    )
    client.force_login(host)
    response = client.post(_url(hub))
    url = reverse("questions:callback_create", args=[hub.slug])
    assert response["Location"] == f"{url}?topic={topic.pk}&language=tr"
    assert Question.objects.count() == 1


def test_same_again_is_post_only(client, host, hub):
    client.force_login(host)
    assert client.get(_url(hub)).status_code == 405


def test_same_again_at_another_hub_is_forbidden(client, host, other_hub):
    client.force_login(host)
    assert client.post(_url(other_hub)).status_code == 403


def test_same_again_at_an_unknown_hub_is_404(client, host):
    client.force_login(host)
    assert client.post(reverse("questions:desk_repeat", args=["nergens"])).status_code == 404


def test_same_again_needs_login(client, hub):
    response = client.post(_url(hub))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
