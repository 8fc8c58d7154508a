"""Forms of psychological support and accompaniment. They parse what staff type (ROC dates, HH:MM); the
rules run in the services, whose errors the views put back on these forms. Radio buttons and big
checkboxes so a worker can fill them on a phone.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cases.forms_fields import NOTE_MAX_CHARS, RECORD_MAX_CHARS, LongTextField, ROCDateField, ROCDateTimeField
from cases.people import staff_name
from cases.sms.text import SmsTextError, check_place_code
from services import rules
from services.models import (
    CounsellingProgramme,
    CounsellingReferral,
    DeclinedEscortRequest,
    Escort,
    EscortKind,
    PtsdInstrument,
    SupportNote,
)

SCORE_CHOICES = [(str(v), f"{v} {label}") for v, label in rules.BSRS5_ANSWERS]
YES_NO = [("yes", "是"), ("no", "否")]


def _note(
    label: str = "備註", rows: int = 3, help_text: str = "", max_length: int = NOTE_MAX_CHARS
) -> forms.CharField:
    return LongTextField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ScreeningForm(forms.Form):
    """指引 2-1-1a/b/c: BSRS-5 (最近一星期，包括今天) and an optional PTSD self-check."""

    screened_at = ROCDateTimeField(label="檢測時間")
    contact = forms.ChoiceField(label="於哪次聯繫中檢測", required=False)
    self_reported = forms.BooleanField(label="被害人自行填答", required=False)

    def __init__(self, *args, contacts=(), instrument: PtsdInstrument | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [("", "（不指定）")] + [
            (str(c.pk), f"{timezone.localtime(c.contacted_at):%Y-%m-%d %H:%M} {c.get_mode_display()}")
            for c in contacts
        ]
        self.contacts = {str(c.pk): c for c in contacts}
        for i, text in enumerate(rules.BSRS5_ITEMS, start=1):
            self.fields[f"item{i}"] = forms.TypedChoiceField(
                label=f"{i}. {text}", choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
            )
        self.fields["item_suicide"] = forms.TypedChoiceField(
            label=f"＊ {rules.BSRS5_SUICIDE_ITEM}",
            choices=SCORE_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
            help_text="2 分（中等程度）以上：不論總分，立即通知承辦社工與督導。",
        )
        self.instrument = instrument
        self.ptsd_names = []
        if instrument is not None:
            self.fields["ptsd_done"] = forms.BooleanField(label=f"一併做 {instrument.name}", required=False)
            for i, text in enumerate(instrument.questions):
                name = f"ptsd_{i}"
                self.ptsd_names.append(name)
                self.fields[name] = forms.ChoiceField(
                    label=f"PTSD {i + 1}. {text}", choices=YES_NO, required=False, widget=forms.RadioSelect
                )
        self.fields["suggestion_given_on"] = ROCDateField(label="已建議就診身心科的日期", required=False)
        self.fields["victim_response"] = _note("被害人回應", 2)
        self.fields["note"] = _note()

    @property
    def item_fields(self):
        return [self[f"item{i}"] for i in range(1, 6)] + [self["item_suicide"]]

    @property
    def ptsd_fields(self):
        return [self[name] for name in self.ptsd_names]

    def clean(self):
        data = super().clean()
        if self.instrument is not None and data.get("ptsd_done"):
            missing = [name for name in self.ptsd_names if data.get(name) not in ("yes", "no")]
            for name in missing:
                self.add_error(name, "請回答「是」或「否」。")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "screened_at": data["screened_at"],
            "self_reported": data["self_reported"],
            "contact": self.contacts.get(data.get("contact") or ""),
            "items": [data[f"item{i}"] for i in range(1, 6)],
            "item_suicide": data["item_suicide"],
            "suggestion_given_on": data.get("suggestion_given_on"),
            "victim_response": data.get("victim_response", ""),
            "note": data.get("note", ""),
        }
        if self.instrument is not None and data.get("ptsd_done"):
            kwargs["ptsd_instrument"] = self.instrument
            kwargs["ptsd_answers"] = [data[name] == "yes" for name in self.ptsd_names]
        return kwargs


def _contact_choices(contacts) -> list[tuple[str, str]]:
    return [("", "（不指定）")] + [
        (str(c.pk), f"{timezone.localtime(c.contacted_at):%Y-%m-%d %H:%M} {c.get_mode_display()}")
        for c in contacts
    ]


class SupportNoteForm(forms.Form):
    """指引 2-1: emotions sorted out with the victim (trauma-informed) and the support given."""

    noted_at = ROCDateTimeField(label="時間")
    contact = forms.ChoiceField(label="於哪次聯繫", required=False)
    emotions = forms.MultipleChoiceField(
        label="協助梳理的情緒", choices=SupportNote.Emotion.choices, widget=forms.CheckboxSelectMultiple
    )
    emotions_other = forms.CharField(label="其他情緒", max_length=60, required=False)
    support_given = LongTextField(
        label="回應與支持",
        max_length=RECORD_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="社工如何同理、回應，被害人發展出的因應方式。",
    )

    def __init__(self, *args, contacts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["emotions"].error_messages["required"] = "請勾選這次協助被害人梳理的情緒。"
        self.fields["support_given"].error_messages["required"] = "請記錄社工的回應與支持。"
        self.fields["contact"].choices = _contact_choices(contacts)
        self.contacts = {str(c.pk): c for c in contacts}

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["contact"] = self.contacts.get(data.get("contact") or "")
        return data


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CounsellingProgramme) -> str:
        sessions = f"，每年{obj.free_sessions_per_year}次免費" if obj.free_sessions_per_year else ""
        return f"{obj.name}（{obj.age_range}{sessions}）"


class CounsellingReferralForm(forms.Form):
    """指引 2-2: willingness, programme, status and sessions."""

    victim_willing = forms.BooleanField(label="被害人有意願接受心理諮商", required=False)
    programme = ProgrammeChoiceField(
        label="方案", queryset=CounsellingProgramme.objects.none(), empty_label="請選擇"
    )
    referred_on = ROCDateField(label="轉介日期")
    provider = forms.CharField(label="諮商機構", max_length=100, required=False)
    status = forms.ChoiceField(
        label="狀態", choices=CounsellingReferral.Status.choices, widget=forms.RadioSelect
    )
    applied_on = ROCDateField(label="申請日期（心理復健補助）", required=False)
    decided_on = ROCDateField(label="核定日期", required=False)
    approved_amount = forms.IntegerField(label="核定金額（新臺幣元）", min_value=0, required=False)
    sessions_approved = forms.IntegerField(label="核定次數", min_value=0, max_value=99, required=False)
    sessions_used = forms.IntegerField(label="已使用次數", min_value=0, max_value=99, initial=0)
    first_session_on = ROCDateField(label="首次諮商日期", required=False)
    note = _note()

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return staff_name(obj)


def _choices(*values: str) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


BARRIERS = _choices("心智能力", "語言文化", "身心狀況", "數位資訊")
SUPPORT_USED = [("", "無"), ("professional", "性侵害案件專業人士詢訊問服務"), ("interpreter", "通譯服務")]
PAUSE_BY = [("", "—"), ("被害人", "被害人"), ("社工", "社工")]
CONFLICT_PARTIES = _choices("被害人", "陪同親屬", "警方")
YES_NO_NA = [("", "—")] + list(Escort.YesNoNa.choices)
STAGES = [("", "—"), ("偵查", "偵查"), ("審判", "審判")]
ABSENCE = [("", "—"), ("請假", "請假"), ("聲請改期", "聲請改期")]
MEASURES = _choices("隔離訊問", "隔離訊問庭", "溫馨會談室")
MEETING_POINTS = [("", "—")] + _choices("法警室", "偵查庭外", "法庭外", "法院另一入口")
REQUESTED_BY = [("", "—")] + _choices("事先安排", "法官", "檢察官")
FURTHER_NEED = [("", "—"), ("法律諮詢", "法律諮詢"), ("委任律師", "委任律師"), ("無", "無")]

PLACE_CODE_HELP = (
    "與被害人事先約定的地點代碼（例：A3）。被害人同意以簡訊聯繫時，開庭前 24 小時傳送提醒簡訊；"
    "簡訊可能被其他人看到，請勿填寫法院名稱。"
)

INTERVIEW_FIELDS = [
    "privacy_separate_room",
    "privacy_code_name_used",
    "barriers",
    "support_used",
    "interpreter_language",
    "improper_conduct",
    "repeated_questioning",
    "trauma_reaction",
    "pause_requested",
    "pause_by",
    "resumed",
    "conflict_parties",
    "conflict_resolved",
    "statement_reviewed",
    "corrections_requested",
    "corrections_made",
    "refused_fingerprint",
    "mandatory_report_needed",
    "officer_reminded",
    "report_type",
    "prosecutor_office",
]
COURT_FIELDS = [
    "court_name",
    "stage",
    "victim_attends",
    "absence_action",
    "protective_measures",
    "defendant_present",
    "meeting_point",
    "meet_before_minutes",
    "documents_to_bring",
    "worker_statement_made",
    "statement_requested_by",
    "further_need",
]
BASE_FIELDS = [
    "victim_consent",
    "consent_at",
    "consent_how",
    "starts_at",
    "ends_at",
    "place",
    "status",
    "note",
]


class EscortForm(forms.Form):
    """指引 3: consent, time and place, the checklist of the record's version, the structured fields."""

    victim_consent = forms.BooleanField(label="被害人同意社工陪同（指引 3-A）", required=False)
    consent_at = ROCDateTimeField(label="同意時間", required=False)
    consent_how = forms.ChoiceField(
        label="同意方式", choices=Escort.ConsentHow.choices, required=False, widget=forms.RadioSelect
    )
    starts_at = ROCDateTimeField(label="陪同時間")
    ends_at = ROCDateTimeField(label="結束時間", required=False)
    place = forms.CharField(label="地點", max_length=100, required=False)
    status = forms.ChoiceField(label="狀態", choices=Escort.Status.choices, widget=forms.RadioSelect)
    linked_key = forms.ChoiceField(label="連結的紀錄", required=False)
    counselling_referral = forms.ModelChoiceField(
        label="心理諮商轉介", queryset=CounsellingReferral.objects.none(), required=False
    )
    place_code = forms.CharField(
        label="簡訊提醒地點代碼", max_length=20, required=False, help_text=PLACE_CODE_HELP
    )

    privacy_separate_room = forms.ChoiceField(
        label="警方採取隔離空間（3-1-1C）", choices=YES_NO_NA, required=False
    )
    privacy_code_name_used = forms.ChoiceField(
        label="使用偵訊代號（3-1-1C）", choices=YES_NO_NA, required=False
    )
    barriers = forms.MultipleChoiceField(
        label="陳述障礙（3-1-2A）", choices=BARRIERS, required=False, widget=forms.CheckboxSelectMultiple
    )
    support_used = forms.ChoiceField(label="使用服務（3-1-2A）", choices=SUPPORT_USED, required=False)
    interpreter_language = forms.CharField(label="通譯語言", max_length=40, required=False)
    improper_conduct = forms.BooleanField(label="警方有不當態度或言語批判（3-1-2B）", required=False)
    repeated_questioning = forms.BooleanField(label="就事實重複詢問（3-1-2B）", required=False)
    trauma_reaction = forms.BooleanField(label="疑似創傷反應（3-1-2C）", required=False)
    pause_requested = forms.BooleanField(label="要求暫停筆錄（3-1-2C）", required=False)
    pause_by = forms.ChoiceField(label="提出暫停", choices=PAUSE_BY, required=False)
    resumed = forms.BooleanField(label="已恢復筆錄", required=False)
    conflict_parties = forms.MultipleChoiceField(
        label="現場衝突（3-1-2F）",
        choices=CONFLICT_PARTIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conflict_resolved = forms.BooleanField(label="衝突已處理", required=False)
    statement_reviewed = forms.BooleanField(label="已協助確認筆錄內容（3-1-3A）", required=False)
    corrections_requested = forms.BooleanField(label="已請員警修改筆錄", required=False)
    corrections_made = forms.BooleanField(label="員警已修改", required=False)
    refused_fingerprint = forms.BooleanField(label="被害人拒絕於筆錄捺手印", required=False)
    mandatory_report_needed = forms.BooleanField(label="涉及責任通報（3-1-3B）", required=False)
    officer_reminded = forms.BooleanField(label="已提醒承辦員警通報", required=False)
    report_type = forms.CharField(label="通報類別", max_length=60, required=False)
    prosecutor_office = forms.CharField(label="偵辦之地方檢察署（3-1-3C）", max_length=40, required=False)

    court_name = forms.CharField(label="法院／地檢署（3-2-1A）", max_length=60, required=False)
    stage = forms.ChoiceField(label="程序", choices=STAGES, required=False)
    victim_attends = forms.BooleanField(label="被害人出庭", required=False, initial=True)
    absence_action = forms.ChoiceField(label="不出庭時", choices=ABSENCE, required=False)
    protective_measures = forms.MultipleChoiceField(
        label="保護措施（3-2-1A）", choices=MEASURES, required=False, widget=forms.CheckboxSelectMultiple
    )
    defendant_present = forms.BooleanField(label="被告同時到庭（3-2-1D）", required=False)
    meeting_point = forms.ChoiceField(label="碰面地點", choices=MEETING_POINTS, required=False)
    meet_before_minutes = forms.IntegerField(
        label="提早碰面（分鐘）", min_value=0, max_value=240, required=False
    )
    documents_to_bring = forms.CharField(label="應攜帶證件", max_length=200, required=False)
    worker_statement_made = forms.BooleanField(label="社工於庭上陳述意見（3-2-2）", required=False)
    statement_requested_by = forms.ChoiceField(label="陳述意見之安排", choices=REQUESTED_BY, required=False)
    further_need = forms.ChoiceField(label="後續需求（3-2-3B）", choices=FURTHER_NEED, required=False)
    note = _note("陪同紀錄", 4, max_length=RECORD_MAX_CHARS)

    def __init__(
        self, *args, kind: str, checklist=None, links=(), referrals=None, editing: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.checklist = checklist
        keep = set(BASE_FIELDS)
        if kind == EscortKind.INTERVIEW:
            keep |= set(INTERVIEW_FIELDS) | {"linked_key"}
        elif kind == EscortKind.COURT:
            keep |= set(COURT_FIELDS) | {"place_code"}
        elif kind == EscortKind.LEGAL_CONSULTATION:
            keep |= {"linked_key"}
        elif kind == EscortKind.COUNSELLING and not editing:
            keep |= {"counselling_referral"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "linked_key" in self.fields:
            self.fields["linked_key"].choices = [("", "（不連結）")] + [(r.key, r.label) for r in links]
            self.fields["linked_key"].help_text = "選擇已登錄的報案或法律諮詢，不必重複輸入。"
        if "counselling_referral" in self.fields and referrals is not None:
            self.fields["counselling_referral"].queryset = referrals
            self.fields["counselling_referral"].label_from_instance = lambda r: (
                f"{r.programme.name}・{r.provider or '未定機構'}"
            )
        if kind == EscortKind.COURT:
            self.fields["starts_at"].label = "開庭時間"
        if editing and "place_code" in self.fields:
            self.fields["place_code"].help_text = (
                PLACE_CODE_HELP + "留空則保留已排定的提醒；改期時請重新填寫。"
            )
        self.tick_names: list[tuple[dict, str, str]] = []
        if checklist is not None:
            for i, item in enumerate(checklist.items):
                tick, note = f"tick_{i}", f"ticknote_{i}"
                self.fields[tick] = forms.BooleanField(
                    label=f"{item['code']} {item['text']}",
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )
                self.fields[note] = forms.CharField(
                    label=f"{item['code']} 說明",
                    max_length=300,
                    required=False,
                    widget=forms.TextInput(
                        attrs={"class": "form-control form-control-sm", "placeholder": "說明（選填）"}
                    ),
                )
                self.tick_names.append((item, tick, note))

    def checklist_phases(self):
        """[(phase label, [(item, tick bound field, note bound field)])] for the template."""
        phases = []
        for label, items in self.checklist.items_by_phase() if self.checklist else []:
            codes = {i["code"] for i in items}
            phases.append(
                (
                    label,
                    [
                        (item, self[tick], self[note])
                        for item, tick, note in self.tick_names
                        if item["code"] in codes
                    ],
                )
            )
        return phases

    def field_group(self, names):
        return [self[name] for name in names if name in self.fields]

    @property
    def base_group(self):
        return self.field_group(
            ["victim_consent", "consent_at", "consent_how", "starts_at", "ends_at", "place", "status"]
        )

    @property
    def link_group(self):
        return self.field_group(["linked_key", "counselling_referral", "place_code"])

    @property
    def interview_group(self):
        return self.field_group(INTERVIEW_FIELDS)

    @property
    def court_group(self):
        return self.field_group(COURT_FIELDS)

    def clean_place_code(self) -> str:
        value = (self.cleaned_data.get("place_code") or "").strip()
        if not value:
            return ""
        try:
            return check_place_code(value)
        except SmsTextError as exc:
            raise forms.ValidationError(exc.messages) from None

    def service_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("tick")}
        if self.checklist is not None:
            data["ticks"] = [item["code"] for item, tick, _ in self.tick_names if self.cleaned_data.get(tick)]
            data["tick_notes"] = {
                item["code"]: self.cleaned_data.get(note, "") for item, _, note in self.tick_names
            }
        return data


def escort_initial(escort: Escort) -> dict:
    initial = {name: getattr(escort, name) for name in BASE_FIELDS + INTERVIEW_FIELDS + COURT_FIELDS}
    initial["linked_key"] = escort.linked_key
    if escort.checklist is not None:
        ticked = set(escort.ticks or [])
        notes = escort.notes_by_code()
        for i, item in enumerate(escort.checklist.items):
            initial[f"tick_{i}"] = item["code"] in ticked
            initial[f"ticknote_{i}"] = notes.get(item["code"], "")
    return initial


class EscortReportForm(forms.Form):
    """出勤服務工作紀錄表 / 陪同出庭服務紀錄表."""

    service_summary = _note("服務內容摘要", 6, max_length=RECORD_MAX_CHARS)
    victim_condition = _note("被害人狀況（情緒、身心反應）", 3, max_length=RECORD_MAX_CHARS)
    follow_up = _note("後續處遇計畫", 3, max_length=RECORD_MAX_CHARS)
    completed_on = ROCDateField(label="完成日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_summary"].required = True
        self.fields["service_summary"].error_messages["required"] = "請填寫服務內容摘要。"


class DeclinedRequestForm(forms.Form):
    """指引 3-3-2: outside the escort service."""

    request = forms.ChoiceField(
        label="被害人請求", choices=DeclinedEscortRequest.Request.choices, widget=forms.RadioSelect
    )
    requested_on = ROCDateField(label="請求日期")
    detail = _note("說明", 2)
    alternative_offered = forms.CharField(
        label="提供的替代方式",
        max_length=200,
        required=False,
        help_text="留空則依請求填入：返家取物→請找警察；與相對人見面、交流感情→說明陪同範圍。",
    )
