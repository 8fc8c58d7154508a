"""Seed fictional volume and time the busiest pages; see docs/benchmarks.md.

Safety: it writes fictional rows in bulk, so it only runs against a database whose name contains
"bench" (or with --i-know-this-writes-fake-data), and only on a database without cases unless
--reuse is given. It creates no account anyone can sign in to (bench users have unusable passwords).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from cases.models import Case, Intake


class Command(BaseCommand):
    help = "Seed N fictional cases (bulk, encrypted like the app) and print queries and p50/p95 per page."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000, help="cases the database should hold")
        # 300: at 100 a page's p95 is its 5th slowest request, and on a machine that stalls about one request
        # in twenty (stall_probe) p95 ratios moved by up to 0.6 between runs; at 300, by up to 0.25.
        parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="accept existing cases; seed only what is missing up to --cases",
        )
        parser.add_argument("--workers", type=int, default=40, help="bench social workers (default 40)")
        parser.add_argument("--police", type=int, default=10, help="bench police officers (default 10)")
        parser.add_argument(
            "--python-cases",
            type=int,
            default=20_000,
            help="on PostgreSQL, seed at most this many cases through the models and copy the rest in SQL "
            "(bench/clone.py); 0 copies nothing",
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=20231018, help="random seed of the fictional data")
        parser.add_argument(
            "--explain", action="store_true", help="EXPLAIN ANALYZE each page's slowest queries"
        )
        parser.add_argument(
            "--pages",
            nargs="+",
            metavar="WORD",
            help="time only the pages whose names contain one of these words (and the floor)",
        )
        parser.add_argument("--no-save", action="store_true", help="do not write bench/results/*.json")
        parser.add_argument("--no-scan", action="store_true", help="skip timing the reminder scan")
        parser.add_argument(
            "--i-know-this-writes-fake-data",
            action="store_true",
            dest="any_database",
            help='allow a database whose name does not contain "bench"',
        )

    def handle(self, *args, **options):
        from bench import (
            clone,
            deadlines,
            run,
            seed,
        )  # the bench package spans apps; cases does not depend on it

        db_name = str(connection.settings_dict["NAME"])
        if "bench" not in db_name.lower() and not options["any_database"]:
            raise CommandError(
                f'Refusing to write fictional cases into "{db_name}": use a database whose name '
                'contains "bench" (e.g. DATABASE_URL=postgres://.../ncii_bench) '
                "or pass --i-know-this-writes-fake-data."
            )
        existing = Case.objects.count()
        if (existing or Intake.objects.exists()) and not options["reuse"]:
            raise CommandError(
                f"The database already holds {existing:,} cases. Use an empty database, or --reuse to "
                "measure what is there (topping it up to --cases)."
            )
        if options["workers"] < 2 or options["police"] < 1 or options["requests"] < 1:
            raise CommandError("Need --workers >= 2, --police >= 1 and --requests >= 1.")
        if settings.DEBUG:
            self.stderr.write(
                "DEBUG is on: timings include debug overhead; run with DEBUG=false for real numbers."
            )

        users = seed.ensure_users(workers=options["workers"], police=options["police"])
        missing = max(0, options["cases"] - existing)
        seed_report = None
        copy_report = None
        by_models = missing
        if connection.vendor == "postgresql" and options["python_cases"] > 0:
            by_models = min(missing, max(0, options["python_cases"] - existing))
        if by_models:
            self.stdout.write(f"Seeding {by_models:,} cases into {connection.vendor} database {db_name} ...")
            seed_report = seed.seed(
                users=users,
                cases=by_models,
                batch_size=options["batch_size"],
                rng_seed=options["seed"] + existing,
                log=self.stdout.write,
            )
            intakes = ", ".join(f"{n:,} {status}" for status, n in sorted(seed_report.intakes.items()))
            self.stdout.write(
                f"Seeded {seed_report.cases:,} cases, {seed_report.victims:,} victims, "
                f"{sum(seed_report.intakes.values()):,} intakes ({intakes}), "
                f"{seed_report.referrals:,} referrals, {seed_report.dispatches:,} dispatches "
                f"in {seed_report.seconds:.0f} s."
            )
        if missing:
            # Deadlines before copying, so copies carry theirs; the dashboards list them when timed.
            self.stdout.write("Seeding tracker deadlines (3 per case) ...")
            added = deadlines.seed_deadlines(batch_size=options["batch_size"], log=self.stdout.write)
            self.stdout.write(f"Added {added:,} deadlines.")
        if missing > by_models:
            self.stdout.write(f"Copying {missing - by_models:,} cases in SQL (bench/clone.py) ...")
            copy_report = clone.clone(cases=missing - by_models, log=self.stdout.write)
            self.stdout.write(
                "Copied "
                + ", ".join(f"{n:,} {table}" for table, n in copy_report.items() if table != "seconds")
                + f" in {copy_report['seconds']:.0f} s."
            )
        if missing:
            seed.analyze()
        inbox = clone.fill_inboxes(users) if connection.vendor == "postgresql" else 0
        if inbox:
            self.stdout.write(f"Added {inbox:,} unread notifications to the bench users' inboxes.")

        self.stdout.write(f"Timing {options['requests']} requests per page ...")
        # The machine's stalls just before and after timing: they are what moves a p95 between runs.
        stalls = [run.stall_probe()]
        results = run.run(users, requests=options["requests"], only=options["pages"], log=self.stdout.write)
        stalls.append(run.stall_probe())
        counts = run.scope_counts()
        self.stdout.write("")
        self.stdout.write(
            f"{counts['cases']:,} cases on {connection.vendor} ({db_name}), "
            f"{options['requests']} requests per page, DEBUG={settings.DEBUG}, {os.cpu_count()} CPUs"
        )
        self.stdout.write(run.table(results))
        self.stdout.write(
            "Machine stalls (stall_probe, 3 s before and after timing): "
            + "; ".join(probe.summary() for probe in stalls)
        )
        scan = None
        if not options["no_scan"]:
            self.stdout.write("\nSeeding tracker deadlines for cases without them (3 per case) ...")
            added = deadlines.seed_deadlines(batch_size=options["batch_size"], log=self.stdout.write)
            self.stdout.write(f"Added {added:,} deadlines. Timing the reminder scan ...")
            scan = deadlines.measure_scan()
            self.stdout.write(deadlines.scan_table(scan))
        if options["explain"]:
            for result in results:
                self.stdout.write(f"\n{result.page}: slowest queries of the last request")
                self.stdout.write(run.explain(result))
        if not options["no_save"]:
            self._save(results, counts, seed_report, copy_report, options, db_name, scan, stalls)

    def _save(self, results, counts, seed_report, copy_report, options, db_name, scan, stalls) -> None:
        from django import get_version

        folder = settings.BASE_DIR / "bench" / "results"
        folder.mkdir(parents=True, exist_ok=True)
        now = timezone.now()
        path = folder / f"bench-{now:%Y%m%d-%H%M%S}.json"
        data = {
            "at": now.isoformat(),
            "database": {"vendor": connection.vendor, "name": db_name, "version": self._db_version()},
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "django": get_version()},
            "debug": settings.DEBUG,
            "requests_per_page": options["requests"],
            "stalls": [probe.as_dict() for probe in stalls],
            "counts": counts,
            "seed_seconds": round(seed_report.seconds, 1) if seed_report else None,
            "copy": copy_report,
            "pages": [r.as_dict() for r in results],
            "reminder_scan": (
                {"deadlines": scan.deadlines, "open": scan.open_deadlines, "runs": scan.runs}
                if scan
                else None
            ),
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))
        self.stdout.write(f"\nSaved {path.relative_to(settings.BASE_DIR)}")

    def _db_version(self) -> str:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                return cursor.fetchone()[0]
        return ""


def _json_default(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)
