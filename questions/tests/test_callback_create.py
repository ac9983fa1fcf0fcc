"""Making a callback request at the desk, and the slip the resident takes home."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from questions.constants import CallbackEventKind, CallbackStatus, Outcome
from questions.models import CallbackRequest, PersonalDataAccess, Question
from tests.factories import TeamFactory, TopicFactory, UserFactory, make_callback

pytestmark = pytest.mark.django_db

# Friday 4 December 2026, 11:00 in Rotterdam: due two working days later, on Tuesday.
NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def topic():
    return TopicFactory(name="Huur en huurtoeslag", parent=TopicFactory(name="Wonen"))


@pytest.fixture
def team():
    return TeamFactory(name="Team Wonen", due_working_days=2)


@pytest.fixture
def data(topic, team):
    return {
        "topic": topic.pk,
        "resident_name": "Fatima el Amrani",
        "phone": "06 12 34 56 78",
        "email": "",
        "reachable": "na 15:00",
        "language": "ar",
        "question_text": "Mijn huurtoeslag is gestopt.",
        "team": team.pk,
        "consent": "on",
    }


def _url(hub):
    return reverse("questions:callback_create", args=[hub.slug])


def test_the_host_makes_a_callback_request_and_gets_the_slip(client, host, hub, data, team):
    client.force_login(host)
    response = client.post(_url(hub), data)
    callback = CallbackRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("questions:callback_slip", args=[callback.reference])
    assert callback.hub == hub
    assert callback.team == team
    assert callback.created_by == host
    assert callback.status == CallbackStatus.OPEN
    assert callback.phone == "0612345678"  # stored normalised
    assert callback.resident_name == "Fatima el Amrani"
    assert callback.language == "ar"
    assert callback.consent_at == NOW
    assert callback.due_date == dt.date(2026, 12, 8)  # Friday + 2 working days = Tuesday
    question = Question.objects.get()
    assert question.outcome == Outcome.CALLBACK
    assert question.note == ""  # the anonymous question holds no personal data
    assert callback.events.get().kind == CallbackEventKind.CREATED


def test_an_email_address_alone_is_enough(client, host, hub, data):
    client.force_login(host)
    response = client.post(_url(hub), {**data, "phone": "", "email": "f.amrani@example.org"})
    assert response.status_code == 302
    assert CallbackRequest.objects.get().email == "f.amrani@example.org"


def test_the_form_shows_the_consent_sentence_and_preselects_the_topic(client, host, hub, topic):
    client.force_login(host)
    response = client.get(_url(hub), {"topic": topic.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["topic"].value() == topic.pk
    html = response.content.decode()
    with translation.override("en"):
        label = str(form.fields["consent"].label)
    assert "30" in label
    assert 'name="consent"' in html
    assert 'name="team"' in html


def test_a_forged_topic_in_the_address_is_ignored(client, host, hub):
    client.force_login(host)
    for value in ("999999", "abc", "-1"):
        response = client.get(_url(hub), {"topic": value})
        assert response.status_code == 200
        assert response.context["form"]["topic"].value() is None


def test_a_short_phone_number_gets_the_dutch_message_and_keeps_everything(client, host, hub, data):
    client.force_login(host)
    response = client.post(_url(hub), {**data, "phone": "06-1234", "email": "x@example.org"})
    assert response.status_code == 200
    assert not CallbackRequest.objects.exists()
    form = response.context["form"]
    expected = _nl("Enter a Dutch phone number of 10 digits, such as 010 123 45 67.")
    assert form.errors["phone"] == [expected]
    html = response.content.decode()
    assert expected in html
    # Everything typed is still there.
    for name in ("resident_name", "reachable", "question_text", "email"):
        assert form[name].value() == {**data, "email": "x@example.org"}[name]
    assert 'value="06-1234"' in html
    assert "Fatima el Amrani" in html
    assert "Mijn huurtoeslag is gestopt." in html
    assert form["team"].value() == str(data["team"])
    assert form["consent"].value() is True


def test_without_consent_nothing_is_stored(client, host, hub, data):
    client.force_login(host)
    response = client.post(_url(hub), {k: v for k, v in data.items() if k != "consent"})
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not CallbackRequest.objects.exists()
    assert not Question.objects.exists()


def test_neither_phone_nor_email_is_an_error(client, host, hub, data):
    client.force_login(host)
    response = client.post(_url(hub), {**data, "phone": "", "email": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [
        _nl("Give a phone number or an e-mail address.")
    ]
    assert not CallbackRequest.objects.exists()


def test_a_forged_team_id_is_a_form_error(client, host, hub, data):
    client.force_login(host)
    inactive = TeamFactory(is_active=False)
    for value in ("999999", "abc", str(inactive.pk)):
        response = client.post(_url(hub), {**data, "team": value})
        assert response.status_code == 200
        assert "team" in response.context["form"].errors
    assert not CallbackRequest.objects.exists()


def test_a_forged_topic_id_is_a_form_error(client, host, hub, data):
    client.force_login(host)
    response = client.post(_url(hub), {**data, "topic": "999999"})
    assert response.status_code == 200
    assert "topic" in response.context["form"].errors


def test_a_forged_hub_slug_is_404(client, host, data):
    client.force_login(host)
    response = client.post(reverse("questions:callback_create", args=["bestaat-niet"]), data)
    assert response.status_code == 404
    assert not CallbackRequest.objects.exists()


def test_a_host_of_another_hub_gets_403(client, host, other_hub, data):
    client.force_login(host)
    assert client.get(_url(other_hub)).status_code == 403
    assert client.post(_url(other_hub), data).status_code == 403
    assert not CallbackRequest.objects.exists()


@pytest.mark.parametrize("who", ["medewerker", "wijkraad", "outsider"])
def test_people_without_this_desk_get_403(client, request, hub, data, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(_url(hub), data).status_code == 403


@pytest.mark.parametrize("who", ["wijkmanager", "coordinator", "kcc"])
def test_the_wijkmanager_kcc_and_coordinator_may_use_the_desk(client, request, hub, data, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(_url(hub), data).status_code == 302


def test_anonymous_visitors_go_to_the_login_page(client, hub):
    response = client.get(_url(hub))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_wrong_method_is_405(client, host, hub):
    client.force_login(host)
    assert client.put(_url(hub)).status_code == 405


# --- the slip ------------------------------------------------------------------------------


def test_the_slip_shows_reference_dates_and_topic_but_no_personal_data(client, host, hub, team):
    callback = make_callback(hub=hub, team=team, user=host, email="jan@example.org")
    client.force_login(host)
    response = client.get(reverse("questions:callback_slip", args=[callback.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    assert callback.reference in html
    assert hub.name in html
    assert team.name in html
    assert "14010" in html
    with translation.override("nl"):
        assert "dinsdag 8 december 2026" in html
    for personal in ("Jan Jansen", "0612345678", "jan@example.org", "huurtoeslag", "na 15:00"):
        assert personal not in html
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "outsider", "medewerker"])
def test_the_slip_is_404_for_those_who_may_not_see_the_residents_details(
    client, request, hub, team, host, who
):
    callback = make_callback(hub=hub, team=team, user=host)
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("questions:callback_slip", args=[callback.reference]))
    assert response.status_code == 404


def test_the_slip_of_a_forged_reference_is_404(client, host):
    client.force_login(host)
    assert client.get(reverse("questions:callback_slip", args=["TB-XXXX-XX"])).status_code == 404


def test_the_team_may_print_the_slip_again(client, hub, team):
    member = UserFactory()
    team.members.add(member)
    callback = make_callback(hub=hub, team=team)
    client.force_login(member)
    assert (
        client.get(reverse("questions:callback_slip", args=[callback.reference])).status_code == 200
    )
