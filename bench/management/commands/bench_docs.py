"""Write the newest `manage.py bench` result (bench/results/bench-*.json) into docs/benchmarks.md as the
"pages" table (`make bench` runs it right after the benchmark)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write the newest bench/results/*.json into docs/benchmarks.md (the pages table)."

    def add_arguments(self, parser):
        parser.add_argument("--result", help="a bench/results/*.json file (default: the newest)")
        parser.add_argument(
            "--section",
            default="pages",
            help="the marked section of docs/benchmarks.md to rewrite (pages; pages-1m for the million)",
        )

    def handle(self, *args, **options):
        from bench import report

        path = Path(options["result"]).resolve() if options["result"] else self._newest()
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = [
            (
                p["page"],
                p["username"],
                p["scope"],
                p["queries_per_request"],
                f"{p['p50_ms']:,.0f}",
                f"{p['p95_ms']:,.0f}",
                f"{p['p95_over_floor']:.2f}" if p.get("p95_over_floor") else "",
                f"{p['p50_over_floor']:.2f}" if p.get("p50_over_floor") else "",
            )
            for p in data["pages"]
        ]
        table = report.markdown_table(
            ("page", "as", "rows in scope", "queries", "p50 ms", "p95 ms", "p95 / floor", "p50 / floor"), rows
        )
        db, machine = data["database"], data["machine"]
        summary = (
            f"Run of {data['at'][:16].replace('T', ' ')} UTC, commit {report.git_commit()}: "
            f"{data['counts']['cases']:,} cases on {db['vendor']} {db.get('version', '')} ({db['name']}), "
            f"{data['requests_per_page']} requests per page, DEBUG={data['debug']}, {machine['cpus']} CPUs, "
            f"Python {machine['python']}, Django {machine['django']}. Load average (`uptime`) when written: "
            f"{report.load_average()}. From `{path.relative_to(settings.BASE_DIR)}`."
        )
        if data.get("stalls"):
            probes = "; ".join(
                f"{p['per_second']:.1f} a second of about {p['median_stall_ms']:.0f} ms ({p['share']:.1%})"
                if p["stalls"]
                else "none"
                for p in data["stalls"]
            )
            summary += f" Machine stalls, 3 s before and after timing: {probes}."
        scan = data.get("reminder_scan")
        if scan and scan.get("runs"):
            runs = ", ".join(f"{r[2]:.2f} s" for r in scan["runs"])
            summary += f" Reminder scan over {scan['deadlines']:,} deadlines ({scan['open']:,} open): {runs}."
        report.replace_section(report.benchmarks_doc(), options["section"], summary + "\n\n" + table)
        self.stdout.write(f"Wrote {len(rows)} pages from {path.name} into docs/benchmarks.md.")

    @staticmethod
    def _newest() -> Path:
        folder = Path(settings.BASE_DIR) / "bench" / "results"
        found = sorted(folder.glob("bench-*.json"), key=os.path.getmtime)
        if not found:
            raise CommandError("No bench/results/bench-*.json: run `manage.py bench` first.")
        return found[-1]
