"""manage.py rebuild_reports: rolls up the weekly report figures again.

After loading data, a restore or a change to how a metric is counted. Without
options every week from the first question or shift up to this week; with
``--weeks N`` only the last N (this week included). Safe to run while the portal
is in use: each week is replaced in one transaction.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports import rollup


class Command(BaseCommand):
    help = "Rolls up the weekly figures behind the report pages (every week, or the last N)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--weeks",
            type=int,
            metavar="N",
            help="Only the last N weeks, this week included.",
        )

    def handle(self, *args, weeks=None, verbosity=1, **options):
        if weeks is not None and weeks < 1:
            raise CommandError("--weeks must be 1 or more.")

        def progress(done: int, total: int) -> None:
            if verbosity and (done == total or done % 10 == 0):
                self.stdout.write(f"  {done}/{total} weeks")

        if weeks is None:
            rows = rollup.rebuild_all(progress=progress)
            self.stdout.write(self.style.SUCCESS(f"Rolled up every week: {rows} figures."))
            return
        today = timezone.localdate()
        mondays = sorted(rollup.monday(today) - dt.timedelta(weeks=i) for i in range(weeks))
        rows = 0
        for done, week in enumerate(mondays, 1):
            rows += rollup.refresh_week(week)
            progress(done, len(mondays))
        self.stdout.write(self.style.SUCCESS(f"Rolled up {len(mondays)} weeks: {rows} figures."))
