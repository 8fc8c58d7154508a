"""Guideline items 1-3c (resources), 5 (prevention, StopNCII, privacy settings) and 8 (takedown complaints).

Evidence items live in the evidence app; a complaint refers to them by key (cases.registry.linkable_records)
and copies the URL and platform name it needs, so the two apps never import each other.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.history import AuditedHistoricalRecords
from cases.models import Case
from cases.privacy import EncryptedCharField, EncryptedTextField
from takedown import catalogue

# --- catalogues -----------------------------------------------------------------------------------


class ResourceLink(models.Model):
    """Guideline 1-3c (and 2-2d, 4-3-2C, 5-3-R): one line of the public resources page."""

    class Category(models.TextChoices):
        LAW = catalogue.LAW, "法律"
        TAKEDOWN = catalogue.TAKEDOWN, "遭散布性私密影像申訴服務"
        SUPPORT = catalogue.SUPPORT, "心理支持資源"

    code = models.SlugField("代碼", max_length=40, unique=True)
    category = models.CharField("類別", max_length=10, choices=Category.choices)
    title = models.CharField("名稱", max_length=120)
    url = models.URLField("網址", max_length=300, blank=True)
    phone = models.CharField("電話", max_length=60, blank=True)
    hours = models.CharField("服務時間", max_length=60, blank=True)
    note = models.CharField("說明", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "資源連結"
        verbose_name_plural = "資源連結"
        ordering = ["category", "sort_order"]

    def __str__(self) -> str:
        return self.title


class StopNCIIPartner(models.Model):
    """Guideline 5-2-1: a company StopNCII shares the hashes with."""

    code = models.SlugField("代碼", max_length=30, unique=True)
    name = models.CharField("合作公司", max_length=60)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "StopNCII 合作公司"
        verbose_name_plural = "StopNCII 合作公司"
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


class PrivacySettingItem(models.Model):
    """Guideline 5-3-1…5-3-3B: one privacy setting to teach, per platform."""

    code = models.SlugField("代碼", max_length=30, unique=True)
    platform = models.CharField("平台", max_length=20)
    text = models.CharField("設定", max_length=120)
    guideline_ref = models.CharField("指引對應", max_length=20, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "隱私權設定項目"
        verbose_name_plural = "隱私權設定項目"
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return f"{self.platform}：{self.text}"


# --- a case's takedown side ---------------------------------------------------------------------------


class MinorAnswer(models.TextChoices):
    YES = "yes", "是（未滿18歲，兒少案件24小時）"
    NO = "no", "否（成年，72小時）"
    UNKNOWN = "unknown", "不明（以24小時追蹤）"


class TakedownComplaint(models.Model):
    """Guideline 8-1, 8-1-T, 8-1-3B/C, 8-1-4, 8-2: a complaint to the 性影像處理中心 for one or more URLs."""

    class FiledBy(models.TextChoices):
        WORKER = "worker", "社工"
        POLICE = "police", "警方"
        VICTIM = "victim", "被害人自行"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="takedown_complaints", verbose_name="案件"
    )
    filed_at = models.DateTimeField("申訴時間")
    filed_by_kind = models.CharField("申訴人", max_length=10, choices=FiledBy.choices)
    reference_no = models.CharField("性影像處理中心案號", max_length=60, blank=True)
    acceptance_confirmed_at = models.DateTimeField("確認受理時間", null=True, blank=True)
    minor_at_time = models.CharField("影像中的人當時未成年", max_length=10, choices=MinorAnswer.choices)
    due_at = models.DateTimeField("下架追蹤期限")
    resolved_at = models.DateTimeField("全部網址處理完成時間", null=True, blank=True)
    form_completed_by_victim = models.BooleanField("被害人已填完申請表", default=False)
    victim_informed_follow_up = models.BooleanField("已告知被害人後續追蹤方式", default=False)
    timeliness_varies_explained = models.BooleanField("已說明各平台處理時效與程度不同", default=False)
    role_explained = models.BooleanField(
        "已說明本中心負責陪伴追蹤，搜查與下架由性影像處理中心負責", default=False
    )
    victim_calmed = models.BooleanField("已安撫被害人情緒", default=False)
    centre_notified_victim_on = models.DateField("性影像處理中心來信告知被害人日期", null=True, blank=True)
    checklist_state = models.CharField("申訴時的蒐證檢核", max_length=300)
    note = EncryptedTextField("備註", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "下架申訴"
        verbose_name_plural = "下架申訴"
        ordering = ["-filed_at"]
        indexes = [
            models.Index(fields=["case", "filed_at"], name="takedown_case"),
            models.Index(fields=["filed_at"], name="takedown_filed"),
        ]
        permissions = [
            ("manage_takedown", "記錄下架申訴、StopNCII 與預防建議"),
            ("view_takedown_overview", "查看全單位下架時效"),
        ]

    def __str__(self) -> str:
        return f"下架申訴 {self.reference_no or ''}".strip()


class TakedownTarget(models.Model):
    """Guideline 8-1-3B: one URL or account of a complaint, with its outcome."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "處理中"
        REMOVED = "removed", "已下架"
        RESTRICTED = "restricted", "已限制瀏覽"
        REFUSED = "refused", "業者拒絕"
        NO_RESPONSE = "no_response", "境外平台未回應"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    complaint = models.ForeignKey(
        TakedownComplaint, on_delete=models.CASCADE, related_name="targets", verbose_name="下架申訴"
    )
    evidence_key = models.CharField("證據項目", max_length=80)
    url = EncryptedCharField("網址", max_length=1000, blank=True)
    platform_name = models.CharField("平台", max_length=60)
    outcome = models.CharField("處理結果", max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField("結果日期", null=True, blank=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "下架網址"
        verbose_name_plural = "下架網址"
        ordering = ["platform_name", "url"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "evidence_key"], name="takedown_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.platform_name} {self.url}".strip()


class TakedownFollowUp(models.Model):
    """Guideline 8-1-4: a follow-up with the takedown centre."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    complaint = models.ForeignKey(
        TakedownComplaint, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="下架申訴"
    )
    at = models.DateTimeField("追蹤時間")
    result = EncryptedTextField("追蹤結果")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="追蹤人員"
    )
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "下架追蹤"
        verbose_name_plural = "下架追蹤"
        ordering = ["at"]

    def __str__(self) -> str:
        return f"下架追蹤 {self.at:%Y-%m-%d %H:%M}"


class StopNCIICase(models.Model):
    """Guideline 5-2, 5-2-2, 5-2-3, 8-1-3A: StopNCII explained and, if eligible, a case made. No PIN."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="stopncii", verbose_name="案件")
    explained_on = models.DateField("說明日期")
    holds_images = models.BooleanField("被害人持有該性影像", default=False)
    already_spread = models.BooleanField("影像已遭散布", default=False)
    eligible = models.BooleanField("適用 StopNCII", default=False)
    ineligible_reason = models.CharField("不適用原因", max_length=200, blank=True)
    explained_hash_on_device = models.BooleanField("已說明影像留在自己的設備，只傳送代碼", default=False)
    created_on = models.DateField("立案成功日期", null=True, blank=True)
    reminded_keep_number_and_pin = models.BooleanField(
        "已提醒牢記案件編號與密碼（遺失無法回復）", default=False
    )
    case_number = EncryptedCharField("StopNCII 案件編號（被害人同意才記錄）", max_length=60, blank=True)
    note = EncryptedTextField("備註", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "StopNCII"
        verbose_name_plural = "StopNCII"

    def __str__(self) -> str:
        return f"StopNCII {self.explained_on:%Y-%m-%d}"


class PreventionAdvice(models.Model):
    """Guideline 5-1, 5-3, 8-1-2: what was advised against further spread, and the privacy settings taught."""

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face", "面對面"
        PHONE = "phone", "電話"
        ONLINE = "online", "線上"

    class Spread(models.TextChoices):
        NOT_SPREAD = "not_spread", "尚未散布"
        SPREAD = "spread", "已散布"
        THREATENED = "threatened", "遭威脅散布"
        UNSURE = "unsure", "不確定"

    class StillOnline(models.TextChoices):
        YES = "yes", "仍在網路上"
        NO = "no", "已不在網路上"
        UNKNOWN = "unknown", "不清楚"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="prevention_advice", verbose_name="案件"
    )
    # 指引 8-1-1: first learn how far the images spread (the form of violence is the legal app's offences).
    spread_status = models.CharField("散布狀況", max_length=12, choices=Spread.choices, blank=True)
    platforms_known = models.PositiveSmallIntegerField("已知散布平台數", null=True, blank=True)
    urls_known = models.PositiveSmallIntegerField("已知網址數", null=True, blank=True)
    still_online = models.CharField(
        "目前是否仍在網路上", max_length=10, choices=StillOnline.choices, blank=True
    )
    advised_on = models.DateField("建議日期")
    advise_report = models.BooleanField("建議報案", default=False)
    advise_takedown_centre = models.BooleanField("建議向性影像處理中心申訴", default=False)
    advise_lawyer_protection_order = models.BooleanField("建議諮詢律師：犯保保護命令", default=False)
    advise_lawyer_coercive = models.BooleanField("建議諮詢律師：刑事強制處分", default=False)
    introduced_services = models.BooleanField(
        "已介紹性影像處理中心（申訴下架）與 StopNCII（預防散布）", default=False
    )
    victim_response = EncryptedTextField("被害人回應", blank=True)
    privacy_given_on = models.DateField("隱私權設定教學日期", null=True, blank=True)
    privacy_mode = models.CharField("教學方式", max_length=10, choices=Mode.choices, blank=True)
    privacy_items = models.JSONField("已完成的隱私權設定", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "預防建議與隱私權設定"
        verbose_name_plural = "預防建議與隱私權設定"

    def __str__(self) -> str:
        return f"預防建議 {self.advised_on:%Y-%m-%d}"
