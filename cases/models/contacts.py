"""Contacts with the victim after intake, and closing or reopening a case."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.history import AuditedHistoricalRecords
from cases.models.core import Case, Intake
from cases.privacy import EncryptedTextField


class Contact(models.Model):
    """聯繫紀錄 (指引 2-1, 7-1a, 1-3b): a contact or an attempt to reach the victim after intake.

    Belongs to a case, or to an intake without a case (a referral form the hotline follows up before
    any case exists, or a victim who declined services for now); an intake's contacts show on the case
    it later joins.
    """

    class Mode(models.TextChoices):
        PHONE = "phone", "電話"
        VISIT = "visit", "面訪"
        VIDEO = "video", "視訊／通訊軟體"
        ESCORT = "escort", "陪同"
        SMS = "sms", "簡訊"

    class Result(models.TextChoices):
        REACHED = "reached", "已聯繫"
        NOT_REACHED = "not_reached", "聯繫未果"
        NO_WISH = "no_wish", "被害人暫無意願"

    class Danger(models.TextChoices):
        YES = "yes", "有立即危險"
        NO = "no", "無立即危險"
        NOT_ASKED = "not_asked", "未能詢問"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts", verbose_name="案件"
    )
    intake = models.ForeignKey(
        Intake,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name="受理紀錄",
    )
    contacted_at = models.DateTimeField("聯繫時間")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="聯繫人員"
    )
    mode = models.CharField("方式", max_length=10, choices=Mode.choices)
    duration_minutes = models.PositiveSmallIntegerField("時間長度（分鐘）", null=True, blank=True)
    result = models.CharField("結果", max_length=12, choices=Result.choices)
    immediate_danger = models.CharField("立即人身安全危險", max_length=10, choices=Danger.choices, blank=True)
    danger_not_asked_reason = EncryptedTextField("未能詢問的原因", blank=True)
    notes = EncryptedTextField("聯繫內容", blank=True)
    next_contact_on = models.DateField("下次聯繫日期", null=True, blank=True)
    resource_sms = models.BooleanField("已傳送服務資源簡訊", default=False)
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "聯繫紀錄"
        verbose_name_plural = "聯繫紀錄"
        ordering = ["-contacted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(intake__isnull=False),
                name="contact_has_case_or_intake",
            )
        ]
        indexes = [
            models.Index(fields=["case", "-contacted_at"], name="contact_case_time"),
            models.Index(fields=["intake", "-contacted_at"], name="contact_intake_time"),
        ]

    def __str__(self) -> str:
        return f"聯繫 {self.contacted_at:%Y-%m-%d %H:%M}"

    @property
    def reached_victim(self) -> bool:
        """The victim was spoken to (也包括表示暫無意願): the danger question must have an answer."""
        return self.result in (self.Result.REACHED, self.Result.NO_WISH)


class CaseStatusChange(models.Model):
    """結案與重新開案: a worker asks to close, a supervisor approves or returns it; reopening has a reason."""

    class Action(models.TextChoices):
        CLOSE_REQUESTED = "close_requested", "申請結案"
        CLOSE_APPROVED = "close_approved", "核定結案"
        CLOSE_RETURNED = "close_returned", "退回結案申請"
        REOPENED = "reopened", "重新開案"

    class ClosingReason(models.TextChoices):
        GOALS_MET = "goals_met", "服務目標已達成"
        NO_WISH = "no_wish", "被害人無意願繼續接受服務"
        UNREACHABLE = "unreachable", "多次聯繫未果"
        TRANSFERRED = "transferred", "已轉由其他單位服務"
        OTHER = "other", "其他"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="status_changes", verbose_name="案件"
    )
    action = models.CharField("動作", max_length=16, choices=Action.choices)
    closing_reason = models.CharField("結案原因", max_length=16, choices=ClosingReason.choices, blank=True)
    note = EncryptedTextField(
        "說明", blank=True
    )  # required for a request, a return and a reopening (services)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="人員"
    )
    at = models.DateTimeField("時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "結案／重新開案紀錄"
        verbose_name_plural = "結案／重新開案紀錄"
        ordering = ["at"]
        indexes = [models.Index(fields=["case", "at"], name="status_change_case_time")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class ServiceAppointment(models.Model):
    """預約服務 (指引 1-2b): a service time booked for the victim, from the call or later on the case.

    Booked on an intake it moves to the case the intake becomes: only then is it a tracker deadline and,
    with the victim's consent, a generic reminder SMS (place code only).
    """

    class Service(models.TextChoices):
        LEGAL = "legal", "法律諮詢"
        POLICE_REPORT = "police_report", "陪同報案"
        COUNSELLING = "counselling", "心理諮商"
        EVIDENCE_TEACHING = "evidence_teaching", "保存證據教學（面訪）"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        BOOKED = "booked", "已預約"
        HELD = "held", "已完成"
        CANCELLED = "cancelled", "已取消"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intake = models.ForeignKey(
        Intake,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="受理紀錄",
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name="案件",
    )
    service = models.CharField("服務", max_length=20, choices=Service.choices)
    scheduled_at = models.DateTimeField("預約時間")
    place_code = models.CharField("地點代碼（與被害人約定，簡訊只寫代碼）", max_length=10, blank=True)
    note = EncryptedTextField("備註", blank=True)
    status = models.CharField("狀態", max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="預約人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "預約服務"
        verbose_name_plural = "預約服務"
        ordering = ["scheduled_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(intake__isnull=False),
                name="appointment_has_case_or_intake",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.scheduled_at:%Y-%m-%d %H:%M}"
