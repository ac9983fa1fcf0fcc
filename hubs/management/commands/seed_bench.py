"""manage.py seed_bench: a city-scale year of data for the benchmark (bench/run.py).

PostgreSQL only, into an empty migrated database. The work is done in bench/seeding.py.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Seeds a busy year for the benchmark: 39 hubs and the mobile hub, 3,000 staff, "
        "~20,000 shifts, ~100,000 sign-ups, 1,000,000 questions, 100,000 callbacks, "
        "200 proposals at --scale 1. PostgreSQL only, into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="1 is the full city, 0.01 a hundredth of the volumes (default 1).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, scale, seed, **options):
        from bench import seeding

        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_bench needs PostgreSQL (it writes with COPY). Set DATABASE_URL, e.g. "
                "postgres://postgres@127.0.0.1:5432/wijkhubs_bench, or run `make bench`."
            )
        started = time.monotonic()
        try:
            city = seeding.seed(scale, random_seed=seed, stream=sys.stderr)
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        rollups = seeding.rebuild_rollups(stream=sys.stderr)
        seconds = time.monotonic() - started
        counts = ", ".join(f"{name} {count:,}" for name, count in city.counts.items())
        steps = ", ".join(f"{name} {t:.1f}s" for name, t in city.timings.items())
        self.stdout.write(f"Seeded at scale {scale:g}: {counts}.")
        self.stdout.write(f"Steps: {steps}. Report rollups: {rollups}.")
        self.stdout.write(self.style.SUCCESS(f"seed_bench took {seconds:.1f}s"))
