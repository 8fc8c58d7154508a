"""Walks the hash chain of every audit table and reports the first row altered, removed or inserted out of
order, per table (issue 21; docs/privacy.md 「稽核軌跡」). Exits with an error when any chain is broken."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cases.audit_chain import chained_models, verify_table


class Command(BaseCommand):
    help = "驗證稽核軌跡（異動歷史、閱覽紀錄、稽核事件）的雜湊鏈，列出每張表第一筆被更改、刪除或插入的列。"

    def add_arguments(self, parser):
        parser.add_argument("--table", action="append", default=[], help="只驗證這張表（可重複）")

    def handle(self, *args, **options):
        models = [m for m in chained_models() if not options["table"] or m._meta.db_table in options["table"]]
        if options["table"] and len(models) != len(options["table"]):
            raise CommandError("找不到指定的稽核表：" + "、".join(options["table"]))
        broken = []
        for model in models:
            report = verify_table(model)
            if report.finding:
                broken.append(report.finding)
                self.stdout.write(self.style.ERROR(f"✗ {report.finding}"))
            else:
                self.stdout.write(f"✓ {report.table}：{report.rows} 列，鏈尾 {report.head_hash[:16] or '—'}")
            if report.unsealed:
                self.stdout.write(
                    self.style.WARNING(f"  {report.table}：{report.unsealed} 列早於雜湊鏈，無法驗證")
                )
        if broken:
            raise CommandError(f"{len(broken)} 張稽核表的雜湊鏈不完整（見上）")
        self.stdout.write(self.style.SUCCESS(f"{len(models)} 張稽核表的雜湊鏈完整。"))
