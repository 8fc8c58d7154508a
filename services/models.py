"""Guideline items 2 (psychological support) and 3 (accompaniment).

Catalogues (escort checklists, counselling programmes, the PTSD instrument) are data with history,
edited in the admin. Case records keep what the victim said encrypted; deadlines live in the hub's
tracker, each tied to the record that set it.
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.choices import choice_labels
from cases.history import AuditedHistoricalRecords
from cases.models import Case, Contact
from cases.privacy import EncryptedTextField
from services import rules

# --- catalogues ------------------------------------------------------------------------------------


class EscortKind(models.TextChoices):
    INTERVIEW = "interview", "陪同偵訊"
    COURT = "court", "陪同出庭"
    LEGAL_CONSULTATION = "legal_consultation", "陪同法律諮詢"
    COUNSELLING = "counselling", "陪同心理諮商（首次）"


class Phase(models.TextChoices):
    BEFORE = "before", "事前"
    DURING = "during", "過程中"
    AFTER = "after", "事後"


class EscortChecklist(models.Model):
    """Guideline 3-1, 3-2: one version of the interview or court escort checklist (陪同檢核表)."""

    kind = models.CharField("陪同類別", max_length=20, choices=EscortKind.choices)
    version = models.PositiveSmallIntegerField("版本")
    items = models.JSONField(
        "檢核項目",
        help_text='清單，每項 {"code": "3-1-1C", "phase": "before|during|after", "text": "…"}。'
        "已有紀錄使用的版本不能修改：請新增下一個版本。",
    )
    record_due_days = models.PositiveSmallIntegerField(
        "紀錄表期限（日）", default=3, help_text="陪同當日不計入，次日起算（民法第120條）。"
    )
    is_active = models.BooleanField("使用中", default=True)
    note = models.CharField("修訂說明", max_length=200, blank=True)
    created_at = models.DateTimeField("建立時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "陪同檢核表"
        verbose_name_plural = "陪同檢核表"
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="checklist_kind_version")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} 第{self.version}版"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        items = self.items
        if not isinstance(items, list) or not items:
            raise ValidationError({"items": "請至少列出一個檢核項目。"})
        codes = set()
        for item in items:
            if (
                not isinstance(item, dict)
                or not str(item.get("code", "")).strip()
                or item.get("phase") not in Phase.values
                or not str(item.get("text", "")).strip()
            ):
                raise ValidationError({"items": "每個項目需有 code、phase（before／during／after）與 text。"})
            if item["code"] in codes:
                raise ValidationError({"items": f"項目代碼 {item['code']} 重複。"})
            codes.add(item["code"])

    def items_by_phase(self) -> list[tuple[str, list[dict]]]:
        labels = dict(Phase.choices)
        return [(labels[p], [i for i in self.items if i["phase"] == p]) for p in Phase.values]


class CounsellingProgramme(models.Model):
    """Guideline 2-2b, 2-2c: a counselling programme the centre links victims to (諮商方案)."""

    code = models.SlugField("代碼", max_length=30, unique=True)
    name = models.CharField("方案名稱", max_length=100)
    min_age = models.PositiveSmallIntegerField("最低年齡", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("最高年齡", null=True, blank=True)
    free_sessions_per_year = models.PositiveSmallIntegerField("每年免費次數", null=True, blank=True)
    valid_from = models.DateField("實施日期", null=True, blank=True)
    valid_to = models.DateField("結束日期", null=True, blank=True)
    provider_list_url = models.URLField("服務機構名單", blank=True)
    note = models.CharField("說明", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "心理諮商方案"
        verbose_name_plural = "心理諮商方案"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def age_range(self) -> str:
        if self.min_age is None and self.max_age is None:
            return "不限年齡"
        return f"{self.min_age or ''}-{self.max_age or ''}歲"


class PtsdInstrument(models.Model):
    """Guideline 2-1-1b: the PTSD self-check used; the guideline names neither questions nor cut-off."""

    code = models.SlugField("代碼", max_length=30, unique=True)
    name = models.CharField("量表名稱", max_length=100)
    source_url = models.URLField("來源", blank=True)
    questions = models.JSONField("題目（是／否）")
    cutoff = models.PositiveSmallIntegerField("陽性切分點（答「是」的題數）")
    is_active = models.BooleanField("使用中", default=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "PTSD 自我檢測量表"
        verbose_name_plural = "PTSD 自我檢測量表"
        ordering = ["code"]

    def __str__(self) -> str:
        # The admin shows the instance while re-displaying a rejected form, questions and all (issue 21).
        count = len(self.questions) if isinstance(self.questions, list) else "?"
        return f"{self.name}（{self.cutoff}/{count}）"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        questions = self.questions
        if not isinstance(questions, list) or not questions:
            raise ValidationError({"questions": '請以清單列出題目，例如 ["題目一", "題目二"]。'})
        if not all(isinstance(q, str) and q.strip() for q in questions):
            raise ValidationError({"questions": "每一題都需是非空白的文字。"})
        if isinstance(self.cutoff, int) and not 1 <= self.cutoff <= len(questions):
            raise ValidationError({"cutoff": f"切分點需介於 1 與題數（{len(questions)}）之間。"})


# --- a case's records ------------------------------------------------------------------------------


class Screening(models.Model):
    """Guideline 2-1-1: a BSRS-5 screening (簡式健康量表), with an optional PTSD self-check."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings", verbose_name="案件")
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="聯繫紀錄"
    )
    screened_at = models.DateTimeField("檢測時間")
    self_reported = models.BooleanField("被害人自行填答", default=False)
    item1 = models.PositiveSmallIntegerField(rules.BSRS5_ITEMS[0])
    item2 = models.PositiveSmallIntegerField(rules.BSRS5_ITEMS[1])
    item3 = models.PositiveSmallIntegerField(rules.BSRS5_ITEMS[2])
    item4 = models.PositiveSmallIntegerField(rules.BSRS5_ITEMS[3])
    item5 = models.PositiveSmallIntegerField(rules.BSRS5_ITEMS[4])
    item_suicide = models.PositiveSmallIntegerField(rules.BSRS5_SUICIDE_ITEM)
    total = models.PositiveSmallIntegerField("總分")
    band = models.CharField("結果", max_length=20)
    urgent = models.BooleanField("自殺意念緊急", default=False)
    ptsd_instrument = models.ForeignKey(
        PtsdInstrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="PTSD 量表",
    )
    ptsd_answers = models.JSONField("PTSD 答案", null=True, blank=True)
    ptsd_score = models.PositiveSmallIntegerField("PTSD 分數", null=True, blank=True)
    ptsd_cutoff = models.PositiveSmallIntegerField("PTSD 切分點（當時）", null=True, blank=True)
    ptsd_positive = models.BooleanField("PTSD 陽性", null=True, blank=True)
    psychiatry_suggested = models.BooleanField("建議就診身心科", default=False)
    suggestion_given_on = models.DateField("已建議就診日期", null=True, blank=True)
    victim_response = EncryptedTextField("被害人回應", blank=True)
    note = EncryptedTextField("備註", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="檢測人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "情緒篩檢（BSRS-5）"
        verbose_name_plural = "情緒篩檢（BSRS-5）"
        ordering = ["screened_at"]
        indexes = [models.Index(fields=["case", "screened_at"], name="screening_case")]
        permissions = [("manage_services", "可登錄心理支持與陪同服務（篩檢、諮商轉介、陪同）")]

    def __str__(self) -> str:
        return f"情緒篩檢 {str(self.pk)[:8]}"

    @property
    def items(self) -> list[int]:
        return [self.item1, self.item2, self.item3, self.item4, self.item5]


class SupportNote(models.Model):
    """Guideline 2-1: the emotions the worker helped the victim sort out, and the support given (情緒支持)."""

    class Emotion(models.TextChoices):
        SHAME = "shame", "羞愧"
        ANGER = "anger", "憤怒"
        ANXIETY = "anxiety", "焦慮"
        FEAR = "fear", "恐懼"
        OTHER = "other", "其他"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="support_notes", verbose_name="案件"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="聯繫紀錄"
    )
    noted_at = models.DateTimeField("時間")
    emotions = models.JSONField("梳理的情緒", default=list)
    emotions_other = EncryptedTextField("其他情緒", blank=True)
    support_given = EncryptedTextField("回應與支持")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="社工"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "情緒支持紀錄"
        verbose_name_plural = "情緒支持紀錄"
        ordering = ["noted_at"]
        indexes = [models.Index(fields=["case", "noted_at"], name="supportnote_case")]

    def __str__(self) -> str:
        return f"情緒支持紀錄 {str(self.pk)[:8]}"

    def emotion_labels(self) -> str:
        return choice_labels(self.emotions, self.Emotion.choices)


class CounsellingReferral(models.Model):
    """Guideline 2-2: a referral to counselling, with the programme's eligibility on the referral date."""

    class Status(models.TextChoices):
        ASSESSING = "assessing", "評估中"
        REFERRED = "referred", "已轉介"
        IN_USE = "in_use", "使用中"
        ENDED = "ended", "已結束"
        INELIGIBLE = "ineligible", "不符資格"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="counselling_referrals", verbose_name="案件"
    )
    victim_willing = models.BooleanField("被害人有意願接受心理諮商", default=False)
    programme = models.ForeignKey(
        CounsellingProgramme, on_delete=models.PROTECT, related_name="+", verbose_name="方案"
    )
    referred_on = models.DateField("轉介日期")
    provider = models.CharField("諮商機構", max_length=100, blank=True)
    status = models.CharField("狀態", max_length=12, choices=Status.choices, default=Status.ASSESSING)
    eligible = models.BooleanField("符合資格", null=True)
    ineligible_reason = models.CharField("不符資格原因", max_length=100, blank=True)
    applied_on = models.DateField("申請日期", null=True, blank=True)
    decided_on = models.DateField("核定日期", null=True, blank=True)
    approved_amount = models.PositiveIntegerField("核定金額（新臺幣元）", null=True, blank=True)
    sessions_approved = models.PositiveSmallIntegerField("核定次數", null=True, blank=True)
    sessions_used = models.PositiveSmallIntegerField("已使用次數", default=0)
    first_session_on = models.DateField("首次諮商日期", null=True, blank=True)
    first_session_escorted = models.BooleanField("首次諮商社工陪同", default=False)
    note = EncryptedTextField("備註", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "心理諮商轉介"
        verbose_name_plural = "心理諮商轉介"
        ordering = ["referred_on", "created_at"]
        indexes = [models.Index(fields=["case", "referred_on"], name="counselling_case")]

    def __str__(self) -> str:
        return f"心理諮商轉介 {str(self.pk)[:8]}"


class Escort(models.Model):
    """Guideline 3: an escort (陪同服務) with the victim's consent, checklist ticks and structured fields."""

    class Status(models.TextChoices):
        PLANNED = "planned", "已約定"
        DONE = "done", "已完成"
        CANCELLED = "cancelled", "已取消"

    class ConsentHow(models.TextChoices):
        ORAL = "oral", "口頭"
        WRITTEN = "written", "書面"

    class YesNoNa(models.TextChoices):
        YES = "yes", "是"
        NO = "no", "否"
        NA = "na", "不適用"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escorts", verbose_name="案件")
    kind = models.CharField("陪同類別", max_length=20, choices=EscortKind.choices)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="陪同社工"
    )
    status = models.CharField("狀態", max_length=10, choices=Status.choices, default=Status.PLANNED)
    # 指引 3-A: consent before any escort.
    victim_consent = models.BooleanField("被害人同意社工陪同", default=False)
    consent_at = models.DateTimeField("同意時間", null=True, blank=True)
    consent_how = models.CharField("同意方式", max_length=10, choices=ConsentHow.choices, blank=True)
    starts_at = models.DateTimeField("陪同（開庭）時間")
    ends_at = models.DateTimeField("結束時間", null=True, blank=True)
    place = models.CharField("地點", max_length=100, blank=True)
    place_code = models.CharField("簡訊地點代碼", max_length=10, blank=True)
    linked_key = models.CharField("連結紀錄", max_length=80, blank=True)
    linked_label = models.CharField("連結紀錄說明", max_length=200, blank=True)
    counselling_referral = models.ForeignKey(
        CounsellingReferral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escorts",
        verbose_name="心理諮商轉介",
    )
    checklist = models.ForeignKey(
        EscortChecklist,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escorts",
        verbose_name="檢核表版本",
    )
    ticks = models.JSONField("已完成檢核項目", default=list, blank=True)
    tick_notes = EncryptedTextField("檢核項目說明", blank=True)  # JSON {code: note}, encrypted as one text

    # 3-1-1C privacy at the police
    privacy_separate_room = models.CharField("隔離空間", max_length=3, choices=YesNoNa.choices, blank=True)
    privacy_code_name_used = models.CharField(
        "使用偵訊代號", max_length=3, choices=YesNoNa.choices, blank=True
    )
    # 3-1-2A barriers and support
    barriers = models.JSONField("陳述障礙", default=list, blank=True)
    support_used = models.CharField("使用服務", max_length=20, blank=True)
    interpreter_language = models.CharField("通譯語言", max_length=40, blank=True)
    # 3-1-2B / 2C / 2F
    improper_conduct = models.BooleanField("警方有不當態度或言語批判", default=False)
    repeated_questioning = models.BooleanField("就事實重複詢問", default=False)
    trauma_reaction = models.BooleanField("疑似創傷反應", default=False)
    pause_requested = models.BooleanField("要求暫停筆錄", default=False)
    pause_by = models.CharField("提出暫停", max_length=10, blank=True)
    resumed = models.BooleanField("已恢復筆錄", default=False)
    conflict_parties = models.JSONField("現場衝突", default=list, blank=True)
    conflict_resolved = models.BooleanField("衝突已處理", default=False)
    # 3-1-3A / 3B / 3C
    statement_reviewed = models.BooleanField("已協助確認筆錄內容", default=False)
    corrections_requested = models.BooleanField("已請員警修改", default=False)
    corrections_made = models.BooleanField("員警已修改", default=False)
    refused_fingerprint = models.BooleanField("被害人拒絕於筆錄捺手印", default=False)
    mandatory_report_needed = models.BooleanField("涉及責任通報", default=False)
    officer_reminded = models.BooleanField("已提醒員警通報", default=False)
    report_type = models.CharField("通報類別", max_length=60, blank=True)
    prosecutor_office = models.CharField("偵辦之地方檢察署", max_length=40, blank=True)
    # 3-2-1A / 1D / 2 / 3B court
    court_name = models.CharField("法院／地檢署", max_length=60, blank=True)
    stage = models.CharField("程序", max_length=10, blank=True)
    victim_attends = models.BooleanField("被害人出庭", default=True)
    absence_action = models.CharField("不出庭處理", max_length=10, blank=True)
    protective_measures = models.JSONField("保護措施", default=list, blank=True)
    defendant_present = models.BooleanField("被告同時到庭", default=False)
    meeting_point = models.CharField("碰面地點", max_length=20, blank=True)
    meet_before_minutes = models.PositiveSmallIntegerField("提早碰面（分鐘）", null=True, blank=True)
    documents_to_bring = models.CharField("應攜帶證件", max_length=200, blank=True)
    worker_statement_made = models.BooleanField("社工於庭上陳述意見", default=False)
    statement_requested_by = models.CharField("陳述意見之安排", max_length=10, blank=True)
    further_need = models.CharField("後續需求", max_length=10, blank=True)

    note = EncryptedTextField("陪同紀錄", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "陪同服務"
        verbose_name_plural = "陪同服務"
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["case", "starts_at"], name="escort_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {str(self.pk)[:8]}"

    @property
    def has_record_form(self) -> bool:
        return self.kind in (EscortKind.INTERVIEW, EscortKind.COURT)

    @property
    def record_form_name(self) -> str:
        return "陪同出庭服務紀錄表" if self.kind == EscortKind.COURT else "出勤服務工作紀錄表"

    def notes_by_code(self) -> dict[str, str]:
        try:
            value = json.loads(self.tick_notes or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def checklist_rows(self) -> list[tuple[str, list[dict]]]:
        """(phase label, [{code, text, ticked, note}]) for the version this escort was made with."""
        if self.checklist is None:
            return []
        notes = self.notes_by_code()
        ticked = set(self.ticks or [])
        return [
            (
                label,
                [
                    {**item, "ticked": item["code"] in ticked, "note": notes.get(item["code"], "")}
                    for item in items
                ],
            )
            for label, items in self.checklist.items_by_phase()
        ]


class EscortReport(models.Model):
    """Guideline 3-1-3D, 3-2-3D: 出勤服務工作紀錄表 / 陪同出庭服務紀錄表 of one escort."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    escort = models.OneToOneField(
        Escort, on_delete=models.CASCADE, related_name="report", verbose_name="陪同服務"
    )
    service_summary = EncryptedTextField("服務內容摘要")
    victim_condition = EncryptedTextField("被害人狀況", blank=True)
    follow_up = EncryptedTextField("後續處遇計畫", blank=True)
    completed_on = models.DateField("完成日期")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填表人"
    )
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "陪同服務紀錄表"
        verbose_name_plural = "陪同服務紀錄表"

    def __str__(self) -> str:
        return f"陪同服務紀錄表 {str(self.pk)[:8]}"


class DeclinedEscortRequest(models.Model):
    """Guideline 3-3-2: a request outside the escort service, declined with the alternative offered."""

    class Request(models.TextChoices):
        FETCH_BELONGINGS = "fetch_belongings", "返家取物"
        MEET_RESPONDENT = "meet_respondent", "與相對人見面"
        COMPANIONSHIP = "companionship", "跟被害人交流感情"
        OTHER = "other", "其他"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="declined_escort_requests", verbose_name="案件"
    )
    requested_on = models.DateField("請求日期")
    request = models.CharField("請求內容", max_length=20, choices=Request.choices)
    detail = EncryptedTextField("說明", blank=True)
    alternative_offered = models.CharField("提供的替代方式", max_length=200)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="社工"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "非陪同服務範圍之請求"
        verbose_name_plural = "非陪同服務範圍之請求"
        ordering = ["requested_on", "created_at"]
        indexes = [models.Index(fields=["case", "requested_on"], name="declined_request_case")]

    def __str__(self) -> str:
        return f"婉拒之陪同請求 {str(self.pk)[:8]}"
