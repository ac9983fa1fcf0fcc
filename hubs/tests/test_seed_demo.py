"""manage.py seed_demo: the demo city, safe to run again.

Seeding is slow (it rosters the demo city), so each test seeds as few times as
it can and checks several things at once.
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
