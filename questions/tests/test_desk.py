"""The desk (/balie/): choosing a hub, logging a question in three taps, the kennisbank
search and "geen antwoord gevonden", today's log, and who may use which desk."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.constants import Role
from hubs.constants import Dagdeel
from questions.constants import Outcome
from questions.models import KnowledgeGap, Question
from scheduling.models import SignUp
from tests.factories import (
    ArticleFactory,
    ClosureFactory,
    QuestionFactory,
    ReferralTargetFactory,
    TopicFactory,
    UserFactory,
    give_role,
    hub_with_schedule,
    make_shift,
)

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = dt.date(2026, 11, 23)  # the test hubs are open on Monday mornings


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=False):
        yield


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.fixture
def wonen():
    return TopicFactory(name="Wonen", position=1)


@pytest.fixture
def huur(wonen):
    return TopicFactory(name="Huur en huurtoeslag", parent=wonen)


@pytest.fixture
def schulden():
    main = TopicFactory(name="Geldzaken en schulden", position=2)
    return TopicFactory(name="Schulden", parent=main)


@pytest.fixture
def vraagwijzer(hub):
    target = ReferralTargetFactory(name="Vraagwijzer", all_hubs=False)
    target.hubs.add(hub)
    return target


def _url(hub):
    return reverse("questions:desk", args=[hub.slug])


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- desk_choose ---------------------------------------------------------------------------


def test_host_of_one_hub_goes_straight_to_its_desk(client, host, hub):
    client.force_login(host)
    response = client.get(reverse("questions:desk_choose"))
    assert response.status_code == 302
    assert response["Location"] == _url(hub)


def test_kcc_with_a_shift_now_goes_to_that_hubs_desk(client, kcc, hub, other_hub):
    shift = make_shift(hub=other_hub, day=MONDAY, dagdeel=Dagdeel.OCHTEND)
    SignUp.objects.create(shift=shift, user=kcc, date=MONDAY, dagdeel=Dagdeel.OCHTEND)
    later = make_shift(hub=hub, day=MONDAY, dagdeel=Dagdeel.MIDDAG)
    SignUp.objects.create(shift=later, user=kcc, date=MONDAY, dagdeel=Dagdeel.MIDDAG)
    client.force_login(kcc)
    response = client.get(reverse("questions:desk_choose"))
    assert response["Location"] == _url(other_hub)


def test_a_cancelled_or_waitlisted_shift_does_not_choose_the_hub(client, kcc, hub, other_hub):
    shift = make_shift(hub=other_hub, day=MONDAY, dagdeel=Dagdeel.OCHTEND)
    SignUp.objects.create(
        shift=shift, user=kcc, date=MONDAY, dagdeel=Dagdeel.OCHTEND, status="waitlisted"
    )
    client.force_login(kcc)
    response = client.get(reverse("questions:desk_choose"))
    assert response.status_code == 200
    assert {h.slug for h in response.context["hubs"]} == {hub.slug, other_hub.slug}


def test_coordinator_without_shift_chooses_from_active_hubs(client, coordinator, hub, other_hub):
    hub_with_schedule(name="Gesloten hub", is_active=False)
    client.force_login(coordinator)
    response = client.get(reverse("questions:desk_choose"))
    assert response.status_code == 200
    assert [h.name for h in response.context["hubs"]] == ["Bloemhof", "Feijenoord"]
    assert _url(other_hub) in response.content.decode()


def test_kies_shows_the_list_even_with_one_hub(client, host, hub):
    client.force_login(host)
    response = client.get(reverse("questions:desk_choose") + "?kies=1")
    assert response.status_code == 200
    assert list(response.context["hubs"]) == [hub]


def test_host_and_wijkmanager_of_two_hubs_choose(client, hub, other_hub):
    user = give_role(give_role(UserFactory(), Role.HOST, hub), Role.WIJKMANAGER, other_hub)
    client.force_login(user)
    response = client.get(reverse("questions:desk_choose"))
    assert response.status_code == 200
    assert len(response.context["hubs"]) == 2


@pytest.mark.parametrize("role", ["medewerker", "wijkraad"])
def test_desk_choose_is_forbidden_without_desk_role(client, cast, role):
    client.force_login(cast[role])
    assert client.get(reverse("questions:desk_choose")).status_code == 403


def test_desk_choose_needs_login(client, db):
    response = client.get(reverse("questions:desk_choose"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_desk_choose_refuses_post(client, host):
    client.force_login(host)
    assert client.post(reverse("questions:desk_choose")).status_code == 405


# --- the desk page -------------------------------------------------------------------------


def test_desk_shows_hub_dagdeel_topics_and_destinations(
    client, host, hub, huur, schulden, vraagwijzer
):
    elsewhere = ReferralTargetFactory(name="Alleen elders", all_hubs=False)
    client.force_login(host)
    response = client.get(_url(hub))
    assert response.status_code == 200
    assert response.context["opening_label"] == _nl("Morning")
    html = response.content.decode()
    assert "Feijenoord · <span" in html
    assert [main.name for main, _subs in response.context["topic_tree"]] == [
        "Wonen",
        "Geldzaken en schulden",
    ]
    # Without JavaScript every subtopic is there, grouped under its main topic.
    assert f'id="subtopic-{huur.pk}"' in html and f'id="subtopic-{schulden.pk}"' in html
    assert f'<input type="radio" class="btn-check" name="topic" id="topic-{huur.parent_id}"' in html
    assert "Vraagwijzer" in html and elsewhere.name not in html


def test_desk_keeps_the_days_openings_in_the_cache_until_the_hours_change(
    client, host, hub, settings, django_assert_num_queries
):
    settings.PUBLIC_FEED_CACHE_SECONDS = 60
    client.force_login(host)
    assert client.get(_url(hub)).context["opening_label"] == _nl("Morning")
    # 1 session, 2 user, 3 hub, 4 roles, 5 topics, 6 today's log, 7 referral destinations:
    # the four queries of the opening calendar come from the cache.
    with django_assert_num_queries(7):
        response = client.get(_url(hub))
    assert response.context["opening_label"] == _nl("Morning")
    ClosureFactory(hub=hub, start_date=MONDAY, end_date=MONDAY)
    response = client.get(_url(hub))
    assert response.context["opening_label"] == _nl("outside opening hours")


def test_desk_outside_opening_hours_says_so(client, host, hub):
    with time_machine.travel(dt.datetime(2026, 11, 23, 13, 0, tzinfo=AMS), tick=False):
        # Logged in at 13:00 too: a login at 10:00 would have timed out by now.
        client.force_login(host)
        response = client.get(_url(hub))
    assert response.status_code == 200
    assert response.context["opening_label"] == _nl("outside opening hours")


def test_three_taps_and_save_log_an_anonymous_question(client, host, hub, wonen):
    client.force_login(host)
    response = client.post(_url(hub), {"topic": wonen.pk, "outcome": Outcome.ANSWERED})
    assert response.status_code == 302
    assert response["Location"] == _url(hub)
    question = Question.objects.get()
    assert (question.hub, question.topic, question.outcome) == (hub, wonen, Outcome.ANSWERED)
    assert (question.date, question.dagdeel, question.created_by) == (MONDAY, Dagdeel.OCHTEND, host)
    assert (question.note, question.language, question.referral_target) == ("", "", None)
    page = client.get(response["Location"])
    assert _messages(page) == [_nl("Question saved")]
    # The form is empty again after saving.
    assert "checked" not in page.content.decode().split('name="topic"')[1].split(">")[0]


def test_a_subtopic_is_stored_as_the_topic(client, host, hub, huur):
    client.force_login(host)
    client.post(
        _url(hub),
        {
            "topic": huur.parent_id,
            "subtopic": huur.pk,
            "outcome": Outcome.ANSWERED,
            "language": "ar",
            "interpreter_needed": "on",
            "note": "Brief over toeslag",
        },
    )
    question = Question.objects.get()
    assert question.topic == huur
    assert (question.language, question.interpreter_needed, question.note) == (
        "ar",
        True,
        "Brief over toeslag",
    )


def test_subtopic_of_another_main_topic_is_refused(client, host, hub, wonen, schulden):
    client.force_login(host)
    response = client.post(
        _url(hub), {"topic": wonen.pk, "subtopic": schulden.pk, "outcome": Outcome.ANSWERED}
    )
    assert response.status_code == 200
    assert "subtopic" in response.context["form"].errors
    assert not Question.objects.exists()


def test_referred_with_destination_is_saved(client, host, hub, wonen, vraagwijzer):
    client.force_login(host)
    client.post(
        _url(hub),
        {"topic": wonen.pk, "outcome": Outcome.REFERRED, "referral_target": vraagwijzer.pk},
    )
    assert Question.objects.get().referral_target == vraagwijzer


def test_referred_without_destination_gets_a_clear_message(client, host, hub, wonen):
    client.force_login(host)
    response = client.post(_url(hub), {"topic": wonen.pk, "outcome": Outcome.REFERRED})
    assert response.status_code == 200
    assert response.context["form"].errors["referral_target"] == [
        _nl("Choose where the resident was referred to.")
    ]
    assert 'id="referral-error"' in response.content.decode()
    assert not Question.objects.exists()


def test_answered_question_drops_a_posted_destination(client, host, hub, wonen, vraagwijzer):
    client.force_login(host)
    client.post(
        _url(hub),
        {"topic": wonen.pk, "outcome": Outcome.ANSWERED, "referral_target": vraagwijzer.pk},
    )
    assert Question.objects.get().referral_target is None


@pytest.mark.parametrize("field", ["topic", "subtopic", "referral_target", "article", "outcome"])
def test_forged_ids_are_form_errors_not_500(client, host, hub, wonen, field):
    other_hubs_target = ReferralTargetFactory(all_hubs=False)
    inactive = TopicFactory(name="Oud", is_active=False)
    data = {"topic": wonen.pk, "outcome": Outcome.REFERRED, "referral_target": ""}
    data[field] = {
        "topic": inactive.pk,
        "subtopic": 999999,
        "outcome": "bribe",
        "referral_target": other_hubs_target.pk,
        "article": "abc",
    }[field]
    client.force_login(host)
    response = client.post(_url(hub), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Question.objects.exists()


def test_missing_topic_and_outcome_are_explained(client, host, hub, wonen):
    client.force_login(host)
    response = client.post(_url(hub), {})
    assert response.context["form"].errors == {
        "topic": [_nl("Tap a topic.")],
        "outcome": [_nl("Tap what happened with the question.")],
    }


def test_a_long_note_gets_a_clear_message_and_is_kept(client, host, hub, wonen):
    client.force_login(host)
    note = "a" * 1000
    response = client.post(
        _url(hub), {"topic": wonen.pk, "outcome": Outcome.ANSWERED, "note": note}
    )
    assert response.status_code == 200
    error = response.context["form"].errors["note"][0]
    assert "280" in error and "1000" in error
    assert note in response.content.decode()
    # What was tapped stays tapped.
    assert f'value="{wonen.pk}" required\n             checked' in response.content.decode()
    assert not Question.objects.exists()


def test_callback_outcome_goes_to_the_callback_form_with_the_topic(client, host, hub, huur):
    client.force_login(host)
    response = client.post(
        _url(hub),
        {
            "topic": huur.parent_id,
            "subtopic": huur.pk,
            "outcome": Outcome.CALLBACK,
            "language": "tr",
        },
    )
    assert response.status_code == 302
    url = reverse("questions:callback_create", args=[hub.slug])
    assert response["Location"] == f"{url}?topic={huur.pk}&language=tr"
    assert not Question.objects.exists()  # the callback form logs it


def test_desk_refuses_other_methods(client, host, hub):
    client.force_login(host)
    assert client.put(_url(hub)).status_code == 405
    assert client.get(reverse("questions:gap_create", args=[hub.slug])).status_code == 405


def test_host_of_another_hub_gets_403(client, host, other_hub, wonen):
    client.force_login(host)
    assert client.get(_url(other_hub)).status_code == 403
    response = client.post(_url(other_hub), {"topic": wonen.pk, "outcome": Outcome.ANSWERED})
    assert response.status_code == 403
    assert not Question.objects.exists()


@pytest.mark.parametrize("role", ["medewerker", "wijkraad", "outsider"])
def test_desk_is_forbidden_for_others(client, cast, hub, role):
    client.force_login(cast[role])
    assert client.get(_url(hub)).status_code == 403


@pytest.mark.parametrize("role", ["kcc", "coordinator", "wijkmanager"])
def test_kcc_coordinator_and_wijkmanager_use_the_desk(client, cast, hub, role):
    client.force_login(cast[role])
    assert client.get(_url(hub)).status_code == 200


def test_forged_or_inactive_hub_slug_is_404(client, coordinator):
    closed = hub_with_schedule(name="Dicht", is_active=False)
    client.force_login(coordinator)
    assert client.get(reverse("questions:desk", args=["bestaat-niet"])).status_code == 404
    assert client.get(_url(closed)).status_code == 404


def test_desk_needs_login(client, hub):
    response = client.get(_url(hub))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- today's log -------------------------------------------------------------------------


def _at(hour, minute=0, day=MONDAY):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMS)


def test_todays_log_shows_only_today_newest_first(client, host, hub, other_hub, wonen, vraagwijzer):
    colleague = give_role(UserFactory(first_name="Sanne", last_name="de Vries"), Role.HOST, hub)
    QuestionFactory(
        hub=hub,
        topic=wonen,
        date=MONDAY,
        created_at=_at(9, 5),
        created_by=colleague,
        outcome=Outcome.REFERRED,
        referral_target=vraagwijzer,
        language="ar",
    )
    mine = QuestionFactory(
        hub=hub, topic=wonen, date=MONDAY, created_at=_at(9, 50), created_by=host
    )
    QuestionFactory(
        hub=hub,
        topic=wonen,
        date=MONDAY - dt.timedelta(days=7),
        created_at=_at(9, 0, MONDAY - dt.timedelta(days=7)),
        created_by=host,
    )
    QuestionFactory(hub=other_hub, topic=wonen, date=MONDAY, created_at=_at(9, 30))
    client.force_login(host)
    response = client.get(_url(hub))
    log = response.context["log"]
    assert [entry.created_at for entry in log] == [_at(9, 50), _at(9, 5)]
    assert [entry.correctable for entry in log] == [True, False]
    assert log[1].author_initials == "SD"
    html = response.content.decode()
    assert reverse("questions:question_edit", args=[mine.pk]) in html
    assert reverse("questions:question_edit", args=[log[1].pk]) not in html
    assert "Vraagwijzer" in html


def test_correct_link_disappears_after_the_window(client, host, hub, wonen):
    QuestionFactory(hub=hub, topic=wonen, date=MONDAY, created_at=_at(9, 44), created_by=host)
    client.force_login(host)
    response = client.get(_url(hub))
    assert response.context["log"][0].correctable is False


@pytest.mark.parametrize("older", [10, 10_000])
def test_desk_query_count_does_not_grow_with_the_hubs_questions(
    client, host, hub, wonen, huur, vraagwijzer, django_assert_num_queries, older
):
    Question.objects.bulk_create(
        Question(
            hub=hub,
            topic=huur,
            outcome=Outcome.ANSWERED,
            created_by=host,
            date=MONDAY - dt.timedelta(days=1 + n % 300),
            created_at=_at(10, 0, MONDAY - dt.timedelta(days=1 + n % 300)),
        )
        for n in range(older)
    )
    for minute in range(5):
        QuestionFactory(
            hub=hub, topic=huur, date=MONDAY, created_at=_at(9, minute), created_by=host
        )
    client.force_login(host)
    # 1 session, 2 user, 3 hub, 4 roles (Access), 5-8 opening calendar (schedule
    # versions, their slots, closures, closing days; from the cache outside the tests),
    # 9 every topic (the desk's buttons and the log's topic names), 10 today's log (with
    # destination and author), 11 the hub's referral destinations.
    with django_assert_num_queries(11):
        response = client.get(_url(hub))
    assert len(response.context["log"]) == 5


# --- kennisbank search and "geen antwoord gevonden" ------------------------------------------


def test_search_shows_five_articles_as_choices(client, host, hub):
    for n in range(7):
        ArticleFactory(title=f"Huurtoeslag {n}", body="Zo vraag je huurtoeslag aan.")
    ArticleFactory(title="Paspoort", body="Aanvragen bij de stadswinkel.")
    ArticleFactory(title="Huurtoeslag concept", is_published=False)
    client.force_login(host)
    response = client.get(_url(hub), {"q": "huurtoeslag"})
    assert response.status_code == 200
    results = response.context["results"]
    assert len(results) == 5 and all("Huurtoeslag" in a.title for a in results)
    html = response.content.decode()
    assert f'name="article" id="article-{results[0].pk}"' in html
    assert 'name="q" value="huurtoeslag"' in html  # goes with the desk form


def test_htmx_search_returns_only_the_results(client, host, hub):
    ArticleFactory(title="Grofvuil", body="Bel 14010 voor een afspraak.")
    client.force_login(host)
    response = client.get(
        _url(hub), {"q": "grofvuil"}, headers={"HX-Request": "true", "HX-Target": "kb-results"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="kb-results"')
    assert "Grofvuil" in html and "<html" not in html


def test_question_with_the_article_that_answered_it(client, host, hub, wonen):
    article = ArticleFactory(title="Huurtoeslag")
    client.force_login(host)
    client.post(
        _url(hub),
        {"topic": wonen.pk, "outcome": Outcome.ANSWERED, "article": article.pk, "q": "huurtoeslag"},
    )
    assert Question.objects.get().article == article


def test_no_answer_found_records_a_knowledge_gap(client, host, hub, huur):
    client.force_login(host)
    response = client.post(
        reverse("questions:gap_create", args=[hub.slug]),
        {
            "topic": huur.parent_id,
            "subtopic": huur.pk,
            "outcome": Outcome.REFERRED,
            "q": "  huurtoeslag terugbetalen ",
            "note": "Moet toeslag terugbetalen na verhuizing",
        },
    )
    gap = KnowledgeGap.objects.get()
    assert (gap.hub, gap.topic, gap.created_by) == (hub, huur, host)
    assert (gap.search_terms, gap.note) == (
        "huurtoeslag terugbetalen",
        "Moet toeslag terugbetalen na verhuizing",
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"{_url(hub)}?topic={huur.parent_id}&subtopic={huur.pk}&outcome=referred"
    )
    page = client.get(response["Location"])
    html = page.content.decode()
    # The question itself is still to be logged: topic and outcome come preselected.
    assert f'value="{huur.pk}"\n                 checked' in html
    assert 'value="referred" required\n             checked' in html
    assert not Question.objects.exists()


def test_no_answer_found_without_search_or_note_is_explained(client, host, hub, wonen):
    client.force_login(host)
    response = client.post(
        reverse("questions:gap_create", args=[hub.slug]),
        {"topic": wonen.pk, "outcome": Outcome.ANSWERED},
    )
    assert response.status_code == 200
    assert _nl("Search the kennisbank first, or write in the note what was asked.") in (
        response.content.decode()
    )
    # What was tapped is kept.
    assert f'value="{wonen.pk}" required\n             checked' in response.content.decode()
    assert not KnowledgeGap.objects.exists()


def test_no_answer_found_refuses_personal_data_and_overlong_input(client, host, hub):
    client.force_login(host)
    url = reverse("questions:gap_create", args=[hub.slug])
    response = client.post(url, {"q": "toeslag", "note": "bel haar op 06-12345678"})
    assert "note" in response.context["gap_form"].errors
    response = client.post(url, {"q": "x" * 300, "topic": "999999"})
    assert set(response.context["gap_form"].errors) == {"q", "topic"}
    assert not KnowledgeGap.objects.exists()


def test_no_answer_found_is_forbidden_at_another_hub(client, host, other_hub):
    client.force_login(host)
    response = client.post(reverse("questions:gap_create", args=[other_hub.slug]), {"q": "x"})
    assert response.status_code == 403
    assert not KnowledgeGap.objects.exists()


def test_question_log_date_follows_local_time(client, host, hub, wonen):
    # 00:30 in Amsterdam is still the previous day in UTC.
    with time_machine.travel(dt.datetime(2026, 11, 24, 0, 30, tzinfo=AMS), tick=False):
        client.force_login(host)
        client.post(_url(hub), {"topic": wonen.pk, "outcome": Outcome.ANSWERED})
    question = Question.objects.get()
    assert question.date == dt.date(2026, 11, 24)
    assert question.dagdeel == ""
    assert timezone.localtime(question.created_at).hour == 0
