"""On a tablet, a host logs three questions and a callback request; a team member
claims and completes it; the host sees it completed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from questions.constants import CallbackStatus, Outcome
from questions.demo import seed_topics
from questions.models import CallbackRequest, Question, ReferralTarget, Topic
from tests.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")
TABLET = (1024, 768)


def _log(page, topic: Topic, outcome: str, referral: ReferralTarget | None = None):
    page.locator(f"label[for=topic-{topic.pk}]").click()
    page.locator(f"label[for=outcome-{outcome}]").click()
    if referral:
        page.locator("#referral-block select").select_option(str(referral.pk))
    with page.expect_navigation():
        page.locator("button[name=save]").click()


@pytest.mark.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=AMS), tick=True)
def test_host_logs_questions_and_a_callback_that_a_team_completes(new_page, login, host, hub, kcc):
    seed_topics()
    team = TeamFactory(name="Team Wonen", members=[kcc])
    wonen = Topic.objects.get(name="Wonen", parent=None)
    afval = Topic.objects.get(name="Afval en buitenruimte", parent=None)
    vraagwijzer = ReferralTarget.objects.for_hub(hub).first()

    desk = new_page(*TABLET, has_touch=True)
    login(desk, host)
    desk.goto(f"/balie/{hub.slug}/")
    _log(desk, afval, Outcome.ANSWERED)
    _log(desk, wonen, Outcome.REFERRED, vraagwijzer)
    _log(desk, afval, Outcome.ANSWERED)
    assert desk.locator("table.desk-log tbody tr").count() == 3

    # The fourth resident needs a callback: the desk hands over to the callback form.
    _log(desk, wonen, Outcome.CALLBACK)
    assert "/terugbelverzoek/" in desk.url
    desk.locator("#id_resident_name").fill("Jan Jansen")
    desk.locator("#id_phone").fill("06-1234")  # a typo first
    desk.locator("#id_question_text").fill("Vraag over de huurtoeslag van december")
    desk.locator("#id_team").select_option(str(team.pk))
    desk.locator("#id_consent").check()
    desk.locator("input[name=save]").click()
    # A clear Dutch message, and nothing typed is lost.
    assert (
        "Vul een Nederlands telefoonnummer van 10 cijfers in" in desk.locator("main").inner_text()
    )
    assert desk.locator("#id_resident_name").input_value() == "Jan Jansen"
    assert desk.locator("#id_question_text").input_value().startswith("Vraag over")
    desk.locator("#id_phone").fill("06 12 34 56 78")
    if not desk.locator("#id_consent").is_checked():
        desk.locator("#id_consent").check()
    desk.locator("input[name=save]").click()
    callback = CallbackRequest.objects.get()
    assert callback.phone == "0612345678"
    assert callback.reference in desk.locator("main").inner_text()  # the printable slip
    assert Question.objects.filter(hub=hub).count() == 4

    # A team member claims and completes it.
    team_page = new_page(1280, 900)
    login(team_page, kcc)
    team_page.goto("/teams/")
    team_page.get_by_role("link", name="Team Wonen").click()
    team_page.get_by_role("link", name=callback.reference).click()
    team_page.get_by_role("button", name="Oppakken").click()
    team_page.locator("#id_complete-result").fill("Uitgelegd hoe de toeslag werkt.")
    team_page.locator("input[name=complete]").click()
    team_page.wait_for_load_state()
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.COMPLETED
    assert callback.claimed_by == kcc

    # The host sees it completed among the callback requests she made.
    desk.goto("/terugbelverzoeken/")
    row = desk.locator("tr", has=desk.get_by_role("link", name=callback.reference))
    assert "Afgerond" in row.inner_text()
