"""manage.py seed_demo: the demo city with half a year of past, safe to run again.

Seeding is slow (it rosters the demo city and fills its past), so each test seeds
as few times as it can and checks several things at once. The history's own rules
are tested on a small city in reports/tests/test_demo.py.
"""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from accounts.constants import Role
from accounts.models import RoleAssignment, User
from hubs import demo_data
from hubs.models import ClosingDay, Closure, Hub, MobileStop, OpeningSlot, ScheduleVersion
from hubs.opening import OpeningCalendar
from proposals.models import Proposal, Transition
from questions.models import CallbackAttempt, CallbackRequest, KnowledgeGap, Question
from reports.models import RollupWeek, WeeklyFigure
from reports.period import default_period
from reports.report import Scope, build_report
from scheduling.models import ClusterOffer, Shift, SignUp

AMS = ZoneInfo("Europe/Amsterdam")
# Wednesday 4 November 2026, noon.
DAY = dt.datetime(2026, 11, 4, 12, 0, tzinfo=AMS)
DEMO_EMAILS = {
    "host@example.org": Role.HOST,
    "medewerker@example.org": Role.MEDEWERKER,
    "kcc@example.org": Role.KCC,
    "wijkmanager@example.org": Role.WIJKMANAGER,
    "wijkraad@example.org": Role.WIJKRAAD,
    "coordinator@example.org": Role.COORDINATOR,
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The command hashes a password per demo user; the real hasher takes ~1 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(moment: dt.datetime) -> str:
    out = StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Hub,
            ScheduleVersion,
            OpeningSlot,
            Closure,
            MobileStop,
            ClosingDay,
            User,
            RoleAssignment,
            Shift,
            SignUp,
            ClusterOffer,
            Question,
            CallbackRequest,
            CallbackAttempt,
            KnowledgeGap,
            Proposal,
            RollupWeek,
            WeeklyFigure,
        )
    }


def test_seed_builds_the_demo_city():
    output = seed(DAY)

    # 39 hubs and the mobile hub.
    assert Hub.objects.count() == 40
    assert Hub.objects.filter(is_mobile=False).count() == 39
    mobile = Hub.objects.get(is_mobile=True)
    assert mobile.name == demo_data.MOBILE_HUB
    assert Hub.objects.get(name="Feijenoord").address == "Oranjeboomstraat 169"
    assert "Demo" in Hub.objects.get(name="Ommoord").description
    assert "Demo data ready: 40 hubs" in output

    # The six demo accounts, each with its role and the demo password.
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_EMAILS)}
    assert set(users) == set(DEMO_EMAILS)
    for email, role in DEMO_EMAILS.items():
        assert users[email].check_password("wijkhub-demo")
        assert users[email].access.has_role(role)
    assert Hub.objects.manageable_by(users["wijkmanager@example.org"]).count() == 4

    # Exactly one hub below the norm.
    monday = DAY.date() - dt.timedelta(days=DAY.weekday())
    hubs = list(Hub.objects.filter(is_mobile=False))
    calendar = OpeningCalendar(hubs, monday, monday)
    below = [h.name for h in hubs if not calendar.version_on(h.pk, monday).meets_norm()]
    assert below == ["Heijplaat"]

    # The mobile hub stops on weekdays and is open at its morning stop.
    stops = list(MobileStop.objects.filter(hub=mobile))
    assert stops and all(stop.date.weekday() < 5 for stop in stops)
    assert mobile.is_open_at(DAY.replace(hour=10))

    # Closing days of this year and next.
    assert ClosingDay.objects.filter(date=dt.date(2026, 5, 5), is_closed=True).exists()
    assert ClosingDay.objects.filter(date=dt.date(2027, 12, 25)).exists()

    # Half a year of past, from Monday 4 May, every hub (the mobile one too) open in it.
    first = dt.date(2026, 5, 4)
    past = Shift.objects.filter(date__lt=DAY.date())
    assert past.order_by("date").first().date == first
    assert set(past.values_list("hub_id", flat=True)) == set(
        Hub.objects.values_list("pk", flat=True)
    )
    assert "History since 04-05-2026" in output
    # Some hubs open on Wednesday afternoon, the desk's busiest time after Monday morning.
    assert past.filter(date__week_day=4, dagdeel="middag").exists()
    # About 30–40 questions per hub per open week.
    hub_weeks = {(hub, day.isocalendar()[:2]) for hub, day in past.values_list("hub_id", "date")}
    assert 28 < Question.objects.count() / len(hub_weeks) < 42
    # No callback closed before it was made (an old demo bug), and proposals lived
    # their lives in the past: submitted before decided, both before now.
    assert not any(c.closed_at < c.created_at for c in CallbackRequest.objects.closed())
    for proposal in Proposal.objects.all():
        assert proposal.created_at < DAY
        if proposal.decided_at:
            assert proposal.created_at <= proposal.submitted_at < proposal.decided_at < DAY
    assert all(t.at < DAY for t in Transition.objects.all())

    # The weeks are rolled up, and a quarter's report has numbers in every table.
    assert RollupWeek.objects.count() == 27
    assert "Reports: 27 weeks rolled up" in output
    feijenoord = Hub.objects.get(name="Feijenoord")
    for scope in (
        Scope("city", "Rotterdam", None),
        Scope("hub", feijenoord.name, [feijenoord.pk], feijenoord),
    ):
        report = build_report(scope, default_period(DAY.date()), today=DAY.date())
        for table in report.tables:
            assert table.rows, (scope.name, table.id)
            figures = [v for row in table.rows for v in row[1:] if isinstance(v, int | float)]
            assert any(figures), (scope.name, table.id)
        if scope.is_city:  # a hub may have had no proposal to answer, say
            headline = {row[0]: row[1] for row in report.headline.rows}
            assert all(value is not None for value in headline.values()), headline


def test_seed_is_idempotent_on_the_same_day_and_later():
    seed(DAY)
    before = snapshot()
    versions = set(ScheduleVersion.objects.values_list("hub__name", "valid_from"))

    seed(DAY)
    assert snapshot() == before

    # A week and a bit later (``make run`` seeds every time): no fresh copy of
    # every schedule, which would override what was edited in the demo since.
    seed(DAY + dt.timedelta(days=9))
    assert set(ScheduleVersion.objects.values_list("hub__name", "valid_from")) == versions
    assert Hub.objects.count() == 40
    assert User.objects.filter(email__in=DEMO_EMAILS).count() == 6
