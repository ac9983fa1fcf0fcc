"""The benchmark harness (issue 7): its figures are computed right, and the seeder makes
a city that keeps the models' rules.

The seeder test needs PostgreSQL (it writes with COPY): run with DATABASE_URL set to a
postgres:// database, as CI does; without it that test is skipped.
"""

import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse

from bench import report, seeding
from bench.client import Sample, percentile, summarize, throughput_ratio

# --- figures ----------------------------------------------------------------------------------


def test_percentile_interpolates_between_the_closest_ranks():
    values = [float(v) for v in range(1, 11)]  # 1..10
    assert percentile(values, 0) == 1
    assert percentile(values, 50) == pytest.approx(5.5)
    assert percentile(values, 95) == pytest.approx(9.55)  # 9 + 0.55 × (10 − 9)
    assert percentile(values, 100) == 10
    assert percentile(list(reversed(values)), 50) == pytest.approx(5.5)  # order does not matter
    assert percentile([42.0], 95) == 42


def test_percentile_refuses_no_values_and_a_p_outside_0_to_100():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_counts_throughput_over_the_wall_clock_and_unexpected_statuses_as_errors():
    # Four requests from two clients over 2 seconds: two at a time, 1 s each.
    samples = [
        Sample(started=0.0, seconds=1.0, status=200),
        Sample(started=0.0, seconds=1.0, status=200),
        Sample(started=1.0, seconds=1.0, status=200),
        Sample(started=1.0, seconds=1.0, status=302),
    ]
    summary = summarize(samples)
    assert summary.n == 4
    assert summary.rps == pytest.approx(2.0)
    assert summary.p50_ms == pytest.approx(1000)
    assert summary.mean_ms == pytest.approx(1000)
    assert summary.errors == 1
    assert summary.statuses == {"200": 3, "302": 1}
    assert summarize(samples, expected=(200, 302)).errors == 0


def test_throughput_ratio_is_a_share_of_the_ceiling():
    assert throughput_ratio(50, 200) == pytest.approx(0.25)
    assert throughput_ratio(50, 0) == 0


def test_a_page_passes_only_within_every_target():
    good = {"p95_ms": 120.0, "queries": 9, "ratio": 0.4, "errors": 0}
    assert report.misses(good, {"queries": 9}, full_scale=True) == []
    slow = {**good, "p95_ms": 151.0, "ratio": 0.2}
    assert report.misses(slow, {"queries": 9}, full_scale=True) == [
        "p95 > 150 ms",
        "throughput < 25% of ceiling",
    ]
    assert report.misses(good, {"queries": 8}, full_scale=True) == ["queries differ between scales"]
    assert report.misses({**good, "queries": 16}, None, full_scale=False) == ["queries > 15"]
    # Latency is judged at full scale only.
    assert report.misses(slow, None, full_scale=False) == []


def _scale(**extra):
    page = {"title": "Desk", "role": "host", "queries": 7, "p50_ms": 60.0, "p95_ms": 70.0}
    page |= {"mean_ms": 60.0, "rps": 150.0, "ratio": 0.1, "n": 200, "errors": 0}
    page |= {"single_ms": 9.0, "sql_ms": 2.0, "html_kb": 21.0, **extra}
    return {"ceiling": {"rps": 1500.0, "queries": 0}, "pages": {"desk": page}}


def test_the_logged_in_trivial_view_is_shown_beside_the_ceiling_but_judges_nothing():
    data = _scale(ratio_staff=0.25)
    data["ceiling_staff"] = {
        "rps": 600.0,
        "before": {"rps": 620.0},
        "after": {"rps": 580.0},
        "queries": 3,
        "single_ms": 1.6,
        "sql_ms": 0.5,
    }
    table = report.to_markdown({"scales": {"1": data}})
    assert (
        "The same trivial view logged in (a medewerker's session, as every staff page has): "
        "600.0 req/s (before 620.0, after 580.0), 0.40 × the ceiling; 3 queries (session, "
        "user, roles), alone 1.6 ms (0.5 SQL)." in table
    )
    assert "| × ceiling | × logged-in trivial | n |" in table
    assert "| 150.0 | 0.10 | 0.25 | 200 | 0 | 9.0 (2.0) | 21 | FAIL: throughput < 25%" in table
    # Without it (an older results.json), the table has no such column.
    table = report.to_markdown({"scales": {"1": _scale()}})
    assert "logged in" not in table
    assert "| 150.0 | 0.10 | 200 | 0 | 9.0 (2.0) | 21 | FAIL: throughput < 25%" in table


def test_before_and_after_sets_each_page_beside_the_baseline():
    page = {"title": "Week grid", "p95_ms": 90.0, "rps": 120.0, "ratio": 0.15, "single_ms": 12.0}
    results = {"scales": {"1": {"pages": {"week": page}}}}
    old = {"p95_ms": 3158.6, "rps": 3.9, "ratio": 0.01, "single_ms": 385.5}
    baseline = {
        "machine": {"date": "2026-11-22T18:28:39+00:00", "commit": "b5b170e259abc"},
        "scales": {"1": {"pages": {"week": old}}},
    }
    table = report.to_markdown(results, baseline)
    assert "## Before and after (full scale)" in table
    assert "| Week grid | 3158.6 | 90.0 | 3.9 | 120.0 | 0.01 | 0.15 | 385.5 | 12.0 |" in table
    assert "Before: commit b5b170e259 with its own bench and seeder, measured 2026-11-22" in table
    assert "Before and after" not in report.to_markdown(results)


def test_the_ceiling_view_is_not_routed_in_a_normal_run():
    with pytest.raises(NoReverseMatch):
        reverse("bench_ceiling")


def test_rebuild_rollups_is_skipped_without_a_reports_rollup_module(monkeypatch):
    monkeypatch.setitem(sys.modules, "reports", None)  # the import raises ModuleNotFoundError
    assert seeding.rebuild_rollups().startswith("skipped")


# --- the seeder ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_bench_refuses_sqlite():
    if connection.vendor == "postgresql":
        pytest.skip("checks the refusal on SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_bench", "--scale", "0.01", stdout=StringIO())


@pytest.mark.postgres
@pytest.mark.django_db
def test_seeded_city_has_the_sizes_and_keeps_the_rules(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")
    from accounts.models import User
    from bench.checks import roster_problems
    from hubs.models import Hub
    from proposals.constants import Status
    from proposals.models import Proposal
    from questions.constants import Outcome
    from questions.models import CallbackRequest, Question
    from scheduling.models import Shift

    # The report rollups are the reports app's own concern (and tests).
    monkeypatch.setattr(seeding, "rebuild_rollups", lambda stream=None: "skipped")
    scale = 0.002
    sizes = seeding.Sizes.at(scale)
    out = StringIO()
    call_command("seed_bench", "--scale", str(scale), stdout=out, stderr=StringIO())
    assert "Seeded at scale 0.002" in out.getvalue()

    assert Hub.objects.count() == 40
    assert Hub.objects.filter(is_mobile=True).count() == 1
    assert User.objects.count() == sizes.staff == 30
    for role in ["host", "medewerker", "kcc", "wijkmanager", "wijkraad", "coordinator"]:
        assert User.objects.filter(email=seeding.cast_email(role)).exists(), role
    # Questions: about the asked number, spread over the dagdelen that took place.
    questions = Question.objects.count()
    assert sizes.questions * 0.9 <= questions <= sizes.questions * 1.1
    # Every callback question has its callback request, and only those.
    callbacks = Question.objects.filter(outcome=Outcome.CALLBACK).count()
    assert CallbackRequest.objects.count() == callbacks > 0
    assert not Question.objects.filter(
        outcome=Outcome.REFERRED, referral_target__isnull=True
    ).exists()
    unpurged = CallbackRequest.objects.filter(purged_at__isnull=True)
    assert not unpurged.filter(consent_at__isnull=True).exists()
    assert not unpurged.filter(phone="", email="").exists()
    # The roster: shifts into the horizon, nobody overbooked or in two places at once.
    assert Shift.objects.filter(date__gt=seeding.timezone.localdate()).exists()
    assert roster_problems() == {
        "overbooked_shifts": 0,
        "confirmed_count_mismatches": 0,
        "confirmed_count_over_max": 0,
        "people_with_two_places_in_a_dagdeel": 0,
    }
    # Proposals in every state; the planned and in-force ones have their opening hours.
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Status.values)
    scheduled = Proposal.objects.filter(status__in=[Status.PLANNED, Status.IN_FORCE])
    assert not scheduled.filter(effective_version__isnull=True).exists()
    # Rows in time order, hubs mixed, as a real city writes them: the ids of shifts and
    # questions follow their start, and consecutive rows belong to different hubs.
    shift_rows = list(Shift.objects.order_by("pk").values_list("starts_at", "hub_id"))
    assert [at for at, _hub in shift_rows] == sorted(at for at, _hub in shift_rows)
    assert len({hub for _at, hub in shift_rows[:40]}) > 10
    days = list(Question.objects.order_by("pk").values_list("date", flat=True))
    assert days == sorted(days)


@pytest.mark.postgres
@pytest.mark.django_db
def test_seed_bench_refuses_a_database_with_data(hub):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")
    with pytest.raises(CommandError, match="empty"):
        call_command("seed_bench", "--scale", "0.002", stdout=StringIO(), stderr=StringIO())
