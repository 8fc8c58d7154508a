"""Time the deadline reminder scan alone: a first day over every open deadline, then the steady state.
docs/benchmarks.md.

    manage.py bench_scan --cases 100000 --steady-runs 5

Like `manage.py bench` it writes fictional rows, so it refuses a database whose name lacks "bench"
unless --i-know-this-writes-fake-data. Cases come from `manage.py bench` (or its seeder here, if the
database holds fewer than --cases); each case gets three tracker deadlines (bench/deadlines.py).
"""

from __future__ import annotations

import os
import statistics

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cases.models import Case


class Command(BaseCommand):
    help = "Seed three deadlines per bench case and time the reminder scan: first run and steady state."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000, help="cases the database should hold")
        parser.add_argument("--first-runs", type=int, default=1, help="times to reset and time the first run")
        parser.add_argument("--steady-runs", type=int, default=5, help="steady-state runs after each")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the steady-state probe")
        parser.add_argument("--i-know-this-writes-fake-data", action="store_true", dest="any_database")

    def handle(self, *args, **options):
        from bench import deadlines, seed  # the bench package spans apps; cases does not depend on it

        db_name = str(connection.settings_dict["NAME"])
        if "bench" not in db_name.lower() and not options["any_database"]:
            raise CommandError(f'Refusing to write fictional rows into "{db_name}": its name lacks "bench".')
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: timings include debug overhead.")
        missing = options["cases"] - Case.objects.count()
        if missing > 0:
            self.stdout.write(f"Seeding {missing:,} cases ...")
            users = seed.ensure_users(workers=40, police=10)
            seed.seed(users=users, cases=missing, batch_size=2000, rng_seed=20231018, log=self.stdout.write)
        added = deadlines.seed_deadlines(batch_size=options["batch_size"], log=self.stdout.write)
        if added:
            self.stdout.write(f"Added {added:,} deadlines.")
        firsts, steady, cpu = [], [], []
        for _ in range(options["first_runs"]):
            result = deadlines.measure_scan(runs=1 + options["steady_runs"])
            self.stdout.write(deadlines.scan_table(result))
            firsts.append(result.runs[0])
            cpu.append(result.cpu[0] if result.cpu else (0.0, 0.0))
            steady += result.runs[1:]
        sent, queries, _ = firsts[0]
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        # The line to quote: wall time is only meaningful on an idle machine, hence the CPU and the load.
        self.stdout.write(
            f"\nScan first run over {result.deadlines:,} deadlines: {sent:,} reminders, {queries} queries, "
            f"wall {', '.join(f'{s:.2f}' for *_, s in firsts)} s, "
            f"CPU (Python + PostgreSQL) {', '.join(f'{p:.2f} + {b:.2f}' for p, b in cpu)} s; load {load}"
        )
        if steady:
            times = sorted(s * 1000 for *_, s in steady)
            self.stdout.write(
                f"steady state: {steady[0][1]} queries, median {statistics.median(times):.2f} ms, "
                f"max {times[-1]:.2f} ms over {len(times)} runs"
            )
        if options["explain"]:
            self.stdout.write("\n" + deadlines.explain_steady_state())
