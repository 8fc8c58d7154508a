"""The hub: victims, intakes (calls and referral forms), cases, dispatch and the read log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.identifiers import normalise_national_id
from cases.privacy import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
    national_id_index,
    phone_index,
)


class Victim(models.Model):
    """被害人. Identifying data encrypted; phone and ID matched through blind indexes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = EncryptedCharField("姓名", max_length=100)
    phone = EncryptedCharField("手機號碼", max_length=30, blank=True)
    phone_index = models.CharField("手機比對碼", max_length=64, blank=True, db_index=True, editable=False)
    national_id = EncryptedCharField("身分證字號", max_length=10, blank=True)
    national_id_index = models.CharField(
        "身分證比對碼", max_length=64, blank=True, db_index=True, editable=False
    )
    address = EncryptedCharField("地址", max_length=200, blank=True)
    birth_date = EncryptedDateField("出生日期", null=True, blank=True)
    sms_consent = models.BooleanField("同意以簡訊聯繫", default=False)
    created_at = models.DateTimeField("建立時間", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "被害人"
        verbose_name_plural = "被害人"

    def __str__(self) -> str:
        return f"被害人 {str(self.pk)[:8]}"

    # A value and its blind index are always set together, so matching never drifts from what is stored.
    def set_phone(self, value: str) -> None:
        self.phone = (value or "").strip()
        self.phone_index = phone_index(self.phone)

    def set_national_id(self, value: str) -> None:
        self.national_id = normalise_national_id(value or "")
        self.national_id_index = national_id_index(self.national_id)


class Case(models.Model):
    """案件: one per victim, opened from an intake and dispatched to a direct-service worker."""

    class Status(models.TextChoices):
        NEW = "new", "待派案"
        ASSIGNED = "assigned", "服務中"
        CLOSED = "closed", "已結案"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField("案號", max_length=20, unique=True)
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="cases", verbose_name="被害人")
    status = models.CharField("狀態", max_length=12, choices=Status.choices, default=Status.NEW)
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name="承辦社工",
    )
    opened_at = models.DateTimeField("開案時間", default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="開案人員"
    )
    updated_at = models.DateTimeField("最後更新", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["assigned_worker", "status", "-opened_at"], name="case_worker_status"),
            models.Index(fields=["status", "-opened_at"], name="case_status_opened"),
            models.Index(fields=["-opened_at"], name="case_opened"),
        ]
        permissions = [
            ("view_all_cases", "可檢視全部案件"),
            ("work_cases", "可承辦案件（直接服務）"),
            ("dispatch_case", "可派案／改派"),
            ("view_unit_overview", "可檢視單位總覽"),
            ("view_audit_trail", "可檢視稽核軌跡"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])


class CaseNumberCounter(models.Model):
    """Per-ROC-year running number for readable case numbers (113-000042); holds no PII."""

    roc_year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.roc_year}: {self.last_number}"


class Intake(models.Model):
    """Guideline 1: a hotline call or a referral form (轉介表) waiting in, or handled from, the queue."""

    class Source(models.TextChoices):
        CALL = "call", "專線來電"
        REFERRAL = "referral", "轉介表"

    class Channel(models.TextChoices):
        HOTLINE = "hotline", "24小時專線"
        OTHER_PHONE = "other_phone", "其他電話"
        EMAIL = "email", "電子郵件"
        WALK_IN = "walk_in", "臨櫃"
        REFERRAL_FORM = "referral_form", "轉介表"

    class CallerRelation(models.TextChoices):
        VICTIM = "victim", "被害人本人"
        FAMILY = "family", "家屬"
        FRIEND = "friend", "朋友"
        PROFESSIONAL = "professional", "專業人員（學校、醫院、社福）"
        POLICE = "police", "警察"
        OTHER = "other", "其他"

    class Wishes(models.TextChoices):
        WANTS_SERVICE = "wants_service", "同意接受服務"
        UNDECIDED = "undecided", "考慮中"
        DECLINES = "declines", "暫無意願接受服務"

    class Danger(models.TextChoices):
        YES = "yes", "有立即危險"
        NO = "no", "無立即危險"
        UNKNOWN = "unknown", "未能確認"

    class Status(models.TextChoices):
        PENDING = "pending", "待處理"
        ACCEPTED = "accepted", "已開案"
        ATTACHED = "attached", "已併入既有案件"
        CLOSED = "closed", "不開案"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    source = models.CharField("來源", max_length=10, choices=Source.choices)
    source_organisation = models.CharField("轉介單位", max_length=100, blank=True)
    received_at = models.DateTimeField("受理時間", default=timezone.now)
    channel = models.CharField("管道", max_length=20, choices=Channel.choices, default=Channel.HOTLINE)
    caller_relation = models.CharField(
        "來電者／轉介者身分", max_length=20, choices=CallerRelation.choices, default=CallerRelation.VICTIM
    )
    caller_name = EncryptedCharField("來電者姓名", max_length=100, blank=True)
    victim_name = EncryptedCharField("被害人姓名", max_length=100)
    victim_phone = EncryptedCharField("被害人手機", max_length=30, blank=True)
    victim_phone_index = models.CharField(
        "手機比對碼", max_length=64, blank=True, db_index=True, editable=False
    )
    victim_national_id = EncryptedCharField("被害人身分證字號", max_length=10, blank=True)
    victim_national_id_index = models.CharField(
        "身分證比對碼", max_length=64, blank=True, db_index=True, editable=False
    )
    victim_birth_date = EncryptedDateField("被害人出生日期", null=True, blank=True)
    requests = models.JSONField("來電需求", default=list, blank=True)
    services_offered = models.JSONField("已提供服務", default=list, blank=True)
    wishes = models.CharField(
        "被害人意願", max_length=20, choices=Wishes.choices, default=Wishes.WANTS_SERVICE
    )
    wishes_note = EncryptedTextField("意願說明", blank=True)
    immediate_danger = models.CharField(
        "立即人身安全危險", max_length=10, choices=Danger.choices, default=Danger.UNKNOWN
    )
    narrative = EncryptedTextField("案情概述")
    status = models.CharField("處理狀態", max_length=10, choices=Status.choices, default=Status.PENDING)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="intakes", verbose_name="案件"
    )
    closed_note = EncryptedTextField("不開案說明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="處理人員",
    )
    handled_at = models.DateTimeField("處理時間", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "受理紀錄"
        verbose_name_plural = "受理紀錄"
        ordering = ["received_at"]
        indexes = [models.Index(fields=["status", "received_at"], name="intake_queue")]
        permissions = [("process_intake", "可處理受理佇列（開案、併案、派案）")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("cases:intake_detail", args=[self.pk])

    def set_victim_phone(self, value: str) -> None:
        self.victim_phone = (value or "").strip()
        self.victim_phone_index = phone_index(self.victim_phone)

    def set_victim_national_id(self, value: str) -> None:
        self.victim_national_id = normalise_national_id(value or "")
        self.victim_national_id_index = national_id_index(self.victim_national_id)


class Dispatch(models.Model):
    """派案: who gave the case to which worker, and why. Re-dispatch adds a row; nothing is overwritten."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="dispatches")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="社工"
    )
    previous_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="原承辦社工",
    )
    reason = EncryptedTextField("派案說明")
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="派案人員"
    )
    dispatched_at = models.DateTimeField("派案時間", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "派案紀錄"
        verbose_name_plural = "派案紀錄"
        ordering = ["dispatched_at"]

    def __str__(self) -> str:
        return f"派案 {self.dispatched_at:%Y-%m-%d %H:%M}"


class CaseReadLog(models.Model):
    """Who opened which case page, and when (DOMAIN §2.5)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="read_logs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    view = models.CharField("頁面", max_length=40)  # the page as staff name it, shown on the timeline
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "案件閱覽紀錄"
        verbose_name_plural = "案件閱覽紀錄"
        indexes = [models.Index(fields=["case", "read_at"], name="readlog_case_time")]

    def __str__(self) -> str:
        return f"閱覽 {self.read_at:%Y-%m-%d %H:%M}"


class Deadline(models.Model):
    """One tracker for every deadline of DOMAIN §5, each tied to the record that set it."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "告訴期間（6個月）"
        LIMITATION = "limitation", "追訴權時效"
        ACCUSATION = "accusation", "中心告發"
        SERVICE_RECORD = "service_record", "出勤服務工作紀錄表（陪偵後3日）"
        PLATFORM_RETENTION = "platform_retention", "平台資料保存（約180天）"
        TAKEDOWN = "takedown", "下架追蹤（兒少24小時／成人72小時）"
        PROTECTION_ORDER = "protection_order", "保護令到期"
        APPOINTMENT = "appointment", "預約（開庭／法律諮詢／報案）"

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
    history = HistoricalRecords()

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


class DeadlineReminder(models.Model):
    """One row per deadline and reminder step; the unique constraint makes the scan idempotent."""

    OVERDUE = -1

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
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
        SYSTEM = "system", "系統"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="收件人",
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
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

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


# --- SMS to victims (guideline 1-3, reminders): docs/sms.md ---------------------------------------


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
    history = HistoricalRecords()

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
