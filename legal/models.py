"""Guideline items 4 (legal consultation), 9 (police report) and 10 (prosecutor direction).

The offence catalogue and the rest-day calendar are data (fixtures, admin with history); everything
else belongs to a case. Periods are not stored here: they live in the hub's deadline tracker, each
row tied to the record that set it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cases.choices import choice_labels
from cases.history import AuditedHistoricalRecords
from cases.models import Case
from cases.privacy import EncryptedTextField

# --- catalogues -----------------------------------------------------------------------------------


class OffenceManager(models.Manager):
    def get_by_natural_key(self, code: str) -> Offence:
        return self.get(code=code)


class Offence(models.Model):
    """Guideline 4-1-1: an offence type with its legal basis and periods (罪名類型)."""

    class Prosecution(models.TextChoices):
        COMPLAINT = "complaint", "告訴乃論"
        PUBLIC = "public", "非告訴乃論"

    code = models.CharField("代碼", max_length=10, unique=True)
    name = models.CharField("犯罪類型", max_length=100)
    guideline_ref = models.CharField("指引對應", max_length=40, blank=True)
    prosecution = models.CharField("追訴類型", max_length=10, choices=Prosecution.choices)
    article = models.CharField("法條", max_length=120)
    max_penalty = models.CharField("最重本刑", max_length=200)
    limitation_years = models.PositiveSmallIntegerField(
        "追訴權時效（年）", help_text="刑法第80條：最重本刑3年以上未滿10年為20年，1年以上未滿3年為10年。"
    )
    legal_note = models.CharField("法律依據說明", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("使用中", default=True, help_text="法律修正後停用舊類型，不要刪除。")
    history = AuditedHistoricalRecords()

    objects = OffenceManager()

    class Meta:
        verbose_name = "罪名類型"
        verbose_name_plural = "罪名類型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def complaint_required(self) -> bool:
        return self.prosecution == self.Prosecution.COMPLAINT

    def clean(self) -> None:
        if self.limitation_years is not None and not 1 <= self.limitation_years <= 40:
            raise ValidationError({"limitation_years": "追訴權時效應為 1 至 40 年（刑法第80條）。"})


class RestDay(models.Model):
    """A day the official calendar adds or changes (typhoon day off, make-up working Saturday).

    Taiwan's national holidays come from `holidays.TW()`; these rows override it for the art. 122 note.
    """

    class Kind(models.TextChoices):
        REST = "rest", "放假（如颱風停班、新增假日）"
        WORKDAY = "workday", "上班（如週六補行上班）"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("類別", max_length=10, choices=Kind.choices, default=Kind.REST)
    name = models.CharField("名稱", max_length=60)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "放假／補班日"
        verbose_name_plural = "放假／補班日"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


# --- a case's legal side -----------------------------------------------------------------------------


def _not_future(errors: dict, field: str, value, label: str) -> None:
    today = timezone.localdate()
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    if value and value > today:
        errors.setdefault(field, []).append(f"{label}不能晚於今天。")


class CaseOffence(models.Model):
    """Guideline 4-1/4-3: one offence of a case, with the dates its periods run from."""

    class Wishes(models.TextChoices):
        WANTS = "wants", "願意報案／提告"
        UNDECIDED = "undecided", "尚未決定"
        DECLINES = "declines", "無意願報案"

    class LimitationStop(models.TextChoices):
        INVESTIGATING = "investigating", "檢察官已開始偵查（行使追訴權）"
        INDICTED = "indicted", "已起訴"
        SUSPENDED = "suspended", "依法停止偵查"
        WANTED = "wanted", "犯罪行為人逃匿經通緝"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offences", verbose_name="案件")
    offence = models.ForeignKey(Offence, on_delete=models.PROTECT, related_name="+", verbose_name="罪名類型")
    learned_on = models.DateField("知悉影像（犯罪）日期")
    offender_known = models.BooleanField("已知悉犯人", default=False)
    knew_offender_on = models.DateField("知悉犯人日期", null=True, blank=True)
    offence_on = models.DateField("犯罪行為日期")
    continuing = models.BooleanField("持續行為", default=False)
    conduct_ended_on = models.DateField("持續行為結束日期", null=True, blank=True)
    victim_wishes = models.CharField(
        "被害人報案意願", max_length=10, choices=Wishes.choices, default=Wishes.UNDECIDED
    )
    complaint_filed_on = models.DateField("已提出告訴／報案日期", null=True, blank=True)
    limitation_stop = models.CharField(
        "追訴權時效停止事由（刑法第83條）", max_length=15, choices=LimitationStop.choices, blank=True
    )
    limitation_stopped_on = models.DateField("時效停止日期", null=True, blank=True)
    note = EncryptedTextField("備註", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "案件罪名"
        verbose_name_plural = "案件罪名"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["case", "created_at"], name="caseoffence_case")]
        permissions = [("manage_legal", "可登錄案件法律服務（罪名、告發、諮詢、補助、報案）")]

    def __str__(self) -> str:
        return f"案件罪名 {str(self.pk)[:8]}"

    @property
    def limitation_starts_on(self) -> dt.date | None:
        """Art. 80 §2: from the offence, or from the end of continuing conduct (None while it goes on)."""
        if self.continuing:
            return self.conduct_ended_on
        return self.offence_on

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_future(errors, "learned_on", self.learned_on, "知悉影像（犯罪）的日期")
        _not_future(errors, "knew_offender_on", self.knew_offender_on, "知悉犯人的日期")
        _not_future(errors, "offence_on", self.offence_on, "犯罪行為日期")
        _not_future(errors, "conduct_ended_on", self.conduct_ended_on, "持續行為結束日期")
        _not_future(errors, "complaint_filed_on", self.complaint_filed_on, "提出告訴／報案的日期")
        _not_future(errors, "limitation_stopped_on", self.limitation_stopped_on, "時效停止日期")
        if self.limitation_stop and not self.limitation_stopped_on:
            errors.setdefault("limitation_stopped_on", []).append("請填寫起訴或檢察官偵查的日期。")
        if self.limitation_stopped_on and not self.limitation_stop:
            errors.setdefault("limitation_stop", []).append(
                "填了時效停止日期，請選擇停止事由（起訴、偵查等）。"
            )
        if self.limitation_stopped_on and self.offence_on and self.limitation_stopped_on < self.offence_on:
            errors.setdefault("limitation_stopped_on", []).append("時效停止日期不能早於犯罪行為日期。")
        if self.offence_on and self.learned_on and self.offence_on > self.learned_on:
            errors.setdefault("offence_on", []).append(
                "犯罪行為日期不能晚於知悉影像（犯罪）的日期；持續行為請填開始日期。"
            )
        if self.offender_known and not self.knew_offender_on:
            errors.setdefault("knew_offender_on", []).append(
                "已知悉犯人時，請填寫知悉犯人的日期（告訴期間由此起算）。"
            )
        if not self.offender_known and self.knew_offender_on:
            errors.setdefault("offender_known", []).append(
                "填了知悉犯人的日期，請勾選「已知悉犯人」；尚未知悉請清除該日期。"
            )
        if self.knew_offender_on:
            # 知悉犯人 means knowing the offence and who did it: not before either of them.
            if self.learned_on and self.knew_offender_on < self.learned_on:
                errors.setdefault("knew_offender_on", []).append(
                    "知悉犯人的日期不能早於知悉影像（犯罪）的日期；告訴期間自兩者都知悉時起算。"
                )
            elif self.offence_on and self.knew_offender_on < self.offence_on:
                errors.setdefault("knew_offender_on", []).append("知悉犯人的日期不能早於犯罪行為日期。")
        if self.conduct_ended_on and not self.continuing:
            errors.setdefault("conduct_ended_on", []).append(
                "只有持續行為才填結束日期；請勾選「持續行為」或清除結束日期。"
            )
        if self.conduct_ended_on and self.offence_on and self.conduct_ended_on < self.offence_on:
            errors.setdefault("conduct_ended_on", []).append(
                "持續行為的結束日期不能早於開始日期（犯罪行為日期）。"
            )
        if self.complaint_filed_on:
            if self.offence_on and self.complaint_filed_on < self.offence_on:
                errors.setdefault("complaint_filed_on", []).append(
                    "提出告訴／報案的日期不能早於犯罪行為日期。"
                )
            if self.victim_wishes == self.Wishes.DECLINES:
                errors.setdefault("victim_wishes", []).append(
                    "已填寫提出告訴／報案的日期，報案意願不能是「無意願報案」。"
                )
        if errors:
            raise ValidationError(errors)


class Accusation(models.Model):
    """Guideline 4-1: the center accuses (告發) a public-prosecution offence the victim will not report."""

    class State(models.TextChoices):
        OPEN = "open", "待告發"
        FILED = "filed", "已告發"
        WITHDRAWN = "withdrawn", "免告發（被害人改變意願或罪名變更）"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accusations", verbose_name="案件")
    case_offence = models.OneToOneField(
        CaseOffence, on_delete=models.PROTECT, related_name="accusation", verbose_name="案件罪名"
    )
    state = models.CharField("狀態", max_length=10, choices=State.choices, default=State.OPEN)
    decided_on = models.DateField("決定告發日期")
    filed_on = models.DateField("告發日期", null=True, blank=True)
    filed_with = models.CharField("受理機關", max_length=100, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="告發人員",
    )
    note = EncryptedTextField("備註", blank=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "中心告發"
        verbose_name_plural = "中心告發"
        ordering = ["decided_on"]
        indexes = [models.Index(fields=["state", "decided_on"], name="accusation_state")]
        permissions = [("view_accusation_queue", "可檢視單位待告發清單")]

    def __str__(self) -> str:
        return f"中心告發 {str(self.pk)[:8]}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.state == self.State.FILED:
            if not self.filed_on:
                errors.setdefault("filed_on", []).append("請填寫告發日期。")
            if not self.filed_with.strip():
                errors.setdefault("filed_with", []).append("請填寫受理告發的機關（地檢署或警察機關）。")
        _not_future(errors, "filed_on", self.filed_on, "告發日期")
        if errors:
            raise ValidationError(errors)


class LegalConsultation(models.Model):
    """Guideline 4-2-1: a legal consultation booked for the victim, escorted by a worker or not."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "面談"
        PHONE = "phone", "電話"
        VIDEO = "video", "視訊"

    class Status(models.TextChoices):
        BOOKED = "booked", "已預約"
        HELD = "held", "已完成"
        CANCELLED = "cancelled", "已取消"
        NO_SHOW = "no_show", "被害人未到"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="legal_consultations", verbose_name="案件"
    )
    scheduled_at = models.DateTimeField("諮詢時間")
    provider = models.CharField("律師／機構", max_length=100)
    mode = models.CharField("方式", max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    escorted = models.BooleanField("社工陪同", default=False)
    escort_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="陪同社工",
    )
    status = models.CharField("狀態", max_length=10, choices=Status.choices, default=Status.BOOKED)
    outcome = EncryptedTextField("諮詢結果", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "法律諮詢"
        verbose_name_plural = "法律諮詢"
        ordering = ["scheduled_at"]
        indexes = [models.Index(fields=["case", "scheduled_at"], name="consultation_case")]

    def __str__(self) -> str:
        return f"法律諮詢 {str(self.pk)[:8]}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.escorted and not self.escort_worker_id:
            errors["escort_worker"] = ["勾選社工陪同時，請選擇陪同的社工。"]
        if self.scheduled_at and self.status == self.Status.HELD and self.scheduled_at > timezone.now():
            errors["status"] = ["諮詢時間還沒到，不能標示為已完成。"]
        if self.scheduled_at and self._state.adding and self.status == self.Status.BOOKED:
            if self.scheduled_at < timezone.now() - dt.timedelta(hours=1):
                errors["scheduled_at"] = ["預約時間已過；補登已完成的諮詢，請先預約後再將狀態改為已完成。"]
        if errors:
            raise ValidationError(errors)


class SubsidyApplication(models.Model):
    """Guideline 4-2-2: a litigation subsidy (lawyer fees or litigation costs) under the city's scheme."""

    class Kind(models.TextChoices):
        LAWYER_FEES = "lawyer_fees", "委任律師費用"
        LITIGATION_COSTS = "litigation_costs", "法律訴訟費用"

    class Status(models.TextChoices):
        APPLIED = "applied", "審核中"
        APPROVED = "approved", "已核定"
        REJECTED = "rejected", "未核定"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subsidies", verbose_name="案件")
    kind = models.CharField("補助項目", max_length=20, choices=Kind.choices)
    applied_on = models.DateField("申請日期")
    status = models.CharField("審核結果", max_length=10, choices=Status.choices, default=Status.APPLIED)
    decided_on = models.DateField("核定日期", null=True, blank=True)
    approved_amount = models.PositiveIntegerField("核定金額（新臺幣元）", null=True, blank=True)
    paid_on = models.DateField("撥款日期", null=True, blank=True)
    note = EncryptedTextField("備註", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "司法訴訟補助"
        verbose_name_plural = "司法訴訟補助"
        ordering = ["applied_on"]
        indexes = [models.Index(fields=["case", "applied_on"], name="subsidy_case")]

    def __str__(self) -> str:
        return f"訴訟補助 {str(self.pk)[:8]}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        _not_future(errors, "applied_on", self.applied_on, "申請日期")
        _not_future(errors, "decided_on", self.decided_on, "核定日期")
        _not_future(errors, "paid_on", self.paid_on, "撥款日期")
        approved = self.status == self.Status.APPROVED
        if self.status == self.Status.APPLIED and self.decided_on:
            errors.setdefault("decided_on", []).append(
                "審核中的申請還沒有核定日期；有結果時請一併改審核結果。"
            )
        if self.status != self.Status.APPLIED and not self.decided_on:
            errors.setdefault("decided_on", []).append("請填寫核定（或不核定）的日期。")
        if self.decided_on and self.applied_on and self.decided_on < self.applied_on:
            errors.setdefault("decided_on", []).append("核定日期不能早於申請日期。")
        if approved and self.approved_amount is None:
            errors.setdefault("approved_amount", []).append("已核定時，請填寫核定金額。")
        if not approved and self.approved_amount is not None:
            errors.setdefault("approved_amount", []).append("只有已核定的申請才有核定金額。")
        if self.paid_on and not approved:
            errors.setdefault("paid_on", []).append("只有已核定的補助才會撥款。")
        if self.paid_on and self.decided_on and self.paid_on < self.decided_on:
            errors.setdefault("paid_on", []).append("撥款日期不能早於核定日期。")
        if errors:
            raise ValidationError(errors)


class PoliceReport(models.Model):
    """Guideline 9: the victim's report to the police, booked and prepared with the worker."""

    class UnitKind(models.TextChoices):
        BRIGADE = "brigade", "婦幼警察隊"
        PRECINCT = "precinct", "分局／派出所"

    class OfficerGender(models.TextChoices):
        NONE = "none", "不指定"
        FEMALE = "female", "女性員警"
        MALE = "male", "男性員警"

    class Law(models.TextChoices):
        CRIMINAL_COMPLAINT = "criminal_complaint", "刑法（告訴乃論）"
        CRIMINAL_PUBLIC = "criminal_public", "刑法（非告訴乃論）"
        DV_ACT = "dv_act", "家庭暴力防治法（家庭成員、親密關係）"
        STALKING_ACT = "stalking_act", "跟蹤騷擾防制法（非家庭成員）"

    class MinorCompanion(models.TextChoices):
        GUARDIAN = "guardian", "監護人陪同"
        SOCIAL_WORKER = "social_worker", "社工陪同"

    class Status(models.TextChoices):
        BOOKED = "booked", "已約定"
        DONE = "done", "已完成筆錄"
        CANCELLED = "cancelled", "已取消"

    class StatementRequest(models.TextChoices):
        EVIDENCE_PRESERVATION = "evidence_preservation", "證據保全（扣押、搜索相對人證物）"
        PROTECTION_ORDER = "protection_order", "聲請保護令"

    class ComplaintDecision(models.TextChoices):
        FILED = "filed", "提出告訴"
        DEFERRED = "deferred", "暫不提告"
        NOT_NEEDED = "not_needed", "非告訴乃論免提告"

    class AgeAnswer(models.TextChoices):
        MINOR = "minor", "未滿18歲"
        ADULT = "adult", "已滿18歲"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="police_reports", verbose_name="案件"
    )
    unit_kind = models.CharField("報案單位類別", max_length=10, choices=UnitKind.choices)
    unit_name = models.CharField("報案單位", max_length=100)
    scheduled_at = models.DateTimeField("報案時間")
    officer_gender_asked = models.BooleanField("已詢問是否指定員警性別", default=False)
    officer_gender = models.CharField(
        "指定員警性別", max_length=10, choices=OfficerGender.choices, default=OfficerGender.NONE
    )
    laws = models.JSONField("預計適用法規", default=list)
    evidence_handed_over = models.BooleanField("證據已交付警方", default=False)
    victim_keeps_copy = models.BooleanField("被害人自留一份證據", default=False)
    escorted = models.BooleanField("社工陪同", default=False)
    escort_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="陪同社工",
    )
    minor_companion = models.CharField(
        "未成年陪同", max_length=15, choices=MinorCompanion.choices, blank=True
    )
    age_answer = models.CharField(
        "報案時是否未滿18歲（無出生日期時確認）", max_length=10, choices=AgeAnswer.choices, blank=True
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承辦員警（系統帳號）",
    )
    evidence_keys = models.JSONField("整理的證據項目", default=list, blank=True)
    privacy_separate_room = models.BooleanField("於獨立空間製作筆錄", default=False)
    privacy_code_name = models.BooleanField("筆錄以代號稱呼被害人", default=False)
    statement_requests = models.JSONField("筆錄中請求的強制處分", default=list, blank=True)
    statement_reviewed = models.BooleanField("已與被害人確認筆錄內容", default=False)
    statement_articles = models.CharField("筆錄所載法條", max_length=200, blank=True)
    complaint_decision = models.CharField(
        "是否提出告訴", max_length=12, choices=ComplaintDecision.choices, blank=True
    )
    status = models.CharField("狀態", max_length=10, choices=Status.choices, default=Status.BOOKED)
    note = EncryptedTextField("備註", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "報案"
        verbose_name_plural = "報案"
        ordering = ["scheduled_at"]
        indexes = [models.Index(fields=["case", "scheduled_at"], name="policereport_case")]

    def __str__(self) -> str:
        return f"報案 {str(self.pk)[:8]}"

    def law_labels(self) -> str:
        return choice_labels(self.laws, self.Law.choices)

    def statement_request_labels(self) -> str:
        return choice_labels(self.statement_requests, self.StatementRequest.choices)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        laws = set(self.laws or [])
        if not laws:
            errors["laws"] = ["請勾選預計適用的法規（指引 9-1-1）。"]
        elif not laws <= set(self.Law.values):
            errors["laws"] = ["法規選項不正確。"]
        elif {self.Law.DV_ACT, self.Law.STALKING_ACT} <= laws:
            errors["laws"] = ["家暴法（家庭成員、親密關係）與跟騷法（非家庭成員）請擇一。"]
        if not self.officer_gender_asked:
            errors["officer_gender_asked"] = ["請先詢問被害人是否需要指定員警性別（指引 9-1-2），並勾選。"]
        if self.escorted and not self.escort_worker_id:
            errors["escort_worker"] = ["勾選社工陪同時，請選擇陪同的社工。"]
        if self.victim_keeps_copy and not self.evidence_handed_over:
            errors["victim_keeps_copy"] = ["證據尚未交付警方時，不需勾選自留一份。"]
        if not set(self.statement_requests or []) <= set(self.StatementRequest.values):
            errors["statement_requests"] = ["筆錄請求的選項不正確。"]
        done = self.status == self.Status.DONE
        if not done and (self.statement_reviewed or self.complaint_decision):
            errors.setdefault("status", []).append(
                "確認筆錄與是否提告是製作筆錄後的事：請將狀態改為「已完成筆錄」，或清除這兩項。"
            )
        if done and not self.complaint_decision:
            errors["complaint_decision"] = ["已完成筆錄時，請登錄是否提出告訴（指引 9-2-5）。"]
        if self.scheduled_at and self.status == self.Status.DONE and self.scheduled_at > timezone.now():
            errors["status"] = ["報案時間還沒到，不能標示為已完成筆錄。"]
        if self.scheduled_at and self._state.adding and self.status == self.Status.BOOKED:
            if self.scheduled_at < timezone.now() - dt.timedelta(hours=1):
                errors["scheduled_at"] = [
                    "報案時間已過；補登已完成的報案，請先登錄後再將狀態改為已完成筆錄。"
                ]
        if errors:
            raise ValidationError(errors)


class ProsecutorDirection(models.Model):
    """Guideline 10: police ask a prosecutor to direct the investigation when evidence is urgent."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "等待檢察官回覆"
        DIRECTED = "directed", "檢察官指揮偵辦"
        NOT_DIRECTED = "not_directed", "未獲指揮偵辦"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="prosecutor_directions", verbose_name="案件"
    )
    requested_at = models.DateTimeField("報請時間")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="報請員警"
    )
    prosecutor_office = models.CharField("地方檢察署", max_length=60)
    urgency = EncryptedTextField("證據保全之急迫情形")
    outcome = models.CharField("結果", max_length=15, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField("結果日期", null=True, blank=True)
    outcome_note = EncryptedTextField("結果說明", blank=True)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "報請檢察官指揮偵辦"
        verbose_name_plural = "報請檢察官指揮偵辦"
        ordering = ["requested_at"]
        indexes = [models.Index(fields=["case", "requested_at"], name="prosecutordir_case")]
        permissions = [("record_prosecutor_direction", "可登錄報請檢察官指揮偵辦")]

    def __str__(self) -> str:
        return f"報請檢察官指揮偵辦 {str(self.pk)[:8]}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.requested_at and self.requested_at > timezone.now() + dt.timedelta(minutes=5):
            errors["requested_at"] = ["報請時間不能晚於現在。"]
        _not_future(errors, "outcome_on", self.outcome_on, "結果日期")
        if self.outcome == self.Outcome.PENDING and self.outcome_on:
            errors.setdefault("outcome_on", []).append("尚在等待回覆時不填結果日期。")
        if self.outcome != self.Outcome.PENDING and not self.outcome_on:
            errors.setdefault("outcome_on", []).append("請填寫檢察官回覆的日期。")
        if (
            self.outcome_on
            and self.requested_at
            and self.outcome_on < timezone.localtime(self.requested_at).date()
        ):
            errors.setdefault("outcome_on", []).append("結果日期不能早於報請日期。")
        if errors:
            raise ValidationError(errors)


class PreservationTalk(models.Model):
    """Guideline 9-2-6 / 10-N: the worker discussed urgent evidence preservation with the officer."""

    class Trigger(models.TextChoices):
        LEAK = "leak", "有遭洩漏、散布之虞"
        SEIZE = "seize", "有必須扣押相對人證物"
        OTHER = "other", "其他"

    class Outcome(models.TextChoices):
        ASSESSING = "assessing", "員警評估中"
        REQUESTED = "requested", "員警已報請檢察官指揮偵辦"
        NOT_REQUESTED = "not_requested", "員警評估不需報請"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="preservation_talks", verbose_name="案件"
    )
    police_report = models.ForeignKey(
        PoliceReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preservation_talks",
        verbose_name="報案",
    )
    discussed_at = models.DateTimeField("討論時間")
    triggers = models.JSONField("急迫情形", default=list)
    other_trigger = EncryptedTextField("其他急迫情形說明", blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="討論的員警（系統帳號）",
    )
    officer_name = models.CharField("討論的員警（單位、姓名）", max_length=100, blank=True)
    outcome = models.CharField("結果", max_length=15, choices=Outcome.choices, default=Outcome.ASSESSING)
    outcome_note = EncryptedTextField("說明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "證據保全急迫情形討論"
        verbose_name_plural = "證據保全急迫情形討論"
        ordering = ["discussed_at"]
        indexes = [models.Index(fields=["case", "discussed_at"], name="preservationtalk_case")]

    def __str__(self) -> str:
        return f"證據保全討論 {str(self.pk)[:8]}"

    def trigger_labels(self) -> str:
        return choice_labels(self.triggers, self.Trigger.choices)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        triggers = set(self.triggers or [])
        if not triggers:
            errors["triggers"] = ["請勾選急迫情形（指引 10）。"]
        elif not triggers <= set(self.Trigger.values):
            errors["triggers"] = ["急迫情形的選項不正確。"]
        if self.Trigger.OTHER in triggers and not (self.other_trigger or "").strip():
            errors["other_trigger"] = ["勾選「其他」時，請說明急迫情形。"]
        if not self.officer_id and not self.officer_name.strip():
            errors["officer_name"] = ["請填寫討論的員警（單位、姓名），或選擇員警的系統帳號。"]
        if self.discussed_at and self.discussed_at > timezone.now() + dt.timedelta(minutes=5):
            errors["discussed_at"] = ["討論時間不能晚於現在。"]
        if errors:
            raise ValidationError(errors)


class LawExplanation(models.Model):
    """Guideline 4-A: staff explained the law that applies to the victim's case (刑法, 性侵害犯罪防治法)."""

    class Topic(models.TextChoices):
        CRIMINAL_CODE = "criminal_code", "刑法（罪名與刑度）"
        SEXUAL_ASSAULT_ACT = "sexual_assault_act", "性侵害犯罪防治法（被害人權益與服務）"
        COMPLAINT_PERIOD = "complaint_period", "告訴期間"
        LIMITATION = "limitation", "追訴期"
        PROTECTION_ORDER = "protection_order", "保護令"
        OTHER = "other", "其他"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="law_explanations", verbose_name="案件"
    )
    explained_on = models.DateField("說明日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="說明人員"
    )
    topics = models.JSONField("說明的法律規定", default=list)
    note = EncryptedTextField("備註", blank=True)
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "法律規定說明"
        verbose_name_plural = "法律規定說明"
        ordering = ["explained_on", "created_at"]
        indexes = [models.Index(fields=["case", "explained_on"], name="lawexplanation_case")]

    def __str__(self) -> str:
        return f"法律規定說明 {str(self.pk)[:8]}"

    def topic_labels(self) -> str:
        return choice_labels(self.topics, self.Topic.choices)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        topics = set(self.topics or [])
        if not topics:
            errors["topics"] = ["請勾選向被害人說明了哪些法律規定（指引 4-A）。"]
        elif not topics <= set(self.Topic.values):
            errors["topics"] = ["說明項目的選項不正確。"]
        if self.Topic.OTHER in topics and not (self.note or "").strip():
            errors["note"] = ["勾選「其他」時，請在備註寫明說明了哪些規定。"]
        _not_future(errors, "explained_on", self.explained_on, "說明日期")
        if errors:
            raise ValidationError(errors)


class LawyerReferral(models.Model):
    """Guideline 4-1-2: the center matches the victim with a lawyer to retain (媒合委任律師)."""

    class Status(models.TextChoices):
        MATCHING = "matching", "媒合中"
        RETAINED = "retained", "已委任"
        NOT_RETAINED = "not_retained", "未委任"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="lawyer_referrals", verbose_name="案件"
    )
    lawyer_or_org = models.CharField("律師／機構", max_length=100)
    matched_on = models.DateField("媒合日期")
    status = models.CharField("狀態", max_length=15, choices=Status.choices, default=Status.MATCHING)
    subsidy = models.ForeignKey(
        SubsidyApplication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lawyer_referrals",
        verbose_name="相關的訴訟補助申請",
    )
    note = EncryptedTextField("備註", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登錄人員"
    )
    created_at = models.DateTimeField("登錄時間", default=timezone.now)
    history = AuditedHistoricalRecords()

    class Meta:
        verbose_name = "媒合委任律師"
        verbose_name_plural = "媒合委任律師"
        ordering = ["matched_on", "created_at"]
        indexes = [models.Index(fields=["case", "matched_on"], name="lawyerreferral_case")]

    def __str__(self) -> str:
        return f"媒合委任律師 {str(self.pk)[:8]}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if not (self.lawyer_or_org or "").strip():
            errors["lawyer_or_org"] = ["請填寫媒合的律師或機構。"]
        _not_future(errors, "matched_on", self.matched_on, "媒合日期")
        if self.subsidy_id and self.case_id and self.subsidy.case_id != self.case_id:
            errors["subsidy"] = ["所選的訴訟補助申請不屬於本案件。"]
        if errors:
            raise ValidationError(errors)
