"""Twenty team members press "Oppakken" on the same callback at once: exactly one
owns it, the other nineteen are told who does.

Runs on real PostgreSQL (CI sets DATABASE_URL); each thread has its own database
connection, so the row lock in services.callback_claim is what keeps them apart.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from questions.constants import CallbackEventKind, CallbackStatus
from questions.services import CallbackError, callback_claim
from tests.factories import TeamFactory, UserFactory, make_callback

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 20


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")


def test_twenty_members_claim_at_once_and_exactly_one_gets_it():
    _needs_postgres()
    members = [UserFactory() for _ in range(PARALLEL)]
    team = TeamFactory(members=members)
    callback = make_callback(team=team)
    barrier = threading.Barrier(PARALLEL)

    def attempt(user):
        try:
            barrier.wait(timeout=30)
            started = time.perf_counter()
            try:
                callback_claim(callback_id=callback.pk, user=user)
                return ("ok", user.pk, None, time.perf_counter() - started)
            except CallbackError as exc:
                return (exc.code, user.pk, str(exc.message), time.perf_counter() - started)
        finally:
            connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        results = list(pool.map(attempt, members))
    wall = time.perf_counter() - started

    codes = [r[0] for r in results]
    assert codes.count("ok") == 1, results
    assert codes.count("taken") == PARALLEL - 1, results
    winner_pk = next(r[1] for r in results if r[0] == "ok")
    winner = next(m for m in members if m.pk == winner_pk)
    # Every loser is told the winner's name.
    assert all(str(winner) in r[2] for r in results if r[0] == "taken"), results
    callback.refresh_from_db()
    assert callback.claimed_by_id == winner_pk
    assert callback.status == CallbackStatus.CLAIMED
    assert callback.events.filter(kind=CallbackEventKind.CLAIMED).count() == 1
    slowest = max(r[3] for r in results)
    print(
        f"\n{PARALLEL} parallel claims: {wall * 1000:.0f} ms wall, "
        f"slowest claim {slowest * 1000:.0f} ms"
    )
