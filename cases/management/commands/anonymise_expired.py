"""Removes the victim's personal data from cases closed longer ago than RETENTION_YEARS_AFTER_CLOSURE
(個人資料保護法第 11 條; cases/retention.py), keeping what the statistics count. Run it daily (cron or the
beat schedule); `--dry-run` lists what it would do and changes nothing."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cases.audit import record_event
from cases.retention import anonymise_case, anonymise_intake, cutoff, expired_cases, expired_intakes


class Command(BaseCommand):
    help = "保存期限屆滿（結案後 RETENTION_YEARS_AFTER_CLOSURE 年）的案件：清除被害人個資，保留統計所需資料。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出會處理的案件與筆數，不做任何變更")
        parser.add_argument("--actor", default="", help="執行者帳號（記入稽核軌跡；預設為系統）")

    def handle(self, *args, dry_run=False, actor="", **options):
        user = None
        if actor:
            user = get_user_model().objects.filter(username=actor, is_active=True).first()
            if user is None:
                raise CommandError(f"找不到啟用中的帳號 {actor}")
        cases = list(expired_cases())
        intakes = list(expired_intakes())
        years = settings.RETENTION_YEARS_AFTER_CLOSURE
        self.stdout.write(
            f"{'（試算，不變更）' if dry_run else ''}結案或不開案早於 {cutoff():%Y-%m-%d}（{years} 年）"
            f"且尚未去識別化：案件 {len(cases)} 件、不開案受理紀錄 {len(intakes)} 筆"
        )
        live = hist = 0
        total = len(cases) + len(intakes)
        work = [(anonymise_case, case) for case in cases] + [(anonymise_intake, intake) for intake in intakes]
        for n, (anonymise, record) in enumerate(work, start=1):
            result = anonymise(record, actor=user, dry_run=dry_run)
            live, hist = live + result.live_rows, hist + result.history_rows
            note = ""
            if anonymise is anonymise_case:
                note = "（含被害人基本資料）" if result.victim else "（被害人另有保存中案件，基本資料保留）"
            self.stdout.write(
                f"[{n}/{total}] {result.case_number}："
                f"資料 {result.live_rows} 筆、歷史 {result.history_rows} 筆{note}"
            )
        if not dry_run and work:
            record_event(
                actor=user,
                action="anonymise",
                detail=(
                    f"保存期限屆滿去識別化：案件 {len(cases)} 件、不開案受理紀錄 {len(intakes)} 筆，"
                    f"資料 {live} 筆、歷史 {hist} 筆"
                ),
            )
        verb = "會清除" if dry_run else "已清除"
        self.stdout.write(
            self.style.SUCCESS(f"完成：{total} 筆，{verb}資料 {live} 筆、歷史 {hist} 筆的個資欄位。")
        )
