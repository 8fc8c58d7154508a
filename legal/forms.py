"""Forms of the legal side of a case. They parse what staff type (ROC or ISO dates); the rules live on
the models and run in the services, whose errors the views put back on these forms.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.html import escape

from cases.forms_fields import NOTE_MAX_CHARS, RECORD_MAX_CHARS, LongTextField, ROCDateField, ROCDateTimeField
from cases.people import staff_name
from cases.rocdate import format_roc
from cases.selectors import social_workers
from cases.sms.text import SmsTextError, check_place_code
from legal.models import (
    CaseOffence,
    LawExplanation,
    LawyerReferral,
    LegalConsultation,
    Offence,
    PoliceReport,
    PreservationTalk,
    ProsecutorDirection,
    SubsidyApplication,
)
from legal.reference import SEXUAL_ASSAULT_ACT_REFERENCE
from legal.selectors import police_officers


class OffenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Offence) -> str:
        return f"{obj.code} {obj.name}（{obj.get_prosecution_display()}）"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return staff_name(obj)


def _note(label: str = "備註", rows: int = 3, max_length: int = NOTE_MAX_CHARS) -> forms.CharField:
    return LongTextField(
        label=label, required=False, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


PLACE_CODE_HELP = (
    "與被害人事先約定的地點代碼（例：A3）。只有被害人同意以簡訊聯繫時，才會在約定時間前 24 小時傳送提醒簡訊；"
    "簡訊可能被其他人看到，請勿填寫地點名稱（如法院、派出所）。"
)
PLACE_CODE_EDIT_HELP = "留空則保留已排定的提醒；改期時請重新填寫，否則原提醒會取消。"


def _place_code_field() -> forms.CharField:
    return forms.CharField(label="簡訊提醒地點代碼", max_length=20, required=False, help_text=PLACE_CODE_HELP)


class PlaceCodeMixin:
    """The optional place code of the appointment-reminder SMS (docs/legal.md), checked as the outbox does."""

    def clean_place_code(self) -> str:
        value = (self.cleaned_data.get("place_code") or "").strip()
        if not value:
            return ""
        try:
            return check_place_code(value)
        except SmsTextError as exc:
            raise forms.ValidationError(exc.messages) from None

    def _place_code_help(self, editing: bool) -> None:
        if editing:
            self.fields["place_code"].help_text = f"{PLACE_CODE_HELP}{PLACE_CODE_EDIT_HELP}"


class CaseOffenceForm(forms.Form):
    """Guideline 4-1-1 / 4-3: which offence, and the dates its periods run from."""

    offence = OffenceChoiceField(label="罪名類型（指引 4-1-1）", queryset=None, empty_label="請選擇")
    learned_on = ROCDateField(label="被害人知悉影像（犯罪）的日期")
    offender_known = forms.BooleanField(label="已知悉犯人是誰（知悉犯人；僅懷疑不算）", required=False)
    knew_offender_on = ROCDateField(
        label="知悉犯人的日期",
        required=False,
        help_text=(
            "告訴乃論罪的6個月告訴期間自此日之翌日起算（刑事訴訟法第65條準用民法第120條第2項）。"
            "尚未知悉時留空：期間尚未起算，系統只顯示「若今天知悉」的暫估日期。"
        ),
    )
    offence_on = ROCDateField(
        label="犯罪行為日期",
        help_text="不確定時請填可能的最早日期（追訴期寧早勿晚）；持續行為填開始日期。",
    )
    continuing = forms.BooleanField(
        label="持續行為（同一個行為持續未終了，如以同一影像持續脅迫）",
        required=False,
        help_text=(
            "另一次上傳、另一次散布是另一個犯罪行為：請另新增一筆罪名，各自填日期；"
            "反覆的行為不會延長告訴期間或追訴期。"
        ),
    )
    conduct_ended_on = ROCDateField(
        label="持續行為結束日期",
        required=False,
        help_text="仍在持續時留空：追訴權時效自行為終了時起算；告訴期間自行為終了或知悉犯人（較晚者）起算。",
    )
    victim_wishes = forms.ChoiceField(
        label="被害人報案意願",
        choices=CaseOffence.Wishes.choices,
        help_text="非告訴乃論的罪名，被害人無意願報案時由本中心告發（指引 4-1）。",
    )
    complaint_filed_on = ROCDateField(label="已提出告訴／報案的日期", required=False)
    limitation_stop = forms.ChoiceField(
        label="追訴權時效停止（刑法第83條）",
        choices=[("", "尚無")] + CaseOffence.LimitationStop.choices,
        required=False,
        help_text="起訴或檢察官開始偵查後，追訴權時效停止進行，系統不再提醒追訴期。",
    )
    limitation_stopped_on = ROCDateField(label="起訴／偵查等日期", required=False)
    note = _note()

    def __init__(self, *args, offences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence"].queryset = offences
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "offence",
            Fieldset(
                "知悉與犯罪日期",
                Row(Column("learned_on"), Column("offence_on")),
                Row(Column("offender_known"), Column("knew_offender_on")),
                Row(Column("continuing"), Column("conduct_ended_on")),
            ),
            Fieldset("被害人意願", Row(Column("victim_wishes"), Column("complaint_filed_on"))),
            Fieldset("偵查與起訴", Row(Column("limitation_stop"), Column("limitation_stopped_on"))),
            "note",
            Submit("submit", "儲存並計算期間"),
        )


class AccusationFileForm(forms.Form):
    """Guideline 4-1: the center's accusation has been filed."""

    filed_on = ROCDateField(label="告發日期")
    filed_with = forms.CharField(
        label="受理機關", max_length=100, help_text="例：臺灣臺北地方檢察署、臺北市政府警察局婦幼警察隊"
    )
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("filed_on"), Column("filed_with")), "note", Submit("submit", "登錄已告發")
        )


class ConsultationForm(PlaceCodeMixin, forms.Form):
    """Guideline 4-2-1: book (and later complete) a legal consultation."""

    scheduled_at = ROCDateTimeField(label="諮詢時間")
    provider = forms.CharField(
        label="律師／機構", max_length=100, help_text="例：法律扶助基金會臺北分會 王律師"
    )
    mode = forms.ChoiceField(label="方式", choices=LegalConsultation.Mode.choices)
    escorted = forms.BooleanField(label="社工陪同（指引 3-3-1）", required=False)
    escort_worker = StaffChoiceField(label="陪同社工", queryset=None, required=False, empty_label="—")
    place_code = _place_code_field()
    status = forms.ChoiceField(label="狀態", choices=LegalConsultation.Status.choices)
    outcome = _note("諮詢結果（摘要）", rows=4, max_length=RECORD_MAX_CHARS)

    def __init__(self, *args, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escort_worker"].queryset = social_workers()
        self._place_code_help(editing)
        if not editing:
            del self.fields["status"]
            del self.fields["outcome"]
        self.helper = FormHelper()
        parts = [
            Row(Column("scheduled_at"), Column("mode")),
            "provider",
            Row(Column("escorted"), Column("escort_worker")),
            "place_code",
        ]
        if editing:
            parts += ["status", "outcome"]
        self.helper.layout = Layout(*parts, Submit("submit", "儲存"))


class SubsidyForm(forms.Form):
    """Guideline 4-2-2: litigation subsidy application."""

    kind = forms.ChoiceField(label="補助項目", choices=SubsidyApplication.Kind.choices)
    applied_on = ROCDateField(label="申請日期")
    status = forms.ChoiceField(label="審核結果", choices=SubsidyApplication.Status.choices)
    decided_on = ROCDateField(label="核定日期", required=False)
    approved_amount = forms.IntegerField(label="核定金額（新臺幣元）", required=False, min_value=0)
    paid_on = ROCDateField(label="撥款日期", required=False)
    note = _note()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_amount"].error_messages["min_value"] = "金額不能是負數。"
        self.fields["approved_amount"].error_messages["invalid"] = "請輸入整數金額（新臺幣元）。"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("kind"), Column("applied_on")),
            Row(Column("status"), Column("decided_on")),
            Row(Column("approved_amount"), Column("paid_on")),
            "note",
            Submit("submit", "儲存"),
        )


class PoliceReportForm(PlaceCodeMixin, forms.Form):
    """Guideline 9: the report appointment, what to bring and ask, and (after it) the statement."""

    unit_kind = forms.ChoiceField(label="報案單位類別", choices=PoliceReport.UnitKind.choices)
    unit_name = forms.CharField(
        label="報案單位", max_length=100, help_text="例：臺北市政府警察局大安分局和平東路派出所"
    )
    scheduled_at = ROCDateTimeField(label="約定報案時間")
    officer = StaffChoiceField(
        label="承辦員警的系統帳號（指引 10-2）",
        queryset=None,
        required=False,
        empty_label="—（員警沒有帳號或尚未確定）",
        help_text="選定後，這位員警可為本案登錄報請檢察官指揮偵辦；員警只看得到案件狀態，看不到案件內容。",
    )
    officer_gender_asked = forms.BooleanField(
        label="已詢問被害人是否需要指定員警性別（指引 9-1-2）", required=False
    )
    officer_gender = forms.ChoiceField(label="被害人指定員警性別", choices=PoliceReport.OfficerGender.choices)
    laws = forms.MultipleChoiceField(
        label="預計適用法規（指引 9-1-1，可複選）",
        choices=PoliceReport.Law.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    evidence_keys = forms.MultipleChoiceField(
        label="協助整理的證據項目（指引 9-1-3）",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    evidence_handed_over = forms.BooleanField(label="報案時一併將證據交給警方", required=False)
    victim_keeps_copy = forms.BooleanField(label="被害人自己保留一份證據（指引 9-2-1）", required=False)
    escorted = forms.BooleanField(label="社工陪同報案", required=False)
    escort_worker = StaffChoiceField(label="陪同社工", queryset=None, required=False, empty_label="—")
    age_answer = forms.ChoiceField(
        label="被害人報案時是否未滿18歲？（系統沒有出生日期）",
        choices=[("", "尚未確認")] + PoliceReport.AgeAnswer.choices,
        required=False,
        help_text="未滿18歲須有監護人或社工陪同（指引 9-2-7）；標示已完成筆錄前必須確認。",
    )
    minor_companion = forms.ChoiceField(
        label="未成年被害人的陪同者（指引 9-2-7）",
        choices=[("", "不適用／尚未確認")] + PoliceReport.MinorCompanion.choices,
        required=False,
    )
    place_code = _place_code_field()
    status = forms.ChoiceField(label="狀態", choices=PoliceReport.Status.choices)
    privacy_separate_room = forms.BooleanField(label="於獨立空間製作筆錄（指引 9-2-2）", required=False)
    privacy_code_name = forms.BooleanField(label="筆錄以代號稱呼被害人（指引 9-2-2）", required=False)
    statement_requests = forms.MultipleChoiceField(
        label="筆錄中已請求（指引 9-2-4）",
        choices=PoliceReport.StatementRequest.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    statement_reviewed = forms.BooleanField(label="已與被害人確認筆錄內容（指引 9-2-5）", required=False)
    statement_articles = forms.CharField(
        label="筆錄所載法條", max_length=200, required=False, help_text="例：刑法第319條之3、第305條"
    )
    complaint_decision = forms.ChoiceField(
        label="是否提出告訴（指引 9-2-5）",
        choices=[("", "—")] + PoliceReport.ComplaintDecision.choices,
        required=False,
        help_text="選「提出告訴」並標示已完成筆錄時，本案尚無告訴日期的罪名會以報案日填入告訴日期。",
    )
    note = _note()

    def __init__(
        self,
        *args,
        editing: bool,
        minor: bool | None = False,
        evidence: list[tuple[str, str]] = (),
        officers=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["escort_worker"].queryset = social_workers()
        self.fields["officer"].queryset = officers if officers is not None else police_officers()
        self.fields["evidence_keys"].choices = list(evidence)
        self._place_code_help(editing)
        after = (
            "status",
            "privacy_separate_room",
            "privacy_code_name",
            "statement_requests",
            "statement_reviewed",
            "statement_articles",
            "complaint_decision",
        )
        if not editing:
            for name in after:
                del self.fields[name]
        if minor is not None:
            del self.fields["age_answer"]
        self.helper = FormHelper()
        evidence_part = (
            [Field("evidence_keys", wrapper_class="text-break")]
            if evidence
            else [HTML('<p class="small text-muted">本案尚無證據項目可選（證據登錄後會列在這裡）。</p>')]
        )
        parts = [
            Fieldset(
                "約定報案",
                Row(Column("unit_kind"), Column("unit_name")),
                Row(Column("scheduled_at"), Column("officer")),
                Row(Column("escorted"), Column("escort_worker")),
                "place_code",
            ),
            Fieldset("報案準備", "laws", Row(Column("officer_gender_asked"), Column("officer_gender"))),
            Fieldset("證據", *evidence_part, "evidence_handed_over", "victim_keeps_copy"),
        ]
        if minor is True:
            parts.append(
                Fieldset(
                    "未成年",
                    HTML(
                        '<div class="alert alert-warning">被害人報案時未滿18歲：請確認監護人陪同；'
                        "若無監護人，應指派社工陪同（指引 9-2-7）。</div>"
                    ),
                    "minor_companion",
                )
            )
        elif minor is None:
            parts.append(Fieldset("年齡", "age_answer", "minor_companion"))
        else:
            parts.append("minor_companion")
        if editing:
            parts.append(
                Fieldset(
                    "報案當天與筆錄（指引 9-2）",
                    "status",
                    Row(Column("privacy_separate_room"), Column("privacy_code_name")),
                    "statement_requests",
                    Row(Column("statement_reviewed"), Column("statement_articles")),
                    "complaint_decision",
                )
            )
        self.helper.layout = Layout(*parts, "note", Submit("submit", "儲存"))


def _reference_html() -> str:
    items = "".join(
        f"<li><strong>{escape(heading)}</strong>：{escape(text)}</li>"
        for heading, text in SEXUAL_ASSAULT_ACT_REFERENCE
    )
    return (
        '<div class="card mb-3" id="law-reference"><div class="card-body small">'
        '<h2 class="h6">性侵害犯罪防治法：被害人保護重點（說明時參考）</h2>'
        f'<ul class="mb-0">{items}</ul></div></div>'
    )


class LawExplanationForm(forms.Form):
    """Guideline 4-A: which parts of the law were explained to the victim, when and by whom."""

    explained_on = ROCDateField(label="說明日期")
    by = StaffChoiceField(label="說明人員", queryset=None, empty_label=None)
    topics = forms.MultipleChoiceField(
        label="說明的法律規定（可複選）",
        choices=LawExplanation.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = _note("備註（勾選「其他」時請寫明）")

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by"].queryset = staff
        self.helper = FormHelper()
        self.helper.layout = Layout(
            HTML(_reference_html()),
            Row(Column("explained_on"), Column("by")),
            "topics",
            "note",
            Submit("submit", "儲存"),
        )


def _subsidy_label(subsidy: SubsidyApplication) -> str:
    return f"{format_roc(subsidy.applied_on)} {subsidy.get_kind_display()}（{subsidy.get_status_display()}）"


class LawyerReferralForm(forms.Form):
    """Guideline 4-1-2: a lawyer matched for the victim to retain, and whether they did."""

    lawyer_or_org = forms.CharField(
        label="律師／機構", max_length=100, help_text="例：法律扶助基金會臺北分會 陳律師"
    )
    matched_on = ROCDateField(label="媒合日期")
    status = forms.ChoiceField(label="狀態", choices=LawyerReferral.Status.choices)
    subsidy = forms.ModelChoiceField(
        label="相關的訴訟補助申請（指引 4-2-2）",
        queryset=None,
        required=False,
        empty_label="—（未申請補助）",
    )
    note = _note()

    def __init__(self, *args, subsidies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subsidy"].queryset = subsidies
        self.fields["subsidy"].label_from_instance = _subsidy_label
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("lawyer_or_org"), Column("matched_on")),
            Row(Column("status"), Column("subsidy")),
            "note",
            Submit("submit", "儲存"),
        )


def _report_label(report: PoliceReport) -> str:
    day = format_roc(timezone.localtime(report.scheduled_at).date())
    return f"{day} {report.unit_name}（{report.get_status_display()}）"


class PreservationTalkForm(forms.Form):
    """Guideline 9-2-6 / 10-N: urgent evidence preservation discussed with the officer."""

    discussed_at = ROCDateTimeField(label="討論時間")
    police_report = forms.ModelChoiceField(
        label="相關的報案", queryset=None, required=False, empty_label="—（非報案當時）"
    )
    triggers = forms.MultipleChoiceField(
        label="急迫情形（可複選）",
        choices=PreservationTalk.Trigger.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_trigger = LongTextField(
        label="其他急迫情形說明",
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    officer = StaffChoiceField(label="員警的系統帳號", queryset=None, required=False, empty_label="—")
    officer_name = forms.CharField(
        label="員警（單位、姓名）", max_length=100, required=False, help_text="例：大安分局 李警員"
    )
    outcome = forms.ChoiceField(label="結果", choices=PreservationTalk.Outcome.choices)
    outcome_note = _note("說明")

    def __init__(self, *args, reports, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_report"].queryset = reports
        self.fields["police_report"].label_from_instance = _report_label
        self.fields["officer"].queryset = officers
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("discussed_at"), Column("police_report")),
            "triggers",
            "other_trigger",
            Row(Column("officer"), Column("officer_name")),
            Row(Column("outcome")),
            "outcome_note",
            Submit("submit", "儲存"),
        )


class ProsecutorDirectionForm(forms.Form):
    """Guideline 10 (police): the request to a prosecutor and, later, the answer."""

    requested_at = ROCDateTimeField(label="報請時間")
    prosecutor_office = forms.CharField(label="地方檢察署", max_length=60, initial="臺灣臺北地方檢察署")
    urgency = LongTextField(
        label="證據保全之急迫情形", max_length=RECORD_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(label="結果", choices=ProsecutorDirection.Outcome.choices)
    outcome_on = ROCDateField(label="檢察官回覆日期", required=False)
    outcome_note = _note("結果說明")

    def __init__(self, *args, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            for name in ("outcome", "outcome_on", "outcome_note"):
                del self.fields[name]
        self.helper = FormHelper()
        parts = [Row(Column("requested_at"), Column("prosecutor_office")), "urgency"]
        if editing:
            parts += [Row(Column("outcome"), Column("outcome_on")), "outcome_note"]
        self.helper.layout = Layout(*parts, Submit("submit", "儲存"))
