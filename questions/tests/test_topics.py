"""Topics (/beheer/onderwerpen/): coordinators keep the two-level list the desk shows."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from questions.constants import STARTING_TOPICS
from questions.demo import DEMO_REFERRALS, seed_topics
from questions.models import ReferralTarget, Topic
from tests.factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db

URL = reverse("questions:topics")


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _edit(topic):
    return reverse("questions:topic_edit", args=[topic.pk])


def test_list_shows_main_topics_with_their_subtopics(client, coordinator):
    wonen = TopicFactory(name="Wonen", position=2)
    geld = TopicFactory(name="Geldzaken", position=1)
    TopicFactory(name="Huur", parent=wonen)
    TopicFactory(name="Oud", parent=wonen, is_active=False)
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    tree = response.context["tree"]
    assert [(main.name, [s.name for s in subs]) for main, subs in tree] == [
        ("Geldzaken", []),
        ("Wonen", ["Huur", "Oud"]),
    ]
    assert _edit(geld) in response.content.decode()


def test_coordinator_adds_a_main_topic_and_a_subtopic(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"name": "Wonen", "parent": "", "position": 3, "is_active": "on"})
    assert response.status_code == 302 and response["Location"] == URL
    wonen = Topic.objects.get(name="Wonen")
    assert (wonen.parent, wonen.position, wonen.is_active) == (None, 3, True)
    client.post(URL, {"name": "Huur", "parent": wonen.pk, "position": 0, "is_active": "on"})
    assert Topic.objects.get(name="Huur").parent == wonen


def test_duplicate_names_and_a_third_level_are_refused(client, coordinator):
    wonen = TopicFactory(name="Wonen")
    huur = TopicFactory(name="Huur", parent=wonen)
    client.force_login(coordinator)
    response = client.post(URL, {"name": "Wonen", "position": 0, "is_active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.post(URL, {"name": "Huur", "parent": wonen.pk, "position": 0})
    assert response.context["form"].errors
    # Only main topics are offered as parent; a forged subtopic id is refused.
    response = client.post(URL, {"name": "Toeslag", "parent": huur.pk, "position": 0})
    assert "parent" in response.context["form"].errors
    assert Topic.objects.count() == 2


def test_bad_input_keeps_what_was_typed(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"name": "x" * 81, "position": "eerste"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "position"}
    assert "x" * 81 in response.content.decode()


def test_rename_reorder_and_deactivate(client, coordinator):
    topic = TopicFactory(name="Afval", position=5)
    client.force_login(coordinator)
    response = client.get(_edit(topic))
    assert response.status_code == 200
    response = client.post(_edit(topic), {"name": "Afval en buitenruimte", "position": 1})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.position, topic.is_active) == ("Afval en buitenruimte", 1, False)


def test_a_main_topic_with_subtopics_cannot_become_a_subtopic(client, coordinator):
    wonen = TopicFactory(name="Wonen")
    TopicFactory(name="Huur", parent=wonen)
    geld = TopicFactory(name="Geld")
    client.force_login(coordinator)
    response = client.post(
        _edit(wonen), {"name": "Wonen", "parent": geld.pk, "position": 0, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    wonen.refresh_from_db()
    assert wonen.parent is None


def test_an_unused_topic_can_be_deleted(client, coordinator):
    topic = TopicFactory(name="Tikfout")
    client.force_login(coordinator)
    response = client.post(_edit(topic), {"delete": "1"})
    assert response.status_code == 302 and response["Location"] == URL
    assert not Topic.objects.exists()


def test_a_topic_with_questions_or_subtopics_is_never_deleted(client, coordinator, hub):
    used = TopicFactory(name="Wonen")
    QuestionFactory(hub=hub, topic=used)
    parent = TopicFactory(name="Geld")
    TopicFactory(name="Schulden", parent=parent)
    client.force_login(coordinator)
    for topic in (used, parent):
        response = client.post(_edit(topic), {"delete": "1"}, follow=True)
        with translation.override("nl"):
            expected = gettext(
                "%(name)s has questions or subtopics, so it cannot be deleted: untick “active” "
                "instead and the desk no longer shows it."
            ) % {"name": topic.name}
        assert [str(m) for m in response.context["messages"]] == [expected]
    assert Topic.objects.count() == 3


@pytest.mark.parametrize("role", ["host", "kcc", "wijkmanager", "medewerker", "wijkraad"])
def test_only_coordinators_keep_topics(client, cast, role):
    topic = TopicFactory(name="Wonen")
    client.force_login(cast[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "Nieuw", "position": 0}).status_code == 403
    assert client.post(_edit(topic), {"delete": "1"}).status_code == 403
    assert Topic.objects.count() == 1


def test_topics_need_login_right_method_and_an_existing_topic(client, coordinator):
    assert client.get(URL).status_code == 302
    client.force_login(coordinator)
    assert client.put(URL).status_code == 405
    assert client.get(reverse("questions:topic_edit", args=[999999])).status_code == 404


def test_deactivated_topics_leave_the_desk(client, host, hub):
    wonen = TopicFactory(name="Wonen")
    huur = TopicFactory(name="Huur", parent=wonen)
    TopicFactory(name="Oud", is_active=False)
    client.force_login(host)
    tree = client.get(reverse("questions:desk", args=[hub.slug])).context["topic_tree"]
    assert [(m.name, [s.name for s in subs]) for m, subs in tree] == [("Wonen", ["Huur"])]
    wonen.is_active = False
    wonen.save()
    response = client.post(
        reverse("questions:desk", args=[hub.slug]),
        {"topic": wonen.pk, "subtopic": huur.pk, "outcome": "answered"},
    )
    assert set(response.context["form"].errors) == {"topic", "subtopic"}


# --- demo data -------------------------------------------------------------------------------


def test_seed_topics_creates_the_starting_list_once():
    subtopics = sum(len(subs) for subs in STARTING_TOPICS.values())
    assert seed_topics() == (len(STARTING_TOPICS) + subtopics, len(DEMO_REFERRALS))
    assert Topic.objects.filter(parent=None).count() == len(STARTING_TOPICS)
    assert Topic.objects.get(name="Huur en huurtoeslag").parent.name == "Wonen"
    assert list(Topic.objects.main().values_list("name", flat=True))[:2] == [
        "Wonen",
        "Werk en inkomen",
    ]
    assert ReferralTarget.objects.get(name="Vraagwijzer").all_hubs
    # A coordinator's changes survive a second run, which creates nothing.
    Topic.objects.filter(name="Wonen").update(position=99)
    assert seed_topics() == (0, 0)
    assert Topic.objects.get(name="Wonen").position == 99
