"""The analysis of a proposal against a small example worked out by hand."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache

from hubs.constants import Dagdeel
from proposals import selectors
from proposals.selectors import Change
from reports import rollup
from tests.factories import HubFactory, OpeningSlotFactory, QuestionFactory, ScheduleVersionFactory

pytestmark = pytest.mark.django_db

# Wednesday 4 November 2026: the evidence covers Wednesday 12 August to Tuesday 3 November.
TODAY = dt.date(2026, 11, 4)
MONDAY = dt.date(2026, 11, 2)
SATURDAY = dt.date(2026, 10, 31)

# The rollups are refreshed every 15 minutes; this is the one after midnight.
AMS = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 4, 0, 15, tzinfo=AMS)

T = dt.time


def slot(weekday, dagdeel, start, end) -> dict:
    return {"weekday": weekday, "dagdeel": dagdeel, "start_time": start, "end_time": end}


# Before: Monday morning and afternoon, Tuesday morning (3 dagdelen on 2 days).
BEFORE = [
    slot(0, Dagdeel.OCHTEND, T(9), T(12, 30)),
    slot(0, Dagdeel.MIDDAG, T(13), T(17)),
    slot(1, Dagdeel.OCHTEND, T(9), T(12, 30)),
]
# After: Monday morning later, Monday afternoon gone, Tuesday morning kept, Thursday
# evening and Saturday morning new (4 dagdelen on 4 days).
AFTER = [
    slot(0, Dagdeel.OCHTEND, T(10), T(12, 30)),
    slot(1, Dagdeel.OCHTEND, T(9), T(12, 30)),
    slot(3, Dagdeel.AVOND, T(18), T(21)),
    slot(5, Dagdeel.OCHTEND, T(10), T(13)),
]


def test_compare_marks_added_removed_and_changed_dagdelen():
    compare = selectors.compare_grids(BEFORE, AFTER)
    changes = {
        (row["day"].value, cell["dagdeel"].value): cell["change"]
        for row in compare["rows"]
        for cell in row["cells"]
        if cell["change"] != Change.SAME_CLOSED
    }
    assert changes == {
        (0, "ochtend"): Change.CHANGED,
        (0, "middag"): Change.REMOVED,
        (1, "ochtend"): Change.SAME_OPEN,
        (3, "avond"): Change.ADDED,
        (5, "ochtend"): Change.ADDED,
    }
    assert len(compare["added"]) == 2
    assert len(compare["removed"]) == 1
    assert len(compare["changed"]) == 1
    assert not compare["unchanged"]
    assert selectors.compare_grids(BEFORE, BEFORE)["unchanged"]


def test_norm_counts_dagdelen_and_days():
    before, after = selectors.norm_of(BEFORE), selectors.norm_of(AFTER)
    assert (before.dagdelen, before.days, before.meets) == (3, 2, False)
    assert (after.dagdelen, after.days, after.meets) == (4, 4, True)
    # Four dagdelen on two days is still below the norm (at least three days).
    two_days = [slot(d, dd, T(9), T(12)) for d in (0, 1) for dd in (Dagdeel.OCHTEND, "middag")]
    assert selectors.norm_of(two_days).meets is False


def test_staffing_is_dagdelen_times_minimum_staff():
    hub = HubFactory(min_staff=3, max_staff=4)
    staffing = selectors.staffing_effect(hub, BEFORE, AFTER)
    assert (staffing.before, staffing.after, staffing.difference) == (9, 12, 3)
    fewer = selectors.staffing_effect(hub, AFTER, BEFORE)
    assert (fewer.difference, fewer.size_of_difference) == (-3, 3)


def _log_example(hub, other):
    """Questions of the worked example: 4 on Monday morning, 2 + 1 without a dagdeel
    on Saturday, and three that do not count."""
    for _ in range(3):
        QuestionFactory(hub=hub, date=MONDAY, dagdeel=Dagdeel.OCHTEND)
    QuestionFactory(hub=hub, date=MONDAY - dt.timedelta(weeks=11), dagdeel=Dagdeel.OCHTEND)
    for _ in range(2):
        QuestionFactory(hub=hub, date=SATURDAY, dagdeel=Dagdeel.OCHTEND)
    QuestionFactory(hub=hub, date=SATURDAY, dagdeel="")  # dagdeel not recorded
    # Not counted: today, before the twelve weeks, another hub.
    QuestionFactory(hub=hub, date=TODAY, dagdeel=Dagdeel.MIDDAG)
    QuestionFactory(hub=hub, date=TODAY - dt.timedelta(weeks=12, days=1), dagdeel="ochtend")
    QuestionFactory(hub=other, date=MONDAY, dagdeel=Dagdeel.OCHTEND)


def _roll_up(at: dt.datetime = NOW) -> None:
    """The weekly rollups of every week the evidence touches, refreshed ``at``."""
    first = TODAY - dt.timedelta(weeks=selectors.EVIDENCE_WEEKS)
    rollup.refresh_weeks(rollup.weeks_between(first, TODAY), now=at)


@pytest.mark.parametrize("rolled_up", [False, True], ids=["counted live", "from the rollups"])
def test_evidence_counts_questions_per_weekday_and_dagdeel(rolled_up):
    hub, other = HubFactory(), HubFactory()
    _log_example(hub, other)
    if rolled_up:
        _roll_up()

    evidence = selectors.question_evidence(hub, TODAY, AFTER)
    assert (evidence["first"], evidence["last"]) == (dt.date(2026, 8, 12), dt.date(2026, 11, 3))
    cells = {
        (row["day"].value, cell["dagdeel"].value): cell
        for row in evidence["rows"]
        for cell in row["cells"]
    }
    assert cells[(0, "ochtend")]["count"] == 4
    assert cells[(5, "ochtend")]["count"] == 2
    assert cells[(2, "middag")]["count"] == 0
    saturday = evidence["rows"][5]
    assert (saturday["unknown"], saturday["total"]) == (1, 3)
    assert evidence["total"] == 7
    assert evidence["has_unknown"]
    # Monday and Saturday morning are open in the proposal: 4 + 2 questions.
    assert evidence["in_proposed"] == 6
    assert cells[(0, "ochtend")]["proposed_open"] and cells[(5, "ochtend")]["proposed_open"]
    assert not cells[(0, "middag")]["proposed_open"]
    # The busiest cell is the darkest, half of it is level 2, an empty cell level 0.
    levels = (cells[(0, "ochtend")]["level"], cells[(5, "ochtend")]["level"])
    assert levels == (4, 2)
    assert cells[(2, "middag")]["level"] == 0


@pytest.mark.parametrize("rolled_up", [False, True], ids=["counted live", "from the rollups"])
@pytest.mark.parametrize("per_day", [1, 20])
def test_evidence_costs_three_queries_whatever_the_number_of_questions_or_the_rollups(
    django_assert_num_queries, per_day, rolled_up
):
    hub = HubFactory()
    for offset in range(1, 15):
        for _ in range(per_day):
            QuestionFactory(hub=hub, date=TODAY - dt.timedelta(days=offset), dagdeel="middag")
    if rolled_up:
        _roll_up()
    # The rolled-up weeks, the hub's figures of those weeks, and the grouped count per
    # ISO weekday and dagdeel of what they do not hold: always all three, rolled up or
    # not, so the proposal page makes the same queries in every state.
    with django_assert_num_queries(3):
        evidence = selectors.question_evidence(hub, TODAY, AFTER)
    assert evidence["total"] == 14 * per_day
    assert all(row["cells"][1]["count"] == 2 * per_day for row in evidence["rows"])


def test_evidence_counts_live_what_the_rollups_do_not_hold_yet(django_assert_num_queries):
    hub, other = HubFactory(), HubFactory()
    _log_example(hub, other)
    # Rolled up on Tuesday morning: that week's Monday is in the figures, Tuesday was
    # still under way. Questions logged later that Tuesday count all the same.
    _roll_up(at=dt.datetime(2026, 11, 3, 9, 0, tzinfo=AMS))
    QuestionFactory.create_batch(5, hub=hub, date=TODAY - dt.timedelta(days=1), dagdeel="avond")
    # The rolled-up weeks, their figures, and one grouped count of Tuesday's questions
    # (the day was not over when rolled up) and of those without a dagdeel in
    # Saturday's week (the rollups hold those per week, not per day).
    with django_assert_num_queries(3):
        evidence = selectors.question_evidence(hub, TODAY, AFTER)
    tuesday, saturday = evidence["rows"][1], evidence["rows"][5]
    assert evidence["rows"][0]["cells"][0]["count"] == 4
    assert tuesday["cells"][2]["count"] == 5
    assert (saturday["unknown"], saturday["total"]) == (1, 3)
    assert evidence["total"] == 12


def test_evidence_needs_no_question_rows_once_the_weeks_are_rolled_up(django_assert_num_queries):
    hub = HubFactory()
    QuestionFactory.create_batch(3, hub=hub, date=SATURDAY, dagdeel=Dagdeel.AVOND)
    _roll_up()
    # A question logged afterwards for a day the rollups hold (only possible in a test:
    # questions are logged for today) shows the figures are what is read.
    QuestionFactory(hub=hub, date=SATURDAY, dagdeel=Dagdeel.AVOND)
    # The third query counts an empty day range: nothing is left to count live.
    with django_assert_num_queries(3):
        evidence = selectors.question_evidence(hub, TODAY, AFTER)
    assert evidence["rows"][5]["cells"][2]["count"] == 3


@pytest.fixture
def report_cache(settings):
    """The cache on, as in production (the tests run with REPORT_CACHE_SECONDS = 0)."""
    settings.REPORT_CACHE_SECONDS = 900
    cache.clear()
    yield
    cache.clear()


def test_evidence_of_days_that_are_over_is_kept_for_the_day(
    report_cache, django_assert_num_queries
):
    hub, other = HubFactory(), HubFactory()
    _log_example(hub, other)
    with django_assert_num_queries(3):
        first = selectors.question_evidence(hub, TODAY, AFTER)
    # Later that day, for someone else or another proposal of the hub: the same counts,
    # without asking the database (only today's questions can be added meanwhile, and
    # today is not part of the evidence).
    QuestionFactory(hub=hub, date=TODAY, dagdeel=Dagdeel.OCHTEND)
    with django_assert_num_queries(0):
        again = selectors.question_evidence(hub, TODAY, BEFORE)
    assert again["total"] == first["total"] == 7
    assert [row["total"] for row in again["rows"]] == [row["total"] for row in first["rows"]]
    assert again["in_proposed"] != first["in_proposed"]  # marked for the other grid
    # The next day counts anew, with the two questions of the day before (the example's
    # and the one above); another hub has counts of its own.
    with django_assert_num_queries(3):
        tomorrow = selectors.question_evidence(hub, TODAY + dt.timedelta(days=1), AFTER)
    assert tomorrow["total"] == 9
    with django_assert_num_queries(3):
        assert selectors.question_evidence(other, TODAY, AFTER)["total"] == 1


def test_analysis_of_a_hub_without_opening_hours_and_of_a_broken_grid():
    hub = HubFactory()
    analysis = selectors.proposal_analysis(hub, before_version=None, after_slots=AFTER, today=TODAY)
    assert analysis["complete"]
    assert len(analysis["compare"]["added"]) == 4
    assert analysis["staffing"].before == 0
    broken = selectors.proposal_analysis(hub, before_version=None, after_slots=None, today=TODAY)
    assert not broken["complete"]
    assert "compare" not in broken


def test_version_in_force_leaves_out_the_excluded_version():
    hub = HubFactory()
    old = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 1, 5))
    OpeningSlotFactory(version=old)
    new = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2027, 1, 4))
    day = dt.date(2027, 2, 1)
    assert selectors.version_in_force(hub, day) == new
    assert selectors.version_in_force(hub, day, exclude_pk=new.pk) == old
    assert selectors.version_in_force(hub, dt.date(2025, 12, 1)) is None


def test_version_in_force_comes_with_its_slots_in_one_query(django_assert_num_queries):
    hub = HubFactory()
    old = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 1, 5))
    OpeningSlotFactory(version=old, weekday=0, dagdeel=Dagdeel.OCHTEND)
    new = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 6, 1))
    for weekday in (1, 2):
        OpeningSlotFactory(version=new, weekday=weekday, dagdeel=Dagdeel.MIDDAG)
    later = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2027, 1, 4))
    OpeningSlotFactory(version=later, weekday=4, dagdeel=Dagdeel.AVOND)

    with django_assert_num_queries(1):
        version = selectors.version_in_force(hub, TODAY)
        slots = list(version.slots.all())
    assert version == new
    assert sorted(s.weekday for s in slots) == [1, 2]
    assert all(s.version is version for s in slots)
    # A version left out (a decided proposal's own) gives the one before it.
    assert selectors.version_in_force(hub, TODAY, exclude_pk=new.pk) == old
    assert selectors.version_in_force(hub, dt.date(2027, 1, 4)) == later


def test_version_in_force_without_open_dagdelen_or_without_any_version():
    hub = HubFactory()
    assert selectors.version_in_force(hub, TODAY) is None
    closed = ScheduleVersionFactory(hub=hub, valid_from=dt.date(2026, 1, 5))
    version = selectors.version_in_force(hub, TODAY)
    assert version == closed
    assert list(version.slots.all()) == []
