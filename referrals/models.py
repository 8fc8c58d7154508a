"""Guideline 1-1 and 1-B (police): the referral form (轉介表) that comes with an intake."""

from __future__ import annotations

import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases.history import AuditedHistoricalRecords
from cases.models import Case, Intake


def normalise_police_case_number(value: str) -> str:
    """As typed from a receipt: full-width to half-width, no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def has_digits(police_case_number: str) -> bool:
    """A receipt's number has digits: the form asks for them, and the search box does not look up a term
    without any (a name) as a police case number."""
    return any(ch.isdigit() for ch in police_case_number)


def shared_status(intake_status: str, case_status: str | None) -> str:
    """Referral.shared_status from the intake's and the case's (None: no case) status."""
    if intake_status == Intake.Status.PENDING:
        return "家防中心已收件，處理中"
    if intake_status == Intake.Status.CLOSED:
        return "家防中心已處理，未開案"
    if case_status in (Case.Status.ASSIGNED, Case.Status.CLOSE_REQUESTED):
        return "已開案，社工服務中"
    if case_status == Case.Status.CLOSED:
        return "已結案"
    return "已開案，等待派案"


class Referral(models.Model):
    """轉介表: from police (submitted by the officer) or another agency (entered by the hotline)."""

    class VictimWantsSocialWorker(models.TextChoices):
        YES = "yes", "需要社工協助"
        NO = "no", "不需要"
        UNDECIDED = "undecided", "尚未決定"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="referral")
    referring_agency = models.CharField("轉介單位", max_length=100)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
        verbose_name="轉介人員帳號",
    )
    contact_person = models.CharField("聯絡人（承辦人）", max_length=50)
    contact_phone = models.CharField("聯絡電話", max_length=30)
    police_asked_about_social_worker = models.BooleanField(
        "員警已主動詢問被害人是否需轉介社工", default=False
    )
    victim_wants_social_worker = models.CharField(
        "被害人轉介社工意願",
        max_length=10,
        choices=VictimWantsSocialWorker.choices,
        default=VictimWantsSocialWorker.UNDECIDED,
    )
    report_taken = models.BooleanField("已受理報案", default=False)
    # The police's own case number (e.g. the report receipt number), so staff can find the case from it.
    police_case_number = models.CharField("警方案號（報案三聯單號等）", max_length=40, blank=True)
    submitted_at = models.DateTimeField("轉介時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "轉介表"
        verbose_name_plural = "轉介表"
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["referrer", "-submitted_at"], name="referral_by_referrer"),
            # The search box (referrals.search): a police case number's newest forms, read from the index.
            models.Index(fields=["police_case_number", "-submitted_at"], name="referral_police_number"),
        ]
        permissions = [("submit_as_referrer", "可以轉介單位身分送出轉介表（警察）")]

    def __str__(self) -> str:
        return f"{self.referring_agency} {self.submitted_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.pk])

    @property
    def shared_status(self) -> str:
        """What the center shares back with the referrer: progress only, never case content."""
        case = self.intake.case
        return shared_status(self.intake.status, case.status if case is not None else None)
