"""The hub: victims, intakes (calls and referral forms), cases, dispatch and the read log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case as CaseWhen
from django.db.models import F, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from cases.audit_chain import ChainedRow
from cases.history import AuditedHistoricalRecords
from cases.identifiers import normalise_national_id
from cases.models.indexes import NullsOrderIndex
from cases.privacy import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedTextField,
    name_index,
    national_id_index,
    phone_index,
)


class Victim(models.Model):
    """被害人. Identifying data encrypted; phone and ID matched through blind indexes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = EncryptedCharField("姓名", max_length=100)
    name_index = models.CharField("姓名比對碼", max_length=64, blank=True, db_index=True, editable=False)
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
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "被害人"
        verbose_name_plural = "被害人"

    def __str__(self) -> str:
        return f"被害人 {str(self.pk)[:8]}"

    # A value and its blind index are always set together, so matching never drifts from what is stored.
    def set_name(self, value: str) -> None:
        self.name = (value or "").strip()
        self.name_index = name_index(self.name)

    def set_phone(self, value: str) -> None:
        self.phone = (value or "").strip()
        self.phone_index = phone_index(self.phone)

    def set_national_id(self, value: str) -> None:
        self.national_id = normalise_national_id(value or "")
        self.national_id_index = national_id_index(self.national_id)


LIST_COLUMNS = [
    "next_deadline_due_at",
    "next_deadline_kind",
    "last_contact_at",
    "last_dispatched_at",
    "delegated_deadlines",
]


class Case(models.Model):
    """案件: one per victim, opened from an intake and dispatched to a direct-service worker."""

    class Status(models.TextChoices):
        NEW = "new", "待派案"
        ASSIGNED = "assigned", "服務中"
        CLOSE_REQUESTED = "close_requested", "結案審核中"
        CLOSED = "closed", "已結案"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField("案號", max_length=20, unique=True)
    victim = models.ForeignKey(Victim, on_delete=models.PROTECT, related_name="cases", verbose_name="被害人")
    status = models.CharField("狀態", max_length=16, choices=Status.choices, default=Status.NEW)
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
    # 指引 7-1a: set by an answer 有立即危險 (at intake or any contact); cleared only by a later contact's
    # answer 無立即危險 or by a supervisor. Every change is in the case's history with its note.
    danger_since = models.DateTimeField("立即危險標記時間", null=True, blank=True)
    danger_note = EncryptedTextField("立即危險標記說明", blank=True)
    # What the case lists show and sort on, kept here by the hub's services in the same transaction as
    # the deadline, contact or dispatch that changes them (cases.list_columns). Derived, so not history.
    next_deadline_due_at = models.DateTimeField("下一個期限", null=True, blank=True, editable=False)
    next_deadline_kind = models.CharField("下一個期限類別", max_length=24, blank=True, editable=False)
    last_contact_at = models.DateTimeField("最後聯繫", null=True, blank=True, editable=False)
    last_dispatched_at = models.DateTimeField("最近派案", null=True, blank=True, editable=False)
    # Open deadlines on the case that its worker does not own (an escort's, or no one's): the worker's
    # deadline dashboard lists them too, and finds them through the few cases where this is not 0.
    delegated_deadlines = models.PositiveIntegerField("他人負責的進行中期限", default=0, editable=False)
    # The victim's name index, copied here by the services that open a case or rename its victim, so the
    # search box reads a name's newest cases from an index (case_search_name) instead of sorting all of
    # them: at a million cases one full name matches thousands. Blanked with the case by retention.
    victim_name_index = models.CharField("被害人姓名比對碼", max_length=64, blank=True, editable=False)
    # The assigned worker's last and first name (null without a worker), so the unit's list by worker
    # reads a page from an index (case_list_by_worker*) instead of sorting every case by a joined name.
    # Staff names, not the victim's. Kept by database triggers (cases/worker_sort.py), whoever writes.
    # Null, not "", without a worker: the list puts those cases last (NULLS LAST, as the index reads).
    worker_last_name = models.CharField("承辦社工姓（排序用）", max_length=150, null=True, editable=False)  # noqa: DJ001
    worker_first_name = models.CharField("承辦社工名（排序用）", max_length=150, null=True, editable=False)  # noqa: DJ001
    history = AuditedHistoricalRecords(
        excluded_fields=[*LIST_COLUMNS, "victim_name_index", "worker_last_name", "worker_first_name"]
    )

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["assigned_worker", "status", "-opened_at"], name="case_worker_status"),
            # A worker's open cases holding deadlines someone else owns: the deadline dashboard looks
            # them up once per request (selectors.open_deadlines_for_user); usually none.
            models.Index(
                fields=["assigned_worker"],
                include=["id"],
                name="case_worker_delegated",
                condition=models.Q(status__in=["assigned", "close_requested"], delegated_deadlines__gt=0),
            ),
            models.Index(fields=["status", "-opened_at"], name="case_status_opened"),
            models.Index(fields=["-opened_at"], name="case_opened"),
            models.Index(
                fields=["danger_since"], name="case_danger", condition=models.Q(danger_since__isnull=False)
            ),
            # The case lists' default order (danger first, then newest: selectors.CASE_LIST_SORTS), so a
            # page of 50 is read from the index instead of sorting every case in scope.
            models.Index(fields=["danger_since", "-opened_at"], name="case_list_danger"),
            models.Index(
                fields=["assigned_worker", "danger_since", "-opened_at"], name="case_list_worker_danger"
            ),
            # The other sorts of the lists, for a worker's cases and for the unit's (CASE_LIST_SORTS).
            models.Index(
                fields=["assigned_worker", "-opened_at"], include=["id"], name="case_list_worker_opened"
            ),
            models.Index(
                fields=["assigned_worker", "-opened_at"],
                include=["id"],
                name="case_list_worker_flagged",
                condition=Q(danger_since__isnull=False),
            ),
            models.Index(fields=["next_deadline_due_at", "-opened_at"], name="case_list_due"),
            # The unit's list by worker (name, then the worker's id, unassigned last, newest first), all
            # cases, flagged ones and one state (CASE_LIST_SORTS["worker"]; ascending keys put nulls
            # last on PostgreSQL, as that ordering asks).
            models.Index(
                fields=["worker_last_name", "worker_first_name", "assigned_worker", "-opened_at"],
                name="case_list_by_worker",
            ),
            models.Index(
                fields=["worker_last_name", "worker_first_name", "assigned_worker", "-opened_at"],
                name="case_list_by_worker_flagged",
                condition=Q(danger_since__isnull=False),
            ),
            models.Index(
                fields=["status", "worker_last_name", "worker_first_name", "assigned_worker", "-opened_at"],
                name="case_list_status_by_worker",
            ),
            # The search box by full name (cases.search): a page of a name's newest cases, unit and worker.
            models.Index(fields=["victim_name_index", "-opened_at"], name="case_search_name"),
            models.Index(
                fields=["assigned_worker", "victim_name_index", "-opened_at"], name="case_search_worker_name"
            ),
            models.Index(
                fields=["assigned_worker", "next_deadline_due_at", "-opened_at"], name="case_list_worker_due"
            ),
            NullsOrderIndex(
                F("last_contact_at").asc(nulls_first=True), F("opened_at").desc(), name="case_list_contact"
            ),
            NullsOrderIndex(
                F("assigned_worker"),
                F("last_contact_at").asc(nulls_first=True),
                F("opened_at").desc(),
                name="case_list_worker_contact",
            ),
            NullsOrderIndex(
                F("last_dispatched_at").desc(nulls_last=True),
                F("opened_at").desc(),
                name="case_list_dispatched",
            ),
            NullsOrderIndex(
                F("assigned_worker"),
                F("last_dispatched_at").desc(nulls_last=True),
                F("opened_at").desc(),
                name="case_list_worker_dispatched",
            ),
        ]
        permissions = [
            ("view_all_cases", "可檢視全部案件"),
            ("work_cases", "可承辦案件（直接服務）"),
            ("dispatch_case", "可派案／改派"),
            ("view_unit_overview", "可檢視單位總覽"),
            ("view_audit_trail", "可檢視稽核軌跡"),
            ("approve_closing", "可核定結案、重新開案、解除危險標記"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def in_danger(self) -> bool:
        return self.danger_since is not None

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CaseNumberCounter(models.Model):
    """Per-ROC-year running number for readable case numbers (113-000042); holds no PII."""

    roc_year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.roc_year}: {self.last_number}"


# Immediate danger first (0), then the rest (1): the intake queue's order and its index.
QUEUE_ORDER = CaseWhen(When(immediate_danger="yes", then=Value(0)), default=Value(1))


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
    victim_name_index = models.CharField(
        "姓名比對碼", max_length=64, blank=True, db_index=True, editable=False
    )
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
    # 指引 1-2c: what the hotline needs to remind the caller of the complaint period (the legal app shows
    # the date on the intake page; the legal record comes later, with the case).
    learned_of_images_on = models.DateField("知悉影像日期", null=True, blank=True)
    offender_known = models.BooleanField("已知悉犯人", null=True, blank=True)
    knew_offender_on = models.DateField("知悉犯人日期", null=True, blank=True)
    sms_consent = models.BooleanField("同意以簡訊聯繫", default=False)
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
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "受理紀錄"
        verbose_name_plural = "受理紀錄"
        ordering = ["received_at"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="intake_queue"),
            # The queue's order (selectors.intake_queue), so a page is read from the index instead of
            # sorting every waiting intake (27,000 at a million cases).
            models.Index(
                QUEUE_ORDER, F("received_at"), name="intake_queue_danger", condition=Q(status="pending")
            ),
            # The search box looks among the waiting intakes only: these stay as small as the queue. By
            # name newest first, so a common name's first page is read from the index, not sorted.
            models.Index(
                fields=["victim_name_index", "-received_at"],
                name="intake_pending_name",
                condition=Q(status="pending"),
            ),
            models.Index(
                fields=["victim_phone_index"], name="intake_pending_phone", condition=Q(status="pending")
            ),
            models.Index(
                fields=["victim_national_id_index"],
                name="intake_pending_national_id",
                condition=Q(status="pending"),
            ),
        ]
        permissions = [("process_intake", "可處理受理佇列（開案、併案、派案）")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("cases:intake_detail", args=[self.pk])

    def set_victim_name(self, value: str) -> None:
        self.victim_name = (value or "").strip()
        self.victim_name_index = name_index(self.victim_name)

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
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "派案紀錄"
        verbose_name_plural = "派案紀錄"
        ordering = ["dispatched_at"]

    def __str__(self) -> str:
        return f"派案 {self.dispatched_at:%Y-%m-%d %H:%M}"


class CaseReadLog(ChainedRow):
    """Who opened which case page, and when (guideline G-1; docs/privacy.md).

    A page that lists victims (the case lists, the waiting intakes) writes one row per case or intake
    shown. Part of the audit trail: hash-chained, append-only, and PROTECTed so deleting a case, an
    intake or a user cannot erase who read it (cases are closed and anonymised, accounts deactivated).
    """

    # No database constraint and no single-column index on the three links (PROTECT still applies in
    # Django): a list page inserts 50 rows, and each constraint check locked the case row it named
    # (FOR KEY SHARE, a write to 50 case rows per page view), while the indexes below already lead with
    # case and user. An audit row must outlive what it names anyway.
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="read_logs",
        db_constraint=False,
        db_index=False,
    )
    # A waiting intake shown in the queue, before any case exists.
    intake = models.ForeignKey(
        "cases.Intake",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    view = models.CharField("頁面", max_length=40)  # the page as staff name it, shown on the timeline
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "案件閱覽紀錄"
        verbose_name_plural = "案件閱覽紀錄"
        indexes = [
            models.Index(fields=["case", "read_at"], name="readlog_case_time"),
            models.Index(fields=["user", "read_at"], name="readlog_user_time"),  # the audit page per user
            # Most rows name a case, not a waiting intake.
            models.Index(fields=["intake"], name="readlog_intake", condition=models.Q(intake__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"閱覽 {self.read_at:%Y-%m-%d %H:%M}"
