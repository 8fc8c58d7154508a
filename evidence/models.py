"""Guideline items 4-3-2, 6 and 8-1-3D: records *about* evidence, never the evidence itself.

The centre keeps no copy of any image (4-3-2E): no model here has a file field, and an item's
fingerprint is two hex digests computed in the browser (static/evidence/fingerprint.js).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.history import AuditedHistoricalRecords
from cases.models import Case
from cases.privacy import EncryptedCharField, EncryptedTextField
from evidence import rules

# --- catalogues -----------------------------------------------------------------------------------


class Platform(models.Model):
    """Guideline 8-1-3D: a platform with the evidence the takedown centre needs for it (網站平台)."""

    class Needs(models.TextChoices):
        ACCOUNT = rules.NEEDS_ACCOUNT, "對方帳號"
        VIDEO_POST_URL = rules.NEEDS_VIDEO_POST_URL, "影片貼文網址"
        MESSAGE_POST_URL = rules.NEEDS_MESSAGE_POST_URL, "訊息貼文網址"
        PRIVATE_ACCOUNT_REPORT = rules.NEEDS_PRIVATE_ACCOUNT_REPORT, "私人帳號檢舉"
        VIDEO_URL = rules.NEEDS_VIDEO_URL, "影片網址"
        ARTICLE_POST_URL = rules.NEEDS_ARTICLE_POST_URL, "文章貼文網址"

    code = models.SlugField("代碼", max_length=30, unique=True)
    kind = models.CharField("網站類型", max_length=40)
    name = models.CharField("網站平台", max_length=60)
    needs = models.CharField("影像證據", max_length=30, choices=Needs.choices)
    requires_recording = models.BooleanField(
        "須錄影保留蒐證過程", default=False, help_text="指引 6-1-3B：Instagram、Telegram。"
    )
    shows_ip = models.BooleanField("會顯示張貼者 IP", default=False, help_text="如 PTT：請記錄 IP 位址。")
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True, help_text="不再使用的平台請停用，不要刪除。")
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "平台（影像證據）"
        verbose_name_plural = "平台（影像證據）"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.kind}）"


class ChecklistItem(models.Model):
    """Guideline 4-3-2B, 6-1-2, 6-1-3A and 6-1-3B (a)–(g): one line of the teaching checklists, by version."""

    class Group(models.TextChoices):
        DONT_DELETE = "dont_delete", "請勿刪除、請勿封鎖（4-3-2B）"
        REMINDER = "reminder", "蒐證提醒（6-1-3A）"
        CHECKLIST = "checklist", "蒐證檢核（6-1-3B）"
        ROOM = "room", "面訪場地設備（6-1-2）"

    code = models.CharField("代碼", max_length=30)
    version = models.CharField("版本（年度）", max_length=10)
    group = models.CharField("類別", max_length=20, choices=Group.choices)
    text = models.CharField("內容", max_length=200)
    guideline_ref = models.CharField("指引對應", max_length=20, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "蒐證教學檢核項目"
        verbose_name_plural = "蒐證教學檢核項目"
        ordering = ["version", "group", "sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="evidence_checklist_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.text}"


# --- a case's evidence ------------------------------------------------------------------------------


class EvidenceTeaching(models.Model):
    """Guideline 4-3-2A–C, 6-1 and 8-2: how the victim was taught to keep evidence, one record per case.

    Takedown (8-2) and the police report (9-1-3) refer to it instead of asking again.
    """

    class Mode(models.TextChoices):
        FACE_TO_FACE = "face", "面對面"
        PHONE = "phone", "電話"
        VIDEO = "video", "線上提供教學影片"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="evidence_teaching", verbose_name="案件"
    )
    taught_on = models.DateField("教學日期")
    mode = models.CharField("教學方式", max_length=10, choices=Mode.choices)
    face_to_face_refused = models.BooleanField("個案不同意面訪", default=False)
    video_link_sent_on = models.DateField("教學影片連結提供日期", null=True, blank=True)
    weak_chinese = models.BooleanField("中文能力不佳", default=False)
    weak_digital = models.BooleanField("數位資訊能力不佳", default=False)
    interpreter_needed = models.BooleanField("需要通譯", default=False)
    language = models.CharField("使用語言", max_length=40, blank=True)
    advised_collect_now = models.BooleanField("已建議即時蒐證（截圖、拍照、錄影）", default=False)
    told_center_keeps_no_copy = models.BooleanField("已說明本中心不另存證據", default=False)
    checklist_version = models.CharField("檢核表版本", max_length=10)
    ticked = models.JSONField("已完成項目", default=list, blank=True)
    waived = models.BooleanField("免除蒐證檢核", default=False)
    waiver_reason = EncryptedTextField("免除原因", blank=True)
    note = EncryptedTextField("備註", blank=True)
    taught_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="教學人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "蒐證教學"
        verbose_name_plural = "蒐證教學"

    def __str__(self) -> str:
        return f"蒐證教學 {self.taught_on:%Y-%m-%d}"


class EvidenceItem(models.Model):
    """Guideline 4-3-2D/E, 6-1-3B (a)–(g), 6-2a: one piece of evidence, in words and digests only."""

    class KeptWhere(models.TextChoices):
        USB = "usb", "加密隨身碟"
        OWN_DEVICE = "device", "被害人自己的設備"
        OTHER = "other", "其他"
        NOT_YET = "not_yet", "尚未保存"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="evidence_items", verbose_name="案件"
    )
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+", verbose_name="平台")
    url = EncryptedCharField("網址", max_length=1000, blank=True)
    poster_account_name = EncryptedCharField("對方帳號名稱", max_length=200, blank=True)
    poster_account_id = EncryptedCharField("對方帳號 ID", max_length=200, blank=True)
    poster_ip = models.GenericIPAddressField("張貼者 IP", null=True, blank=True)
    content_summary = EncryptedTextField("張貼內容（文字描述，不含影像）", blank=True)
    act_on = models.DateField("行為時間", null=True, blank=True)
    filmed_on = models.DateField("影像攝錄時間", null=True, blank=True)
    first_seen_on = models.DateField("首次發現於網路日期")
    capture_fullscreen = models.BooleanField("全螢幕截圖（含日期）", default=False)
    capture_recording = models.BooleanField("錄影", default=False)
    capture_photo = models.BooleanField("拍照", default=False)
    chat_log_saved = models.BooleanField("已保存對話紀錄", default=False)
    ephemeral = models.BooleanField("限時動態或一次性觀看內容", default=False)
    kept_where = models.CharField(
        "被害人保存方式", max_length=10, choices=KeptWhere.choices, default=KeptWhere.NOT_YET
    )
    kept_encrypted = models.BooleanField("檔案已加密", default=False)
    copy_confirmed_on = models.DateField("被害人確認已自行保存日期", null=True, blank=True)
    handed_to_police_on = models.DateField("提供警方日期", null=True, blank=True)
    sha256 = models.CharField("SHA-256 指紋", max_length=64, blank=True, db_index=True)
    phash = models.CharField("感知雜湊", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "證據項目"
        verbose_name_plural = "證據項目"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["case", "created_at"], name="evidenceitem_case")]
        permissions = [("manage_evidence", "記錄證據保存與蒐證教學")]

    def __str__(self) -> str:
        return f"{self.platform.name} {self.url or ''}".strip()

    @property
    def capture_label(self) -> str:
        parts = [
            label
            for flag, label in (
                (self.capture_fullscreen, "全螢幕截圖（含日期）"),
                (self.capture_recording, "錄影"),
                (self.capture_photo, "拍照"),
            )
            if flag
        ]
        return "、".join(parts) or "未記錄"

    @property
    def retention_due(self):
        return rules.retention_due(self.first_seen_on)
