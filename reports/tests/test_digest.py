"""The Monday digest: once per wijkmanager per week, last week's figures of her hubs,
the same as the hub's report page, and no resident's data."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from hubs.constants import Dagdeel
from questions.constants import CallbackStatus, Outcome
from questions.models import CallbackRequest
from reports import digest, rollup
from reports.period import Period
from reports.report import Scope, build_report
from reports.tasks import send_weekly_digest
from tests.factories import (
    QuestionFactory,
    ReferralTargetFactory,
    TopicFactory,
    UserFactory,
    give_role,
    make_callback,
    make_proposal,
    make_shift,
)

AMS = ZoneInfo("Europe/Amsterdam")
# Monday 30 November 2026, 07:00: the digest covers week 48, 23 to 29 November.
NOW = dt.datetime(2026, 11, 30, 7, 0, tzinfo=AMS)
LAST = Period(dt.date(2026, 11, 23), dt.date(2026, 11, 29))
MON, TUE, WED, THU = (LAST.first + dt.timedelta(days=i) for i in range(4))
BEFORE = MON - dt.timedelta(weeks=1)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine, settings):
    settings.SITE_URL = "https://wijkhubs.example.org"
    time_machine.move_to(NOW, tick=False)
    return time_machine


def ask(hub, day, outcome=Outcome.ANSWERED, n=1):
    referral = ReferralTargetFactory() if outcome == Outcome.REFERRED else None
    topic = TopicFactory(name="Wonen")
    for _ in range(n):
        QuestionFactory(hub=hub, date=day, topic=topic, outcome=outcome, referral_target=referral)


@pytest.fixture
def weeks(hub, other_hub, wijkraad, frozen):
    """Two weeks of Feijenoord (``hub``) and Bloemhof (``other_hub``).

    Feijenoord, week 48: 4 answered, 1 referred and 2 callback requests (7 questions);
    one callback completed on time, one still open past its date; Monday morning
    under its minimum. Week 47: 2 answered questions. Bloemhof, week 48: 3 answered,
    Tuesday morning under its minimum. One proposal of Feijenoord waits for an answer.
    """
    ask(hub, BEFORE, n=2)
    # The nightly refresh has rolled up both weeks; what follows came in later.
    rollup.refresh_weeks([BEFORE, MON], now=NOW)
    ask(hub, MON, n=4)
    ask(hub, TUE, Outcome.REFERRED)
    ask(other_hub, WED, n=3)
    make_shift(hub, MON, Dagdeel.OCHTEND, confirmed_count=1)
    make_shift(hub, WED, Dagdeel.OCHTEND, confirmed_count=2)
    make_shift(other_hub, TUE, Dagdeel.OCHTEND, confirmed_count=0)
    frozen.move_to(dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMS), tick=False)
    on_time, late = make_callback(hub=hub), make_callback(hub=hub)
    frozen.move_to(NOW, tick=False)
    CallbackRequest.objects.filter(pk=on_time.pk).update(
        status=CallbackStatus.COMPLETED,
        due_date=THU,
        first_attempt_at=dt.datetime(2026, 11, 25, 10, 0, tzinfo=AMS),
        closed_at=dt.datetime(2026, 11, 25, 10, 0, tzinfo=AMS),
    )
    CallbackRequest.objects.filter(pk=late.pk).update(due_date=THU)
    make_proposal(hub, wijkraad, submit=True)


def _figures(hub):
    with translation.override("nl"):
        result = digest.hub_digest(hub, LAST, NOW.date(), digest.CityNow(NOW.date()))
    return [(f.value, f.previous, f.city) for f in result.figures]


def test_the_figures_are_counted_by_hand(hub, other_hub, weeks):
    rollup.refresh_week(MON, now=NOW)
    assert _figures(hub) == [
        # questions: 7; week 47: 2; the city's 10 over its two open hubs: 5.0
        (7, 2, 5.0),
        # answered on the spot: 4 of 7; 2 of 2; the city's 7 of 10
        (57.1, 100.0, 70.0),
        # callbacks on time: 1 of the 2 due; none due in week 47; the city's the same
        (50.0, None, 50.0),
        # open callbacks past their date now: 1; per active hub in the city: 1 / 2
        (1, None, 0.5),
        # dagdelen under the minimum: 1; none in week 47; the city's 2 over two hubs: 1.0
        (1, 0, 1.0),
        # proposals waiting for an answer: 1; the city's 1 over two hubs
        (1, None, 0.5),
    ]
    assert _figures(other_hub)[0] == (3, 0, 5.0)


def test_the_figures_are_those_of_the_hubs_report_page(hub, weeks):
    rollup.refresh_week(MON, now=NOW)
    with translation.override("nl"):
        headline = {
            row[0]: row[1:]
            for row in build_report(Scope("hub", hub.name, [hub.pk], hub), LAST).headline.rows
        }
        result = digest.hub_digest(hub, LAST, NOW.date(), digest.CityNow(NOW.date()))
    from_report = [f for f in result.figures if not f.is_now]
    assert len(from_report) == 4
    for figure in from_report:
        assert [figure.value, figure.previous, figure.city] == headline[figure.label]


def test_each_wijkmanager_gets_one_digest_however_often_the_task_runs(
    hub, other_hub, wijkmanager, outsider, coordinator, weeks, frozen
):
    both = give_role(UserFactory(email="beide@example.org"), Role.WIJKMANAGER, hub)
    give_role(both, Role.WIJKMANAGER, other_hub)
    send_weekly_digest()
    send_weekly_digest()
    assert digest.weekly_digests_due() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [wijkmanager.email, outsider.email, both.email]
    )
    message = next(m for m in mail.outbox if m.to == [both.email])
    assert "Feijenoord" in message.body and "Bloemhof" in message.body
    # A week later: the next digest.
    frozen.move_to(NOW + dt.timedelta(weeks=1), tick=False)
    assert digest.weekly_digests_due() == 3
    assert len(mail.outbox) == 6


def test_the_digest_shows_last_weeks_figures_and_links_to_the_report(hub, wijkmanager, weeks):
    assert digest.weekly_digests_due() == 1
    [message] = mail.outbox
    html = message.alternatives[0][0]
    with translation.override("nl"):
        subject = gettext("Your wijkhubs in week %(week)s: the headline figures") % {"week": 48}
        questions, answered, on_time, before, city = (
            gettext(text)
            for text in (
                "Questions",
                "Answered on the spot",
                "Callbacks made on time",
                "week before",
                "city average",
            )
        )
    assert message.subject == subject
    # The questions logged after the nightly refresh are counted: the digest
    # refreshed week 48 before reading it.
    assert f"- {questions}: 7 ({before} 2, {city} 5)" in message.body
    assert f"- {answered}: 57,1% ({before} 100,0%, {city} 70,0%)" in message.body
    assert f"- {on_time}: 50,0% ({before} –, {city} 50,0%)" in message.body
    assert f"{city} 0,5)" in message.body
    url = "https://wijkhubs.example.org/rapportage/hub/feijenoord/?van=2026-11-23&tot=2026-11-29"
    assert url in message.body
    assert url.replace("&", "&amp;") in html
    assert f'<th scope="row">{answered}</th><td>57,1%</td><td>100,0%</td><td>70,0%</td>' in html


def test_no_residents_data_in_the_digest(hub, wijkmanager, weeks):
    digest.weekly_digests_due()
    [message] = mail.outbox
    for text in (message.subject, message.body, message.alternatives[0][0]):
        for personal in ("Jan Jansen", "0612345678", "huurtoeslag", "na 15:00"):
            assert personal not in text


def test_who_gets_no_digest(hub, other_hub, coordinator, wijkraad, host, weeks):
    inactive = give_role(UserFactory(is_active=False), Role.WIJKMANAGER, hub)
    other_hub.is_active = False
    other_hub.save()
    of_closed_hub = give_role(UserFactory(), Role.WIJKMANAGER, other_hub)
    assert digest.weekly_digests_due() == 0
    assert mail.outbox == []
    assert inactive.pk and of_closed_hub.pk


def test_a_coordinator_who_is_also_wijkmanager_gets_it_for_her_hubs(hub, coordinator, weeks):
    give_role(coordinator, Role.WIJKMANAGER, hub)
    assert digest.weekly_digests_due() == 1
    assert mail.outbox[0].to == [coordinator.email]


def test_a_second_run_does_not_even_compute_the_figures(hub, wijkmanager, weeks, monkeypatch):
    digest.weekly_digests_due()

    def fail(*args, **kwargs):
        raise AssertionError("build_report should not run")

    monkeypatch.setattr(digest, "build_report", fail)
    monkeypatch.setattr(rollup, "refresh_week", fail)
    assert digest.weekly_digests_due() == 0


def test_a_digest_claimed_by_another_worker_is_not_sent(hub, wijkmanager, weeks, monkeypatch):
    claim = digest.claim_notification

    def another_worker_first(kind, key):
        assert key == f"{wijkmanager.pk}:2026-W48"
        claim(kind, key)  # the other worker, between our check and our claim
        return claim(kind, key)

    monkeypatch.setattr(digest, "claim_notification", another_worker_first)
    assert digest.weekly_digests_due() == 0
    assert mail.outbox == []
