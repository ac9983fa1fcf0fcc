"""Correcting a desk entry: its author, for QUESTION_CORRECTION_MINUTES; a callback
question keeps its outcome."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from questions import services
from questions.constants import Outcome
from questions.models import Question
from questions.services import CallbackError
from tests.factories import ReferralTargetFactory, TopicFactory, make_callback

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
LOGGED = dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS)


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.fixture
def wonen():
    return TopicFactory(name="Wonen")


@pytest.fixture
def question(hub, host, wonen):
    with time_machine.travel(LOGGED, tick=False):
        return services.question_log(
            hub=hub, user=host, topic=wonen, outcome=Outcome.ANSWERED, note="Brief", language="nl"
        )


def _url(question):
    return reverse("questions:question_edit", args=[question.pk])


def _later(minutes):
    return time_machine.travel(LOGGED + dt.timedelta(minutes=minutes), tick=False)


def test_author_sees_the_entry_in_the_form(client, host, question, wonen):
    with _later(5):
        client.force_login(host)
        response = client.get(_url(question))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["topic"].value(), form["outcome"].value(), form["note"].value()) == (
        wonen.pk,
        Outcome.ANSWERED,
        "Brief",
    )
    # A question cannot become a callback request here.
    assert [v for v, _label in form.fields["outcome"].choices] == [
        Outcome.ANSWERED,
        Outcome.REFERRED,
    ]


def test_author_corrects_within_the_window(client, host, hub, question):
    huur = TopicFactory(name="Huur", parent=TopicFactory(name="Wonen"))
    target = ReferralTargetFactory(name="Woonstad Rotterdam")
    with _later(15):
        client.force_login(host)
        response = client.post(
            _url(question),
            {
                "topic": huur.parent_id,
                "subtopic": huur.pk,
                "outcome": Outcome.REFERRED,
                "referral_target": target.pk,
                "note": "",
                "language": "ar",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("questions:desk", args=[hub.slug])
    question.refresh_from_db()
    assert (question.topic, question.outcome, question.referral_target) == (
        huur,
        Outcome.REFERRED,
        target,
    )
    assert (question.note, question.language, question.created_by) == ("", "ar", host)


def test_after_the_window_the_author_gets_403_with_a_reason(client, host, question, wonen):
    with _later(16):
        client.force_login(host)
        response = client.get(_url(question))
        posted = client.post(
            _url(question), {"topic": wonen.pk, "outcome": Outcome.ANSWERED, "note": "Anders"}
        )
    assert response.status_code == 403
    assert "15" in response.content.decode()
    assert posted.status_code == 403
    question.refresh_from_db()
    assert question.note == "Brief"


def test_another_author_gets_403(client, wijkmanager, question, wonen):
    with _later(1):
        client.force_login(wijkmanager)
        response = client.post(_url(question), {"topic": wonen.pk, "outcome": Outcome.ANSWERED})
    assert response.status_code == 403
    assert _nl("Only the person who logged a question can correct it.") in (
        response.content.decode()
    )


def test_a_callback_question_keeps_its_outcome(client, host, hub, wonen):
    with time_machine.travel(LOGGED, tick=False):
        callback = make_callback(hub=hub, user=host, topic=wonen)
    question = callback.question
    with _later(2):
        client.force_login(host)
        form = client.get(_url(question)).context["form"]
        assert [v for v, _label in form.fields["outcome"].choices] == [Outcome.CALLBACK]
        response = client.post(_url(question), {"topic": wonen.pk, "outcome": Outcome.ANSWERED})
        assert response.status_code == 200
        assert "outcome" in response.context["form"].errors
        other = TopicFactory(name="Geldzaken")
        response = client.post(_url(question), {"topic": other.pk, "outcome": Outcome.CALLBACK})
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.outcome, question.topic) == (Outcome.CALLBACK, other)


def test_bad_input_is_explained_and_kept(client, host, question, wonen):
    with _later(3):
        client.force_login(host)
        response = client.post(
            _url(question), {"topic": wonen.pk, "outcome": Outcome.REFERRED, "note": "x" * 400}
        )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"referral_target", "note"}
    assert "x" * 400 in response.content.decode()


def test_personal_data_in_a_correction_warns(client, host, question, wonen):
    with _later(3):
        client.force_login(host)
        response = client.post(
            _url(question),
            {"topic": wonen.pk, "outcome": Outcome.ANSWERED, "note": "mail naar piet@example.nl"},
        )
    assert response.status_code == 200
    assert 'id="personal-data-warning"' in response.content.decode()
    question.refresh_from_db()
    assert question.note == "Brief"


def test_someone_without_this_desk_gets_403_and_unknown_404(client, outsider, host, question):
    with _later(1):
        client.force_login(outsider)
        assert client.get(_url(question)).status_code == 403
        client.force_login(host)
        assert client.get(reverse("questions:question_edit", args=[999999])).status_code == 404
        assert client.put(_url(question)).status_code == 405


def test_correction_needs_login(client, question):
    assert client.get(_url(question)).status_code == 302


# --- the service -----------------------------------------------------------------------------


def test_service_refuses_outside_the_window_and_for_others(host, wijkmanager, question):
    with pytest.raises(CallbackError) as error:
        services.question_correct(
            question=question, user=host, note="x", now=LOGGED + dt.timedelta(minutes=16)
        )
    assert error.value.code == "window"
    with pytest.raises(CallbackError):
        services.question_correct(
            question=question, user=wijkmanager, note="x", now=LOGGED + dt.timedelta(minutes=1)
        )
    question.refresh_from_db()
    assert question.note == "Brief"


def test_service_keeps_callbacks_callbacks(host, hub, wonen):
    with time_machine.travel(LOGGED, tick=False):
        callback = make_callback(hub=hub, user=host, topic=wonen)
    soon = LOGGED + dt.timedelta(minutes=1)
    with pytest.raises(CallbackError) as error:
        services.question_correct(
            question=callback.question, user=host, outcome=Outcome.ANSWERED, now=soon
        )
    assert error.value.code == "callback"
    plain = services.question_log(
        hub=hub, user=host, topic=wonen, outcome=Outcome.ANSWERED, now=LOGGED
    )
    with pytest.raises(CallbackError):
        services.question_correct(question=plain, user=host, outcome=Outcome.CALLBACK, now=soon)


def test_service_needs_a_destination_for_a_referral_and_clears_it_otherwise(host, question):
    soon = LOGGED + dt.timedelta(minutes=1)
    with pytest.raises(CallbackError) as error:
        services.question_correct(question=question, user=host, outcome=Outcome.REFERRED, now=soon)
    assert error.value.code == "referral"
    target = ReferralTargetFactory()
    services.question_correct(
        question=question, user=host, outcome=Outcome.REFERRED, referral_target=target, now=soon
    )
    services.question_correct(question=question, user=host, outcome=Outcome.ANSWERED, now=soon)
    question.refresh_from_db()
    assert (question.outcome, question.referral_target) == (Outcome.ANSWERED, None)
    assert Question.objects.count() == 1


def test_service_refuses_fields_it_does_not_correct(host, question, other_hub):
    with pytest.raises(TypeError):
        services.question_correct(
            question=question, user=host, hub=other_hub, now=LOGGED + dt.timedelta(minutes=1)
        )
