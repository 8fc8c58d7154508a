"""The deadline tracker, reminders, in-app notifications and job locks (docs/architecture.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.history import AuditedHistoricalRecords
from cases.models.core import Case
from cases.privacy import EncryptedTextField

_OPEN = models.Q(state="open")


class Deadline(models.Model):
    """One tracker for every deadline the guideline sets (docs/architecture.md), each tied to its source."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "告訴期間（6個月）"
        LIMITATION = "limitation", "追訴權時效"
        ACCUSATION = "accusation", "中心告發"
        SERVICE_RECORD = "service_record", "出勤服務工作紀錄表（陪偵後3日）"
        PLATFORM_RETENTION = "platform_retention", "平台資料保存（約180天）"
        TAKEDOWN = "takedown", "下架追蹤（兒少24小時／成人72小時）"
        PROTECTION_ORDER = "protection_order", "保護令到期"
        APPOINTMENT = "appointment", "預約（開庭／法律諮詢／報案）"
        NEXT_CONTACT = "next_contact", "下次聯繫"
        SAFETY_MEASURE = "safety_measure", "安全計畫措施"
        FOLLOW_UP = "follow_up", "追蹤事項"

    class State(models.TextChoices):
        OPEN = "open", "進行中"
        DONE = "done", "已完成"
        MISSED = "missed", "已逾期未完成"
        NOT_APPLICABLE = "not_applicable", "不適用"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines", verbose_name="案件")
    kind = models.CharField("期限類別", max_length=24, choices=Kind.choices)
    title = models.CharField("期限名稱", max_length=120)
    due_at = models.DateTimeField("期限")
    all_day = models.BooleanField("整日期限", default=True)
    is_warning = models.BooleanField("僅供提醒（起算日未確定）", default=False)
    note = models.CharField("備註", max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="負責人",
    )
    source_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", verbose_name="來源類型"
    )
    source_id = models.CharField("來源紀錄", max_length=64)
    state = models.CharField("狀態", max_length=16, choices=State.choices, default=State.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="結束人員",
    )
    closed_at = models.DateTimeField("結束時間", null=True, blank=True)
    close_reason = EncryptedTextField("結束原因", blank=True)
    created_at = models.DateTimeField("建立時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "kind"], name="deadline_one_per_source_kind"
            )
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="deadline_state_due"),
            models.Index(fields=["owner", "state", "due_at"], name="deadline_owner_state_due"),
            models.Index(fields=["case", "state", "due_at"], name="deadline_case_state_due"),
            # The dashboards read open deadlines only, so these cover them alone, with the id, so that a
            # capped count and the lookup of the deadlines others own on a worker's cases are index-only
            # scans instead of a heap fetch per row (a million cases: 785,000 open of 3,000,000).
            models.Index(
                fields=["owner", "due_at"], include=["id"], name="deadline_open_owner_due", condition=_OPEN
            ),
            models.Index(fields=["due_at"], include=["id"], name="deadline_open_due", condition=_OPEN),
            models.Index(
                fields=["case"], include=["owner", "id"], name="deadline_open_case", condition=_OPEN
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days_left(self) -> int:
        """Calendar days from today (Asia/Taipei) to the due date; negative when overdue."""
        return (timezone.localtime(self.due_at).date() - timezone.localdate()).days

    @property
    def urgency(self) -> str:
        """For colour: closed, overdue, week (≤7 days), month (≤30 days) or later."""
        if self.state != self.State.OPEN:
            return "closed"
        days = self.days_left
        if days < 0:
            return "overdue"
        if days <= 7:
            return "week"
        if days <= 30:
            return "month"
        return "later"


class ReminderSchedule(models.Model):
    """When an open deadline's next reminder step begins: the reminder scan's due set (issue 19).

    One row per open deadline that still has a step to go, kept by the tracker (cases/tracker.py). A
    narrow table of its own: the scan moves tens of thousands of rows on a first day, and rewriting the
    wide deadline row would rewrite all ten of its indexes too. Scheduling, not a fact worth history.
    """

    deadline = models.OneToOneField(
        Deadline, on_delete=models.CASCADE, primary_key=True, related_name="reminder_schedule"
    )
    next_at = models.DateTimeField("下次提醒時間", db_index=True)

    def __str__(self) -> str:
        return f"{self.deadline_id} {self.next_at:%Y-%m-%d}"


class DeadlineReminder(models.Model):
    """One row per deadline and reminder step; the unique constraint makes the scan idempotent."""

    OVERDUE = -1

    # No index of its own: reminder_once_per_step begins with it (one index less to write per reminder).
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders", db_index=False)
    days_before = models.IntegerField("提前天數")  # -1 = overdue reminder (to the supervisors too)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "days_before"], name="reminder_once_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} {self.days_before}"


class Notification(models.Model):
    """In-app message to a staff member. Text names the case number, never the victim."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", "期限提醒"
        DISPATCH = "dispatch", "派案"
        SAFETY = "safety", "人身安全警示"
        SMS = "sms", "簡訊"
        CASE = "case", "案件"
        SYSTEM = "system", "系統"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="收件人",
        db_index=False,  # notification_inbox and notification_recipient_newest begin with it
    )
    kind = models.CharField("類別", max_length=16, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    text = models.CharField("內容", max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField("建立時間", default=timezone.now)
    read_at = models.DateTimeField("已讀時間", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox"),
            # The inbox page, newest first: a page of 50 from the index instead of sorting every
            # notification of a supervisor (40,000 at a million cases).
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_newest"),
        ]

    def __str__(self) -> str:
        return self.text


class JobLock(models.Model):
    """A named row that periodic jobs lock so two workers or two beats never run one job at once."""

    name = models.CharField(max_length=50, primary_key=True)

    def __str__(self) -> str:
        return self.name

    @classmethod
    def hold(cls, name: str) -> None:
        """Lock the row until the surrounding transaction ends (call inside transaction.atomic)."""
        cls.objects.get_or_create(name=name)
        cls.objects.select_for_update().get(name=name)
