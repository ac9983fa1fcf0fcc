"""The weekly rollup: what a week of one hub folds into, and how refreshing behaves.

The data set is the one in ``conftest.py``; "now" is Wednesday 18 November 2026,
10:00 in Amsterdam. W3 is the week of Monday 9 November, W4 this week.
"""

import datetime as dt
from collections import Counter

import pytest

from hubs.constants import Dagdeel
from questions.models import KnowledgeGap, Question
from reports import rollup
from reports.models import RollupWeek, WeeklyFigure
from reports.rollup import OUTCOME_INDEX, slot_key
from tests.factories import HubFactory, QuestionFactory, make_shift

from .conftest import AMSTERDAM, NOW, W1, W2, W3, W4, at, day

pytestmark = pytest.mark.django_db

ANSWERED, REFERRED, CALLBACK = (OUTCOME_INDEX[o] for o in ("answered", "referred", "callback"))
MON, TUE, WED, THU = 0, 1, 2, 3
MORNING, AFTERNOON = 0, 1


def figures_of(hub, week) -> dict:
    rows = WeeklyFigure.objects.filter(week=week, hub=hub)
    return {(m, k): v for m, k, v in rows.values_list("metric", "key", "value")}


def all_rows() -> list[tuple]:
    return sorted(
        WeeklyFigure.objects.values_list("week", "hub_id", "metric", "key", "value"),
        key=lambda row: (row[0], row[1] or 0, row[2], row[3]),
    )


def test_a_week_of_one_hub_is_counted_by_hand(figures):
    t, r, art, cl = figures.topics, figures.referrals, figures.articles, figures.clusters
    assert figures_of(figures.a, W3) == {
        ("q", 0): 9,  # qa1 qa3 qa4 qa5 + callbacks c1 c2 c12 c3 c4
        ("q_outcome", ANSWERED): 3,  # qa1 qa4 qa5
        ("q_outcome", REFERRED): 1,  # qa3
        ("q_outcome", CALLBACK): 5,
        ("q_topic", t.huur.pk): 1,
        ("q_topic", t.schulden.pk): 1,
        ("q_topic", t.overig.pk): 2,
        ("q_topic", t.wonen.pk): 5,  # the callbacks
        ("q_referral", r.sociaal.pk): 1,
        ("q_article", art.huurtoeslag.pk): 1,
        ("q_article", art.afvalkalender.pk): 1,
        ("q_slot", slot_key(day(11, 9), Dagdeel.OCHTEND)): 3,  # qa1 qa3 c1
        ("q_slot", TUE * 3 + AFTERNOON): 3,  # qa4 c2 c12
        ("q_slot", THU * 3 + MORNING): 1,  # c4, while the shift was cancelled
        ("open_slot", MON * 3 + MORNING): 1,
        ("open_slot", TUE * 3 + AFTERNOON): 1,
        ("planned", 0): 3,  # 9, 10 and 12 Nov
        ("cancelled", 0): 1,  # 12 Nov
        ("under_min", 0): 1,  # 10 Nov: 1 of 2
        ("places_needed", 0): 4,  # 2 + 2
        ("places_filled", 0): 3,  # 2 + 1
        ("signups", 0): 3,  # a1 a2 on 9 Nov (not a3's cancelled place), a1 on 10 Nov
        ("worked", 0): 2,  # a1, a1
        ("no_shows", 0): 1,  # a2 on 9 Nov
        ("cl_committed", cl.stadsbeheer.pk): 1,  # not Belastingen's offer on cancelled 12 Nov
        ("cl_signed", cl.stadsbeheer.pk): 2,
        ("cl_worked", cl.stadsbeheer.pk): 2,
        ("gaps", 0): 2,  # Mon 9 Nov 11:00, Sun 15 Nov 23:30
        ("active", 0): 1,
    }
    assert figures_of(figures.a, W4) == {
        ("q", 0): 6,  # qa6 qa7 qa8 qa9 + c5 c6
        ("q_outcome", ANSWERED): 2,
        ("q_outcome", REFERRED): 2,
        ("q_outcome", CALLBACK): 2,
        ("q_topic", t.huur.pk): 1,
        ("q_topic", t.onderhoud.pk): 1,
        ("q_topic", t.schulden.pk): 1,
        ("q_topic", t.geld.pk): 1,
        ("q_topic", t.wonen.pk): 2,
        ("q_referral", r.sociaal.pk): 1,
        ("q_referral", r.juridisch.pk): 1,
        ("q_article", art.huurtoeslag.pk): 1,
        ("q_article", art.schuldhulp.pk): 2,
        ("q_slot", MON * 3 + MORNING): 4,
        ("q_slot", WED * 3 + MORNING): 2,
        ("open_slot", MON * 3 + MORNING): 1,
        ("open_slot", TUE * 3 + AFTERNOON): 1,
        ("open_slot", WED * 3 + MORNING): 1,  # 09:00 today: started
        # Wed 18 Nov middag (13:00) and Thu 19 Nov have not started: not here.
        ("planned", 0): 3,
        ("places_needed", 0): 6,
        ("places_filled", 0): 6,  # 16 Nov has 3 people, counts 2
        ("signups", 0): 7,  # 3 + 2 + 2, not a4's waitlist place
        ("worked", 0): 3,  # a2 a3 on 16 Nov, a2 on 17 Nov; the rest not yet marked
        ("cl_committed", cl.stadsbeheer.pk): 1,
        ("cl_committed", cl.belastingen.pk): 3,  # 1 on 16 Nov + 2 on 18 Nov
        ("cl_committed", cl.jeugd.pk): 1,
        ("cl_signed", cl.stadsbeheer.pk): 2,
        ("cl_signed", cl.belastingen.pk): 2,
        ("cl_worked", cl.belastingen.pk): 1,
        ("gaps", 0): 1,  # Mon 16 Nov 00:30 (Sunday 23:30 in UTC)
        ("active", 0): 1,
    }


def test_the_city_rows_are_the_sum_of_the_hub_rows(figures):
    hubs: Counter = Counter()
    city: Counter = Counter()
    for week, hub_id, metric, key, value in all_rows():
        (city if hub_id is None else hubs)[week, metric, key] += value
    assert city == hubs
    assert len(city) > 100


def test_a_hub_is_active_in_a_week_it_opened_or_logged_a_question(figures):
    def active(week):
        return dict(
            WeeklyFigure.objects.filter(week=week, metric="active").values_list("hub_id", "value")
        )

    a, b, c = figures.a.pk, figures.b.pk, figures.c.pk
    assert active(W1) == {a: 1, b: 1, c: 1, None: 3}
    # B had no shift in W2, only question qb4.
    assert active(W2) == {a: 1, b: 1, c: 1, None: 3}
    assert ("planned", 0) not in figures_of(figures.b, W2)
    # B's only shift of W4 is on Thursday: not started, no questions yet.
    assert active(W4) == {a: 1, c: 1, None: 2}


def test_shifts_count_once_they_have_started(figures, time_machine):
    cl = figures.clusters
    time_machine.move_to(at(11, 18, 13, 30), tick=False)
    rollup.refresh_week(W4)
    later = figures_of(figures.a, W4)
    assert later["planned", 0] == 4  # + Wed 18 Nov middag
    assert later["signups", 0] == 8  # + a2
    assert later["cl_committed", cl.stadsbeheer.pk] == 2  # + its offer that afternoon
    assert later["under_min", 0] == 1  # a2 alone that afternoon

    time_machine.move_to(at(11, 19, 9), tick=False)
    rollup.refresh_week(W4)
    assert figures_of(figures.a, W4)["planned", 0] == 5
    assert figures_of(figures.a, W4)["under_min", 0] == 2  # + Thu 19 Nov: nobody
    assert figures_of(figures.b, W4)["active", 0] == 1


def test_refreshing_a_week_twice_leaves_the_same_rows(figures):
    before = all_rows()
    written = rollup.refresh_week(W3)
    assert written == WeeklyFigure.objects.filter(week=W3).count()
    assert rollup.refresh_week(W3 + dt.timedelta(days=6)) == written  # any day of the week
    assert all_rows() == before


def test_a_refresh_follows_removed_and_added_questions(figures):
    huurtoeslag = figures.articles.huurtoeslag
    qa1 = Question.objects.get(hub=figures.a, date=day(11, 9), topic=figures.topics.huur)
    qa1.delete()
    QuestionFactory(hub=figures.a, date=day(11, 11), topic=figures.topics.afval, outcome="answered")
    assert figures_of(figures.a, W3)["q", 0] == 9  # not refreshed yet

    rollup.refresh_week(W3)
    after = figures_of(figures.a, W3)
    assert after["q", 0] == 9  # one removed, one added
    assert ("q_topic", figures.topics.huur.pk) not in after  # qa1 was the only Huur
    assert after["q_topic", figures.topics.afval.pk] == 1
    assert ("q_article", huurtoeslag.pk) not in after
    assert after["q_outcome", ANSWERED] == 3
    assert after["q_slot", MON * 3 + MORNING] == 2  # qa3 c1
    city = figures_of(None, W3)
    assert city["q_article", huurtoeslag.pk] == 1  # B's qb1 is left
    assert city["q_topic", figures.topics.huur.pk] == 1


def test_only_referred_questions_count_for_a_destination(figures):
    QuestionFactory(
        hub=figures.b,
        date=day(11, 12),
        topic=figures.topics.overig,
        outcome="answered",
        referral_target=figures.referrals.sociaal,  # left behind by an import, say
    )
    rollup.refresh_week(W3)
    assert ("q_referral", figures.referrals.sociaal.pk) not in figures_of(figures.b, W3)
    assert figures_of(figures.b, W3)["q_referral", figures.referrals.juridisch.pk] == 1  # qb3


def test_weeks_are_amsterdam_weeks(figures):
    # Question qa5 was logged on Sunday 15 Nov at 23:30 (its date is that Sunday) and
    # the knowledge gap of Monday 16 Nov 00:30 is still Sunday in UTC.
    assert figures.sunday_late.date == day(11, 15)
    assert figures_of(figures.a, W3)["q_outcome", ANSWERED] == 3  # qa1 qa4 qa5
    assert figures_of(figures.a, W3)["gaps", 0] == 2
    assert figures_of(figures.a, W4)["gaps", 0] == 1


def test_knowledge_gaps_around_the_end_of_summer_time(figures):
    # Summer time ended on Sunday 25 October 2026 at 03:00.
    for moment in (
        dt.datetime(2026, 10, 19, 0, 15, tzinfo=AMSTERDAM),  # Monday, first minutes
        dt.datetime(2026, 10, 25, 23, 45, tzinfo=AMSTERDAM),  # Sunday, last minutes
        dt.datetime(2026, 10, 26, 0, 15, tzinfo=AMSTERDAM),  # the next Monday
    ):
        gap = KnowledgeGap.objects.create(hub=figures.c, search_terms="zomertijd")
        KnowledgeGap.objects.filter(pk=gap.pk).update(created_at=moment)
    rollup.refresh_weeks([day(10, 19), W1])
    assert figures_of(figures.c, day(10, 19))["gaps", 0] == 2
    assert figures_of(figures.c, W1)["gaps", 0] == 1


def test_refresh_weeks_refreshes_each_week_once(figures):
    rows_w3 = WeeklyFigure.objects.filter(week=W3).count()
    rows_w4 = WeeklyFigure.objects.filter(week=W4).count()
    assert rollup.refresh_weeks([W3, day(11, 12), W4, day(11, 18)]) == rows_w3 + rows_w4


def test_rebuild_all_rolls_up_every_week_up_to_this_one(figures):
    # From the week of c13 (Monday 19 October), the first question, to this week.
    assert list(RollupWeek.objects.values_list("week", flat=True)) == [
        day(10, 19),
        W1,
        W2,
        W3,
        W4,
    ]
    assert rollup.last_refreshed() == NOW
    assert not WeeklyFigure.objects.filter(week__gt=W4).exists()
    # A's Thursday 19 Nov and B's: shifts of this week that have not started are not planned.
    assert figures_of(None, W4)["planned", 0] == 5  # A 3 + C 2


def test_rebuild_all_removes_weeks_after_this_one_and_before_the_first_data(figures):
    for week in (day(11, 30), dt.date(2026, 1, 5)):
        RollupWeek.objects.create(week=week, refreshed_at=NOW)
        WeeklyFigure.objects.create(week=week, hub=figures.a, metric="q", value=7)
    # A shift far ahead does not make its week a week to roll up.
    make_shift(hub=figures.a, day=day(12, 7), dagdeel=Dagdeel.OCHTEND)
    progress = []
    rollup.rebuild_all(progress=lambda done, total: progress.append((done, total)))
    assert progress == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    weeks = set(WeeklyFigure.objects.values_list("week", flat=True))
    assert weeks == {day(10, 19), W1, W2, W3, W4}
    assert RollupWeek.objects.count() == 5


def test_rebuild_all_without_any_data_leaves_no_figures(db):
    hub = HubFactory()
    RollupWeek.objects.create(week=dt.date(2026, 1, 5), refreshed_at=NOW)
    WeeklyFigure.objects.create(week=dt.date(2026, 1, 5), hub=hub, metric="q", value=3)
    WeeklyFigure.objects.create(week=dt.date(2026, 1, 5), hub=None, metric="q", value=3)
    assert rollup.rebuild_all(now=NOW) == 0
    assert not WeeklyFigure.objects.exists()
    assert not RollupWeek.objects.exists()
    assert rollup.last_refreshed() is None


def test_rebuild_all_starts_at_the_first_knowledge_gap(db):
    hub = HubFactory()
    gap = KnowledgeGap.objects.create(hub=hub, search_terms="oud")
    KnowledgeGap.objects.filter(pk=gap.pk).update(created_at=at(11, 8, 23, 30))  # Sunday W2
    QuestionFactory(hub=hub, date=day(11, 16))
    rollup.rebuild_all(now=NOW)
    assert list(RollupWeek.objects.values_list("week", flat=True)) == [W2, W3, W4]
    assert figures_of(hub, W2) == {("gaps", 0): 1}
