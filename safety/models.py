"""Guideline item 7: the safety reminder sheet, the safety plan, protection orders and emergency shelter.

The sheet's text and the city's shelter schemes are data (catalogues with history, edited in the admin);
everything else belongs to a case. Dates that need acting on (a measure due, an order lapsing) live in
the hub's deadline tracker, each row tied to the record that set it.

The shelter's hotel is the most sensitive value in the system: it says where the victim sleeps tonight.
It is encrypted, shown only to the assigned worker and supervisors, and never put into `__str__`, a
deadline, a notification, an SMS or a case-record entry.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cases.history import AuditedHistoricalRecords
from cases.models import Case
from cases.privacy import EncryptedCharField, EncryptedTextField
from safety import rules


def review_since_flag(*, reviewed_at, recorded_at, flagged_at) -> bool:
    local = timezone.localtime
    return rules.review_covers_flag(
        reviewed_on=local(reviewed_at).date() if reviewed_at else None,
        recorded_at=recorded_at,
        flagged_at=flagged_at,
        flagged_on=local(flagged_at).date() if flagged_at else None,
    )


# --- catalogues ------------------------------------------------------------------------------------


class SafetySheet(models.Model):
    """Guideline 7-1b: a version of the centre's safety reminder sheet (安全提醒單); one is current."""

    version = models.CharField("版本", max_length=20, unique=True, help_text="例：115-1（民國年－序號）")
    title = models.CharField("標題", max_length=60, default="安全提醒單")
    intro = models.TextField("前言", blank=True)
    body = models.TextField(
        "內容",
        help_text="每段以空白行分隔；段落第一行為小標題，其後每行一項提醒。",
    )
    hotlines = models.TextField("求助電話", help_text="每行一筆：名稱｜電話。")
    is_current = models.BooleanField("目前使用的版本", default=False)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "安全提醒單"
        verbose_name_plural = "安全提醒單"
        ordering = ["-is_current", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_safety_sheet",
                violation_error_message="已有目前使用的版本；請先取消原版本的「目前使用的版本」。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"

    def sections(self) -> list[tuple[str, list[str]]]:
        """The body as (heading, items) for the page and the PDF."""
        out = []
        for block in self.body.replace("\r\n", "\n").split("\n\n"):
            lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
            if lines:
                out.append((lines[0], lines[1:]))
        return out

    def phone_rows(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.hotlines.splitlines():
            if "｜" in line:
                name, phone = line.split("｜", 1)
                rows.append((name.strip(), phone.strip()))
            elif line.strip():
                rows.append((line.strip(), ""))
        return rows


class ShelterScheme(models.Model):
    """Guideline 7-3: the city's emergency lodging scheme of a year (e.g. 112年 …緊急安置住宿服務)."""

    name = models.CharField("方案名稱", max_length=120, unique=True)
    roc_year = models.PositiveSmallIntegerField("年度（民國）")
    max_nights = models.PositiveSmallIntegerField("每次最多晚數", null=True, blank=True)
    nightly_cap = models.PositiveIntegerField("每晚補助上限（元）", null=True, blank=True)
    note = models.TextField("說明", blank=True)
    is_active = models.BooleanField("使用中", default=True, help_text="年度方案結束後停用，不要刪除。")
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "緊急安置方案"
        verbose_name_plural = "緊急安置方案"
        ordering = ["-roc_year", "name"]

    def __str__(self) -> str:
        return self.name


# --- a case's safety records -----------------------------------------------------------------------


class SheetDelivery(models.Model):
    """Guideline 7-1b: the reminder sheet was handed over (how, when, by whom)."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "面交"
        PHONE = "phone", "電話說明"
        LINK = "link", "傳送連結"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="safety_sheet_deliveries", verbose_name="案件"
    )
    sheet = models.ForeignKey(SafetySheet, on_delete=models.PROTECT, related_name="+", verbose_name="版本")
    method = models.CharField("提供方式", max_length=10, choices=Method.choices)
    delivered_at = models.DateTimeField("提供時間")
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提供人員"
    )
    note = EncryptedTextField("備註", blank=True)
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "安全提醒單提供紀錄"
        verbose_name_plural = "安全提醒單提供紀錄"
        ordering = ["delivered_at"]
        indexes = [models.Index(fields=["case", "delivered_at"], name="sheetdelivery_case")]

    def __str__(self) -> str:
        return f"安全提醒單 {self.get_method_display()}"


class SafetyPlan(models.Model):
    """Guideline 7-2: the case's safety plan (one per case), reviewed at each contact."""

    class Answer(models.TextChoices):
        YES = "yes", "是"
        NO = "no", "否"
        UNSURE = "unsure", "不確定"

    class Relationship(models.TextChoices):
        FAMILY = rules.FAMILY, "家庭成員（含現有或曾有同居關係）"
        INTIMATE = rules.INTIMATE_NOT_COHABITING, "現有或曾有親密關係之未同居伴侶"
        ACQUAINTANCE = rules.ACQUAINTANCE, "其他認識的人（同學、同事、網友）"
        STRANGER = rules.STRANGER, "陌生人"
        UNKNOWN = rules.UNKNOWN, "不明"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="safety_plan", verbose_name="案件"
    )
    # 7-2-1: the offender's reach.
    offender_knows_home = models.CharField(
        "加害人知道住處", max_length=8, choices=Answer.choices, default=Answer.UNSURE
    )
    offender_knows_work = models.CharField(
        "加害人知道工作地點", max_length=8, choices=Answer.choices, default=Answer.UNSURE
    )
    offender_knows_school = models.CharField(
        "加害人知道就學地點", max_length=8, choices=Answer.choices, default=Answer.UNSURE
    )
    will_meet_offender = models.CharField(
        "被害人會再與加害人接觸", max_length=8, choices=Answer.choices, default=Answer.UNSURE
    )
    # 7-2-1 / 7-2-2: measures.
    adjust_hours = models.BooleanField("調整上下班時間", default=False)
    change_routes = models.BooleanField("更換不同路線", default=False)
    escort = models.BooleanField("請親友接送或陪同出入", default=False)
    relocation_needed = models.BooleanField("需要轉移至其他安全住所", default=False)
    patrol_point_requested = models.BooleanField("已請轄區派出所增設巡邏點", default=False)
    precinct = models.CharField("派出所", max_length=40, blank=True)
    patrol_requested_on = models.DateField("巡邏點申請日期", null=True, blank=True)
    other_measures = EncryptedTextField("其他措施", blank=True)
    # 7-2: the family.
    covers_family = models.BooleanField("計畫涵蓋家屬", default=False)
    family_note = EncryptedTextField("涵蓋的家屬與安排", blank=True)
    # 7-2-3: protection routes.
    offender_relationship = models.CharField(
        "與加害人的關係", max_length=20, choices=Relationship.choices, default=Relationship.UNKNOWN
    )
    stalking = models.BooleanField("加害人有跟蹤騷擾行為", default=False)
    notes = EncryptedTextField("安全計畫內容", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="建立人員"
    )
    created_at = models.DateTimeField("建立時間", default=timezone.now)
    last_reviewed_at = models.DateTimeField("最近檢視時間", null=True, blank=True)
    last_review_recorded_at = models.DateTimeField("最近檢視登錄時間", null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最近檢視人員",
    )
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "安全計畫"
        verbose_name_plural = "安全計畫"
        permissions = [
            ("manage_safety", "可登錄案件人身安全（提醒單、安全計畫、保護令、緊急安置）"),
            ("approve_shelter", "可核准緊急安置"),
        ]

    def __str__(self) -> str:
        return f"安全計畫 {str(self.pk)[:8]}"

    @property
    def routes(self) -> list[str]:
        return rules.protection_routes(self.offender_relationship, self.stalking)

    def reviewed_since(self, case: Case) -> bool:
        """Gone over with the victim since the case's current danger flag (rules.review_covers_flag)."""
        return review_since_flag(
            reviewed_at=self.last_reviewed_at,
            recorded_at=self.last_review_recorded_at,
            flagged_at=case.danger_since,
        )

    @property
    def measures(self) -> list[str]:
        names = ["adjust_hours", "change_routes", "escort", "relocation_needed", "patrol_point_requested"]
        return [str(self._meta.get_field(n).verbose_name) for n in names if getattr(self, n)]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.patrol_point_requested and not self.precinct.strip():
            errors["precinct"] = "已申請巡邏點時，請填寫派出所。"
        if self.patrol_point_requested and not self.patrol_requested_on:
            errors["patrol_requested_on"] = "已申請巡邏點時，請填寫申請日期。"
        if self.patrol_requested_on and self.patrol_requested_on > timezone.localdate():
            errors["patrol_requested_on"] = "巡邏點申請日期不能晚於今天。"
        if not self.patrol_point_requested and (self.precinct.strip() or self.patrol_requested_on):
            errors["patrol_point_requested"] = "填了派出所或申請日期，請勾選「已請轄區派出所增設巡邏點」。"
        if self.covers_family is False and self.family_note.strip():
            errors["covers_family"] = "填了家屬安排，請勾選「計畫涵蓋家屬」。"
        if errors:
            raise ValidationError(errors)


class PlanReview(models.Model):
    """Guideline 7-2: the plan was gone over with the victim (at a contact): who and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        SafetyPlan, on_delete=models.CASCADE, related_name="reviews", verbose_name="安全計畫"
    )
    reviewed_at = models.DateTimeField("檢視時間")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="檢視人員"
    )
    note = EncryptedTextField("檢視結果", blank=True)
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "安全計畫檢視"
        verbose_name_plural = "安全計畫檢視"
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"安全計畫檢視 {self.reviewed_at:%Y-%m-%d}"


class SafetyAction(models.Model):
    """Guideline 7-2-1/7-2-2: who does what by when (a tracker deadline until done)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        SafetyPlan, on_delete=models.CASCADE, related_name="actions", verbose_name="安全計畫"
    )
    task = models.CharField(
        "事項",
        max_length=80,
        help_text="例：向大安分局申請巡邏點。會列入期限追蹤：請勿寫地址、旅館或被害人姓名。",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="負責人員"
    )
    due_on = models.DateField("期限")
    done_on = models.DateField("完成日期", null=True, blank=True)
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "安全計畫措施"
        verbose_name_plural = "安全計畫措施"
        ordering = ["due_on", "created_at"]

    def __str__(self) -> str:
        return f"安全措施 {str(self.pk)[:8]}"

    def clean(self) -> None:
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": "完成日期不能晚於今天。"})


class ProtectionOrder(models.Model):
    """Guideline 7-2-3: a protection-order application and the order (DV Act, Stalking Act)."""

    class Kind(models.TextChoices):
        EMERGENCY = "emergency", "緊急保護令（家暴法）"
        TEMPORARY = "temporary", "暫時保護令（家暴法）"
        ORDINARY = "ordinary", "通常保護令（家暴法）"
        STALKING = "stalking", "跟蹤騷擾保護令（跟騷法）"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="protection_orders", verbose_name="案件"
    )
    kind = models.CharField("種類", max_length=10, choices=Kind.choices)
    court = models.CharField("法院", max_length=40, help_text="例：臺灣臺北地方法院")
    applied_on = models.DateField("聲請日期")
    issued_on = models.DateField("核發日期", null=True, blank=True)
    expires_on = models.DateField("有效期間至", null=True, blank=True)
    note = EncryptedTextField("備註", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "保護令"
        verbose_name_plural = "保護令"
        ordering = ["applied_on", "created_at"]
        indexes = [models.Index(fields=["case", "applied_on"], name="protectionorder_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.pk)[:8]}"

    @property
    def in_force(self) -> bool:
        today = timezone.localdate()
        return bool(self.issued_on) and (self.expires_on is None or self.expires_on >= today)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.applied_on and self.applied_on > today:
            errors["applied_on"] = "聲請日期不能晚於今天。"
        if self.issued_on and self.issued_on > today:
            errors["issued_on"] = "核發日期不能晚於今天。"
        if self.issued_on and self.applied_on and self.issued_on < self.applied_on:
            errors["issued_on"] = "核發日期不能早於聲請日期。"
        if self.expires_on and not self.issued_on:
            errors["expires_on"] = "保護令核發後才有有效期間；請先填寫核發日期。"
        if self.expires_on and self.issued_on and self.expires_on < self.issued_on:
            errors["expires_on"] = "有效期間不能早於核發日期。"
        if errors:
            raise ValidationError(errors)


class ShelterPlacement(models.Model):
    """Guideline 7-3: a short stay in a friendly hotel under the city's scheme, approved by a supervisor.

    `hotel` says where the victim is: only the assigned worker and supervisors ever see it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="shelter_placements", verbose_name="案件"
    )
    scheme = models.ForeignKey(ShelterScheme, on_delete=models.PROTECT, related_name="+", verbose_name="方案")
    hotel = EncryptedCharField("安置旅館", max_length=80)
    check_in = models.DateField("入住日期")
    check_out = models.DateField("退房日期")
    nights = models.PositiveSmallIntegerField("晚數")
    cost = models.PositiveIntegerField("費用（元）")
    note = EncryptedTextField("備註", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申請人員"
    )
    requested_at = models.DateTimeField("申請時間", default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核准督導",
    )
    approved_at = models.DateTimeField("核准時間", null=True, blank=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "緊急安置"
        verbose_name_plural = "緊急安置"
        ordering = ["check_in", "requested_at"]
        indexes = [models.Index(fields=["case", "check_in"], name="shelter_case")]

    def __str__(self) -> str:
        # Never the hotel: this string may reach logs, the admin or error pages.
        return f"緊急安置 {str(self.pk)[:8]}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.check_in and self.check_out and self.check_out <= self.check_in:
            errors["check_out"] = "退房日期須晚於入住日期。"
        scheme = self.scheme if self.scheme_id else None
        if scheme is not None and self.nights and scheme.max_nights and self.nights > scheme.max_nights:
            errors["check_out"] = f"{scheme.name}每次最多 {scheme.max_nights} 晚；超過請另案簽核。"
        if scheme is not None and scheme.nightly_cap and self.nights and self.cost is not None:
            cap = scheme.nightly_cap * self.nights
            if self.cost > cap:
                errors["cost"] = (
                    f"費用超過方案補助上限（每晚 {scheme.nightly_cap} 元 × {self.nights} 晚 = {cap} 元）。"
                )
        if errors:
            raise ValidationError(errors)
