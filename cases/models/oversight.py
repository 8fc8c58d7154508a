"""Oversight of access and of the queue: break-glass grants and unassigned-intake alerts (issue 21)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.history import AuditedHistoricalRecords
from cases.models.core import Case, Intake
from cases.privacy import EncryptedTextField


class BreakGlassGrant(models.Model):
    """緊急調閱: a social worker opened a case not assigned to them, giving a reason (read-only, for a
    limited time); a supervisor acknowledges or questions it afterwards.

    A request for a case number that does not exist is kept too (case empty), so probing for numbers
    is seen by the supervisors like any other request. Audit rows: never cascaded or anonymised.
    """

    class Review(models.TextChoices):
        PENDING = "pending", "待督導確認"
        ACKNOWLEDGED = "acknowledged", "督導已確認"
        QUESTIONED = "questioned", "督導提出疑問"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="break_glass_grants",
        verbose_name="案件",
    )
    # What the worker typed when asking by number (a case number, never a name or a phone).
    requested_number = models.CharField("申請案號", max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申請人"
    )
    reason = EncryptedTextField("調閱理由")
    requested_at = models.DateTimeField("申請時間", default=timezone.now)
    expires_at = models.DateTimeField("調閱期限", null=True, blank=True)
    review = models.CharField("督導確認", max_length=16, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="確認督導",
    )
    reviewed_at = models.DateTimeField("確認時間", null=True, blank=True)
    review_note = EncryptedTextField("督導意見", blank=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "緊急調閱"
        verbose_name_plural = "緊急調閱"
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["user", "case", "expires_at"], name="breakglass_active"),
            models.Index(fields=["review", "-requested_at"], name="breakglass_review"),
        ]
        permissions = [
            ("break_glass", "可緊急調閱非承辦案件（需說明理由）"),
            ("review_break_glass", "可確認或質疑緊急調閱"),
        ]

    def __str__(self) -> str:
        return f"緊急調閱 {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.case_id is not None and self.expires_at is not None and self.expires_at > timezone.now()


class IntakeAlert(models.Model):
    """One row per intake and alert step: an intake neither dispatched nor closed in time (issue 21).

    The unique constraint and the scan's job lock make a re-run or a second beat alert nobody twice.
    """

    intake = models.ForeignKey(
        Intake, on_delete=models.PROTECT, related_name="alerts", verbose_name="受理紀錄"
    )
    step = models.PositiveSmallIntegerField("提醒階段")  # 1 at the limit, 2 at twice it, 3 at 4x …
    waited_hours = models.PositiveIntegerField("已等候時數")
    sent_at = models.DateTimeField("提醒時間", default=timezone.now)

    class Meta:
        verbose_name = "受理逾時提醒"
        verbose_name_plural = "受理逾時提醒"
        constraints = [models.UniqueConstraint(fields=["intake", "step"], name="intake_alert_once_per_step")]

    def __str__(self) -> str:
        return f"{self.intake_id} {self.step}"
