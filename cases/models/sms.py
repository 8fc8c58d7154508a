"""SMS to victims (guideline 1-3, reminders): templates and the outbox. docs/sms.md."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.history import AuditedHistoricalRecords
from cases.models.core import Case, Intake
from cases.privacy import EncryptedCharField, EncryptedTextField


class SmsTemplate(models.Model):
    """簡訊範本: what an SMS to a victim says. Data with history; supervisors edit it (guideline 1-3)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField("代碼", max_length=40, unique=True, editable=False)
    name = models.CharField("名稱", max_length=100)
    body = models.TextField("簡訊內容")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最後修改人員",
    )
    updated_at = models.DateTimeField("最後修改時間", auto_now=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "簡訊範本"
        verbose_name_plural = "簡訊範本"
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class SmsMessageQuerySet(models.QuerySet):
    def without_content(self) -> SmsMessageQuerySet:
        """Everything but the number and the text, which only the send task decrypts."""
        return self.defer("phone", "body")


class SmsMessage(models.Model):
    """簡訊發送紀錄: one SMS in the outbox, written in the transaction of the change that causes it."""

    class State(models.TextChoices):
        QUEUED = "queued", "排隊中"
        SENDING = "sending", "傳送中"
        SENT = "sent", "已送出"
        FAILED = "failed", "傳送失敗"
        UNCERTAIN = "uncertain", "送出結果不明（待人工確認）"
        CANCELLED = "cancelled", "已取消"

    class Purpose(models.TextChoices):
        GENERIC_RESOURCE = "generic_resource", "服務資源簡訊（指引 1-3）"
        APPOINTMENT_REMINDER = "appointment_reminder", "預約提醒"
        DEADLINE_REMINDER = "deadline_reminder", "重要日期提醒"

    class Delivery(models.TextChoices):
        PENDING = "pending", "業者處理中"
        DELIVERED = "delivered", "已送達手機"
        UNDELIVERED = "undelivered", "無法送達"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sms_messages",
        verbose_name="案件",
    )
    intake = models.ForeignKey(
        Intake,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sms_messages",
        verbose_name="受理紀錄",
    )
    purpose = models.CharField("用途", max_length=24, choices=Purpose.choices)
    template = models.ForeignKey(
        SmsTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="範本"
    )
    phone = EncryptedCharField("手機號碼", max_length=30)
    phone_masked = models.CharField("手機號碼（遮蔽）", max_length=16)
    body = EncryptedTextField("簡訊內容")
    segments = models.PositiveSmallIntegerField("則數", default=1)
    requires_consent = models.BooleanField("需被害人同意", default=False)
    idempotency_key = models.CharField("訊息編號", max_length=64, unique=True)
    # The record the message is about ("legal.legalconsultation:<pk>"), so a rebooking or a cancellation
    # can cancel its pending reminder. An app label, a model name and a key: no personal data.
    source_key = models.CharField("來源紀錄", max_length=80, blank=True, db_index=True)
    state = models.CharField("狀態", max_length=12, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField("傳送次數", default=0)
    next_attempt_at = models.DateTimeField("預定傳送時間", default=timezone.now)
    enqueued_at = models.DateTimeField("排入工作佇列時間", null=True, blank=True)
    claimed_at = models.DateTimeField("開始傳送時間", null=True, blank=True)
    sent_at = models.DateTimeField("送出時間", null=True, blank=True)
    provider_message_id = models.CharField("業者訊息編號", max_length=64, blank=True, db_index=True)
    last_code = models.CharField("業者狀態碼", max_length=20, blank=True)
    last_error = models.CharField("失敗原因", max_length=200, blank=True)
    delivery_status = models.CharField("送達狀態", max_length=12, choices=Delivery.choices, blank=True)
    delivery_reported_at = models.DateTimeField("送達回報時間", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="建立人員",
    )
    created_at = models.DateTimeField("建立時間", default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="人工確認人員",
    )
    resolved_at = models.DateTimeField("人工確認時間", null=True, blank=True)

    objects = SmsMessageQuerySet.as_manager()

    class Meta:
        verbose_name = "簡訊發送紀錄"
        verbose_name_plural = "簡訊發送紀錄"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="sms_state_due"),
            models.Index(fields=["case", "-created_at"], name="sms_case_created"),
        ]

    def __str__(self) -> str:
        return f"簡訊 {self.phone_masked} {self.get_state_display()}"
