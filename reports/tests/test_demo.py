"""The demo history (reports.demo.seed_history) on a small city: two hubs, ten staff.

The history is drawn from a fixed random seed at a frozen moment, so the data come
out the same on every run; the tests check the rules the data must keep and the
patterns the report pages should show.
"""

import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from hubs.models import ClosingDay
from hubs.opening import OpeningCalendar
from hubs.services import closing_days_refresh
from questions.constants import CLOSED_STATUSES, CallbackEventKind, CallbackStatus, Outcome
from questions.demo import seed_topics
from questions.models import CallbackAttempt, CallbackRequest, KnowledgeGap, Question, Topic
from reports.demo import _add_working_hours, history_start, seed_history
from scheduling.constants import SignUpStatus
from scheduling.models import ClusterOffer, Shift, SignUp
from tests.factories import ArticleFactory, ClusterFactory, TeamFactory, staff_member

AMS = ZoneInfo("Europe/Amsterdam")
# Wednesday 4 November 2026, noon: the history runs from Monday 4 May to yesterday.
NOW = dt.datetime(2026, 11, 4, 12, 0, tzinfo=AMS)
FIRST, YESTERDAY = dt.date(2026, 5, 4), dt.date(2026, 11, 3)
WHIT_MONDAY = dt.date(2026, 5, 25)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def city(hub, other_hub, host, coordinator):
    """Feijenoord and Bloemhof (open Monday morning, Tuesday afternoon and Thursday),
    the closing days, ten staff in two clusters, the starting topics, the demo teams
    and one article."""
    closing_days_refresh(years=[2026])
    seed_topics()
    clusters = [ClusterFactory(name="Stadsbeheer"), ClusterFactory(name="Dienstverlening")]
    staff = [staff_member(cluster=clusters[n % 2]) for n in range(10)]
    for n, name in enumerate(
        ["Team Wonen", "Team Werk en Inkomen", "Team Belastingen", "Team Stadsbeheer"]
    ):
        TeamFactory(name=name, members=[staff[n]])
    TeamFactory(name="Team Zorg en Welzijn", members=[staff[4], staff[5]])
    letters = Topic.objects.get(name="Brief uitleggen")
    ArticleFactory(title="Een brief van de gemeente uitleggen").topics.add(letters)
    return [hub, other_hub]


def openings(hubs, first=FIRST, last=YESTERDAY) -> set[tuple]:
    calendar = OpeningCalendar(hubs, first, last)
    return {(o.hub_id, o.date, o.dagdeel) for h in hubs for o in calendar.openings(h.pk)}


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Shift,
            SignUp,
            ClusterOffer,
            Question,
            CallbackRequest,
            CallbackAttempt,
            KnowledgeGap,
        )
    }


def test_history_starts_26_whole_weeks_before_this_week():
    assert history_start(NOW.date()) == FIRST
    assert history_start(dt.date(2026, 11, 8)) == FIRST  # the Sunday of the same week
    assert history_start(dt.date(2026, 11, 9)) == FIRST + dt.timedelta(weeks=1)


def test_every_open_past_dagdeel_gets_one_shift_staffed_within_the_rules(city):
    result = seed_history(now=NOW)

    shifts = {(s.hub_id, s.date, s.dagdeel): s for s in Shift.objects.all()}
    assert set(shifts) == openings(city)
    assert result.shifts == len(shifts) > 2 * 26 * 3  # four dagdelen a week, less holidays
    assert not any(day == WHIT_MONDAY for _hub, day, _dagdeel in shifts)
    assert ClosingDay.objects.filter(date=WHIT_MONDAY, is_closed=True).exists()
    assert all(s.created_at < s.starts_at for s in shifts.values())

    # A few cancelled (with a reason), some under the minimum, some full.
    cancelled = [s for s in shifts.values() if s.is_cancelled]
    assert 0 < len(cancelled) < len(shifts) / 10
    assert all(s.cancel_reason for s in cancelled)
    open_shifts = [s for s in shifts.values() if not s.is_cancelled]
    assert any(s.confirmed_count < s.min_staff for s in open_shifts)
    assert any(s.confirmed_count == s.max_staff for s in open_shifts)

    # The count on the shift is its confirmed people; nobody is in two places at once.
    people = Counter(
        SignUp.objects.filter(status=SignUpStatus.CONFIRMED).values_list("shift_id", flat=True)
    )
    for shift in shifts.values():
        assert shift.confirmed_count == people[shift.pk] <= shift.max_staff
    places = Counter(SignUp.objects.values_list("user_id", "date", "dagdeel"))
    assert max(places.values()) == 1

    # Each sign-up carries the person's cluster; the host has none.
    for signup in SignUp.objects.select_related("user"):
        assert signup.cluster_id == signup.user.cluster_id
        assert signup.created_at < signup.shift.starts_at

    # Attendance: mostly came, a few did not, some not marked (more so last week).
    attended = Counter(SignUp.objects.values_list("attended", flat=True))
    total = sum(attended.values())
    assert attended[True] > 0.85 * total
    assert 0 < attended[False] < 0.08 * total
    assert 0 < attended[None] < 0.1 * total
    last_week = SignUp.objects.filter(date__gte=NOW.date() - dt.timedelta(days=7))
    assert last_week.filter(attended=None).count() > 0.1 * last_week.count()

    # Cluster offers on open shifts, never more places than the shift has.
    offers = ClusterOffer.objects.select_related("shift")
    assert offers and result.offers == offers.count()
    reserved = defaultdict(int)
    for offer in offers:
        assert not offer.shift.is_cancelled
        assert offer.release_at < offer.shift.starts_at
        reserved[offer.shift_id] += offer.places
    assert all(reserved[shift.pk] <= shift.max_staff for shift in shifts.values())


def test_questions_fill_the_open_dagdelen_with_the_patterns_of_a_real_desk(city):
    seed_history(now=NOW)

    shifts = {(s.hub_id, s.date, s.dagdeel): s for s in Shift.objects.all()}
    workers = defaultdict(set)
    for shift_id, user_id in SignUp.objects.values_list("shift_id", "user_id"):
        workers[shift_id].add(user_id)
    per_dagdeel = Counter()
    for question in Question.objects.all():
        shift = shifts[question.hub_id, question.date, question.dagdeel]
        assert not shift.is_cancelled
        assert shift.starts_at <= question.created_at < shift.ends_at
        assert question.created_by_id in workers[shift.pk]
        assert (question.outcome == Outcome.REFERRED) == (question.referral_target_id is not None)
        per_dagdeel[shift.pk] += 1
    # Every open dagdeel saw at least one resident; the cancelled ones none.
    assert set(per_dagdeel) == {s.pk for s in shifts.values() if not s.is_cancelled}

    questions = Question.objects.all()
    total = questions.count()
    # About 30–60 a week for these two busy hubs.
    assert 2 * 26 * 30 < total < 2 * 26 * 60
    outcomes = Counter(questions.values_list("outcome", flat=True))
    assert 0.70 < outcomes[Outcome.ANSWERED] / total < 0.82
    assert 0.14 < outcomes[Outcome.REFERRED] / total < 0.25
    assert 0.03 < outcomes[Outcome.CALLBACK] / total < 0.08
    # Referred where it fits the topic: debts go to debt counselling.
    debts = questions.filter(outcome=Outcome.REFERRED, topic__name="Schulden")
    assert Counter(debts.values_list("referral_target__name", flat=True)).most_common(1)[0][0] in (
        "Schuldhulpverlening",
        "Vraagwijzer",
    )
    # Topics are Zipf-like: letters far ahead of youth questions; subtopics are used.
    main = Counter(
        questions.values_list("topic__parent__name", flat=True).exclude(topic__parent=None)
    )
    assert main["Brieven en digitale hulp"] > 3 * main["Onderwijs en jeugd"] > 0
    # Some were answered with the one article there is.
    assert 0 < questions.filter(article__isnull=False).count() < total / 5

    # Busier on Monday morning than on Thursday morning (per open dagdeel), and
    # quieter in the summer weeks 29–33.
    def per_open(select) -> float:
        chosen = [s for s in shifts.values() if not s.is_cancelled and select(s)]
        return sum(per_dagdeel[s.pk] for s in chosen) / len(chosen)

    monday = per_open(lambda s: s.date.weekday() == 0)
    thursday = per_open(lambda s: s.date.weekday() == 3 and s.dagdeel == "ochtend")
    assert monday > 1.4 * thursday
    summer = per_open(lambda s: s.date.isocalendar().week in range(29, 34))
    rest = per_open(lambda s: s.date.isocalendar().week not in range(29, 34))
    assert summer < 0.7 * rest

    # Knowledge gaps: now and then, logged just after their question.
    gaps = list(KnowledgeGap.objects.select_related("question"))
    assert 0 < len(gaps) < total / 20
    for gap in gaps:
        assert (
            gap.question.created_at
            < gap.created_at
            < gap.question.created_at + dt.timedelta(minutes=10)
        )
        assert gap.resolved_at is None or gap.created_at < gap.resolved_at < NOW


def test_callbacks_are_handled_in_working_hours_and_purged_after_the_retention(city):
    seed_history(now=NOW)

    closed_days = set(ClosingDay.objects.closed().values_list("date", flat=True))
    callbacks = list(CallbackRequest.objects.select_related("question", "team"))
    asked = Question.objects.filter(outcome=Outcome.CALLBACK)
    assert len(callbacks) == asked.count() > 20
    statuses = Counter(c.status for c in callbacks)
    assert statuses[CallbackStatus.COMPLETED] > 0.8 * len(callbacks)
    assert 0 < statuses[CallbackStatus.UNREACHABLE] < 0.15 * len(callbacks)
    retention = dt.timedelta(days=settings.CALLBACK_RETENTION_DAYS)
    late = 0
    for callback in callbacks:
        assert callback.created_at == callback.question.created_at
        assert callback.hub_id == callback.question.hub_id
        if callback.first_attempt_at:
            # The first attempt 1 to 30 working hours after the request was made.
            assert (
                _add_working_hours(callback.created_at, 1, closed_days)
                <= callback.first_attempt_at
                <= _add_working_hours(callback.created_at, 30, closed_days)
            )
            assert callback.claimed_at <= callback.first_attempt_at
        if callback.status in CLOSED_STATUSES:
            assert callback.created_at < callback.first_attempt_at <= callback.closed_at < NOW
            late += callback.closed_at.astimezone(AMS).date() > callback.due_date
        else:
            assert callback.closed_at is None
        attempts = list(callback.attempts.all())
        assert all(a.at <= NOW for a in attempts)
        if callback.status == CallbackStatus.UNREACHABLE:
            assert callback.failed_attempts == len(attempts) == callback.team.max_attempts
        # Closed longer than the retention: the personal data are gone, as the nightly
        # purge does it; the others keep consent and a way to reach the resident.
        if callback.closed_at and callback.closed_at < NOW - retention:
            assert callback.closed_at + retention <= callback.purged_at <= NOW
            assert not any(getattr(callback, f) for f in CallbackRequest.PERSONAL_FIELDS)
            assert callback.events.filter(kind=CallbackEventKind.PURGED).exists()
        else:
            assert callback.purged_at is None
            assert callback.consent_at and callback.phone
    assert 0 < late < 0.25 * len(callbacks)
    assert any(c.purged_at for c in callbacks)
    # The newest are still in the queue.
    assert any(c.status in (CallbackStatus.OPEN, CallbackStatus.CLAIMED) for c in callbacks)


def test_running_again_adds_nothing_and_a_later_day_adds_only_the_new_days(city, frozen):
    seed_history(now=NOW)
    before = counts()
    attendance = dict(SignUp.objects.values_list("pk", "attended"))

    again = seed_history(now=NOW)
    assert counts() == before
    assert again.shifts == again.questions == again.callbacks == 0
    assert dict(SignUp.objects.values_list("pk", "attended")) == attendance

    # A week later the week in between is filled, and only that week.
    later = NOW + dt.timedelta(weeks=1)
    frozen.move_to(later, tick=False)
    seed_history(now=later)
    new_days = openings(city, NOW.date(), later.date() - dt.timedelta(days=1))
    assert new_days
    shifts = Shift.objects.filter(date__gte=NOW.date())
    assert {(s.hub_id, s.date, s.dagdeel) for s in shifts} == new_days
    assert Shift.objects.count() == before["Shift"] + len(new_days)
    assert Question.objects.filter(date__gte=NOW.date()).count() == (
        Question.objects.count() - before["Question"]
    )
