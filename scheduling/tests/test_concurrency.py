"""Twenty people take the last place at the same moment: exactly one gets it.

Runs on real PostgreSQL (CI sets DATABASE_URL); each thread has its own database
connection, so the row locks in scheduling.services are what keeps them apart.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, transaction

from scheduling.models import Shift, SignUp
from scheduling.services import RosterError, ShiftFull, signup_create
from tests.factories import make_shift, staff_member

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 24


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")


@pytest.fixture
def last_place_shift(time_machine):
    time_machine.move_to("2026-12-01 09:00 +01:00", tick=True)
    shift = make_shift(min_staff=1, max_staff=3)
    for _ in range(2):
        signup_create(shift_id=shift.pk, user=staff_member())
    return shift


def test_parallel_signups_for_the_last_place_give_it_to_exactly_one(last_place_shift):
    _needs_postgres()
    people = [staff_member() for _ in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)

    def attempt(user):
        try:
            barrier.wait(timeout=30)
            signup_create(shift_id=last_place_shift.pk, user=user)
            return "ok"
        except ShiftFull:
            return "vol"
        except RosterError as exc:
            return f"other: {exc.message}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        results = list(pool.map(attempt, people))

    assert results.count("ok") == 1, results
    assert results.count("vol") == PARALLEL - 1, results
    last_place_shift.refresh_from_db()
    assert last_place_shift.confirmed_count == 3
    assert SignUp.objects.confirmed().filter(shift=last_place_shift).count() == 3


def test_the_database_refuses_an_overbooked_shift_even_without_the_service(last_place_shift):
    Shift.objects.filter(pk=last_place_shift.pk).update(confirmed_count=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.filter(pk=last_place_shift.pk).update(confirmed_count=4)


def test_the_database_refuses_two_places_in_one_dagdeel(last_place_shift):
    user = staff_member()
    other = make_shift(day=last_place_shift.date, dagdeel=last_place_shift.dagdeel)
    SignUp.objects.create(
        shift=last_place_shift,
        user=user,
        date=last_place_shift.date,
        dagdeel=last_place_shift.dagdeel,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(shift=other, user=user, date=other.date, dagdeel=other.dagdeel)
