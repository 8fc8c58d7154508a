"""The audit trail's own tables (issue 21): events that are not a record's history or a read (sign-ins,
exports, retention runs, approvals), and the head of each table's hash chain (cases.audit_chain)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.audit_chain import ChainedRow


class AuditChainHead(models.Model):
    """The last link of one audit table's chain. The INSERT trigger of that table updates it under a row
    lock, so writers of one table are chained in commit order."""

    chain = models.CharField("稽核表", max_length=100, primary_key=True)  # the audit table's db_table
    seq = models.BigIntegerField("列數", default=0)
    last_hash = models.CharField("最後雜湊", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "稽核鏈尾"
        verbose_name_plural = "稽核鏈尾"

    def __str__(self) -> str:
        return f"{self.chain} #{self.seq}"


class AuditEvent(ChainedRow):
    """稽核事件: one thing done that is neither a record's change (history) nor a case read (read log).

    Written only through cases.audit.record_event. `detail` is staff-written text (an export's reason,
    an approval's note) and never holds victim PII; it is not encrypted so the trail stays readable.
    Append-only: triggers refuse UPDATE and DELETE on PostgreSQL (cases.audit_triggers).
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField("時間", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # a user with a trail is deactivated, never deleted
        null=True,
        blank=True,
        related_name="+",
        verbose_name="執行者",
    )
    action = models.CharField("動作", max_length=40, db_index=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="案件"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="對象帳號",
    )
    username = models.CharField("輸入的帳號", max_length=150, blank=True)  # a failed sign-in's typed name
    ip_address = models.GenericIPAddressField("來源位址", null=True, blank=True)
    detail = models.TextField("說明", blank=True)

    class Meta:
        verbose_name = "稽核事件"
        verbose_name_plural = "稽核事件"
        indexes = [
            models.Index(fields=["actor", "at"], name="auditevent_actor_time"),
            models.Index(fields=["case", "at"], name="auditevent_case_time"),
        ]
        permissions = [("review_audit", "可檢閱稽核軌跡（異動、閱覽、搜尋、下載、登入）並匯出")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
