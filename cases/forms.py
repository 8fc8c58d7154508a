from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone

from cases.choices import CallerRequest, ServiceOffered
from cases.contact_rules import contact_errors
from cases.forms_fields import (
    NARRATIVE_MAX_CHARS,
    NOTE_MAX_CHARS,
    RECORD_MAX_CHARS,
    BirthDateField,
    LongTextField,
    NationalIdField,
    ROCDateField,
    ROCDateTimeField,
    TaiwanMobileField,
)
from cases.models import CaseStatusChange, Contact, Deadline, Intake, ServiceAppointment
from cases.page_rows import person_name
from cases.people import staff_name
from cases.search import classify


class VictimIdentifiersMixin(forms.Form):
    """Name, phone and national ID as the victim gives them; phone and ID are what one window matches on."""

    victim_name = forms.CharField(label="被害人姓名（或稱呼）", max_length=100)
    victim_phone = TaiwanMobileField(label="被害人手機", required=False)
    victim_national_id = NationalIdField(label="被害人身分證字號", required=False)
    victim_birth_date = BirthDateField(label="被害人出生日期", required=False)


class CallIntakeForm(VictimIdentifiersMixin):
    """Guideline 1-2: a hotline call."""

    received_at = ROCDateTimeField(label="來電時間")
    channel = forms.ChoiceField(
        label="管道", choices=[c for c in Intake.Channel.choices if c[0] != "referral_form"]
    )
    caller_relation = forms.ChoiceField(label="來電者身分", choices=Intake.CallerRelation.choices)
    caller_name = forms.CharField(label="來電者姓名（非本人來電時）", max_length=100, required=False)
    requests = forms.MultipleChoiceField(
        label="來電需求", choices=CallerRequest.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    immediate_danger = forms.ChoiceField(
        label="是否有立即人身安全危險（每次接觸都要詢問）", choices=[("", "請選擇")] + Intake.Danger.choices
    )
    narrative = LongTextField(
        label="案情概述（被害人已陳述的內容，之後不再重複詢問）",
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    services_offered = forms.MultipleChoiceField(
        label="已提供服務（指引 1-2）",
        choices=ServiceOffered.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wishes = forms.ChoiceField(label="被害人意願", choices=Intake.Wishes.choices)
    wishes_note = LongTextField(
        label="意願說明", required=False, max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )
    learned_of_images_on = ROCDateField(label="被害人知悉影像（被散布、被偷拍等）的日期", required=False)
    offender_known = forms.TypedChoiceField(
        label="是否知道犯人是誰",
        choices=[("", "未詢問"), ("yes", "已知悉犯人"), ("no", "尚不知道是誰")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    knew_offender_on = ROCDateField(label="知悉犯人的日期", required=False)
    sms_consent = forms.BooleanField(
        label="被害人同意以簡訊聯繫（預約提醒等，內容一律為通用文字）", required=False
    )
    send_resource_sms = forms.BooleanField(
        label="傳送服務資源簡訊（中心統一版本）",
        required=False,
        help_text="被害人暫無意願接受服務時勾選（指引 1-3）：以中心統一的通用簡訊傳送服務資源到上方手機，"
        "內容不提及任何人或案情；夜間靜默時段內不發送，時段結束後才送出。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.now())
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("安全（先問）", "immediate_danger"),
            Fieldset(
                "來電",
                Row(Column("received_at"), Column("channel")),
                Row(Column("caller_relation"), Column("caller_name")),
            ),
            Fieldset(
                "被害人",
                Row(Column("victim_name"), Column("victim_birth_date")),
                Row(Column("victim_phone"), Column("victim_national_id")),
            ),
            Fieldset("內容", "requests", "narrative"),
            Fieldset(
                "告訴期限（指引 1-2c：告訴乃論自知悉犯人起6個月）",
                "learned_of_images_on",
                Row(Column("offender_known"), Column("knew_offender_on")),
            ),
            Fieldset(
                "服務與意願",
                "services_offered",
                "wishes",
                "wishes_note",
                "sms_consent",
                "send_resource_sms",
            ),
            Submit("submit", "儲存來電紀錄"),
        )

    def clean(self):
        data = super().clean()
        if data.get("caller_relation") and data["caller_relation"] != Intake.CallerRelation.VICTIM:
            if not data.get("caller_name"):
                self.add_error("caller_name", "非被害人本人來電時，請填寫來電者姓名或稱呼。")
        if data.get("knew_offender_on") and data.get("offender_known") is not True:
            self.add_error("knew_offender_on", "填寫知悉犯人日期時，請在上一欄選「已知悉犯人」。")
        today = timezone.localdate()
        for name in ("learned_of_images_on", "knew_offender_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, "日期不能晚於今天。")
        if data.get("send_resource_sms"):
            if data.get("wishes") and data["wishes"] != Intake.Wishes.DECLINES:
                self.add_error("send_resource_sms", "服務資源簡訊只在被害人「暫無意願接受服務」時傳送。")
            if "victim_phone" in data and not data["victim_phone"]:
                self.add_error("victim_phone", "要傳送服務資源簡訊，請填寫被害人手機。")
        return data


class IntakeCloseForm(forms.Form):
    note = LongTextField(
        label="不開案說明", max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = ""
        self.helper.add_input(Submit("submit", "確認不開案", css_class="btn-outline-danger"))


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = staff_name(obj)
        load = getattr(obj, "open_cases", None)
        return f"{name}（服務中 {load} 案）" if load is not None else name


class DispatchForm(forms.Form):
    worker = WorkerChoiceField(label="承辦社工", queryset=None, empty_label="請選擇社工")
    reason = LongTextField(
        label="派案說明", max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "派案"))


class VictimForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=100)
    phone = TaiwanMobileField(label="手機號碼", required=False)
    national_id = NationalIdField(label="身分證字號", required=False)
    birth_date = BirthDateField(label="出生日期", required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    sms_consent = forms.BooleanField(label="被害人同意以簡訊聯繫（簡訊內容一律為通用文字）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("name"), Column("birth_date")),
            Row(Column("phone"), Column("national_id")),
            "address",
            "sms_consent",
            Submit("submit", "儲存"),
        )


class DeadlineCloseForm(forms.Form):
    state = forms.ChoiceField(
        label="結果",
        choices=[
            ("done", "已完成"),
            ("missed", "已逾期未完成"),
            ("not_applicable", "不適用"),
        ],
        widget=forms.RadioSelect,
    )
    reason = LongTextField(
        label="說明（逾期或不適用時必填）",
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "結束期限"))

    def clean(self):
        data = super().clean()
        if data.get("state") in ("missed", "not_applicable") and not data.get("reason", "").strip():
            self.add_error("reason", "標示逾期或不適用時，請說明原因。")
        return data


class ContactForm(forms.Form):
    """聯繫紀錄 (指引 2-1, 7-1a): the immediate-danger question comes first, as on the phone."""

    contacted_at = ROCDateTimeField(label="聯繫時間")
    mode = forms.ChoiceField(label="方式", choices=Contact.Mode.choices, widget=forms.RadioSelect)
    result = forms.ChoiceField(label="結果", choices=Contact.Result.choices, widget=forms.RadioSelect)
    immediate_danger = forms.ChoiceField(
        label="是否有立即人身安全危險（每次接觸都要詢問）",
        choices=[("", "請選擇（聯繫未果時免填）")] + Contact.Danger.choices,
        required=False,
        help_text="有聯繫到被害人（已聯繫、暫無意願）時必填；選「有立即危險」會立即通知督導並在案件上標記。",
    )
    danger_not_asked_reason = LongTextField(
        label="未能詢問的原因",
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    duration_minutes = forms.IntegerField(
        label="時間長度（分鐘）", required=False, min_value=0, max_value=1440
    )
    notes = LongTextField(
        label="聯繫內容（被害人說了什麼、提供了哪些支持）",
        required=False,
        max_length=RECORD_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    next_contact_on = ROCDateField(label="下次聯繫日期（會排入您的期限）", required=False)
    send_resource_sms = forms.BooleanField(
        label="傳送服務資源簡訊（中心統一版本）",
        required=False,
        help_text="聯繫未果或被害人暫無意願時可勾選（指引 1-3）：通用文字，不提及任何人或案情；"
        "夜間靜默時段內不發送。",
    )

    def __init__(self, *args, with_next_contact: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("contacted_at", timezone.now())
        if not with_next_contact:
            del self.fields["next_contact_on"]
        self.fields["duration_minutes"].error_messages.update(
            {
                "min_value": "時間長度不能是負數。",
                "max_value": "時間長度最多 1440 分鐘（一天）。",
                "invalid": "請輸入分鐘數。",
            }
        )
        self.fields["notes"].error_messages["max_length"] = (
            "聯繫內容最多 %(limit_value)d 字（目前 %(show_value)d 字）。"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("安全", "immediate_danger", "danger_not_asked_reason"),
            Fieldset(
                "聯繫",
                Row(Column("contacted_at"), Column("duration_minutes")),
                Row(Column("mode"), Column("result")),
                "notes",
                *(["next_contact_on"] if with_next_contact else []),
                "send_resource_sms",
            ),
            Submit("submit", "儲存聯繫紀錄"),
        )

    def clean(self):
        data = super().clean()
        if not data.get("contacted_at"):
            return data
        errors = contact_errors(
            result=data.get("result", ""),
            immediate_danger=data.get("immediate_danger", ""),
            danger_not_asked_reason=data.get("danger_not_asked_reason", ""),
            contacted_at=timezone.localtime(data["contacted_at"]),
            now=timezone.localtime(),
            next_contact_on=data.get("next_contact_on"),
            send_resource_sms=data.get("send_resource_sms", False),
            has_mobile=True,  # the service checks the victim's number
        )
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)
        return data


class DangerClearForm(forms.Form):
    note = LongTextField(
        label="解除原因", max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "解除立即危險標記", css_class="btn-outline-danger"))


class CloseRequestForm(forms.Form):
    closing_reason = forms.ChoiceField(
        label="結案原因", choices=[("", "請選擇")] + CaseStatusChange.ClosingReason.choices
    )
    note = LongTextField(
        label="結案說明（服務摘要）", max_length=RECORD_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "送出結案申請"))


class CloseDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="審核",
        choices=[("approve", "核定結案"), ("return", "退回（繼續服務）")],
        widget=forms.RadioSelect,
    )
    comment = LongTextField(
        label="督導意見（退回時必填）",
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "送出審核"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "退回結案申請時，請寫下要補充或繼續處理的事項。")
        return data


class ReopenForm(forms.Form):
    note = LongTextField(
        label="重新開案原因", max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "重新開案"))


class AppointmentForm(forms.Form):
    """預約服務 (指引 1-2b), from the call or on the case."""

    service = forms.ChoiceField(label="服務", choices=ServiceAppointment.Service.choices)
    scheduled_at = ROCDateTimeField(label="預約時間")
    place_code = forms.CharField(
        label="地點代碼（與被害人約定的代號，例如 A3；提醒簡訊只寫代碼，不寫地點）",
        max_length=10,
        required=False,
    )
    note = LongTextField(
        label="備註", required=False, max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("service"), Column("scheduled_at")), "place_code", "note", Submit("submit", "預約")
        )


class DeadlineFilterForm(forms.Form):
    """The deadline dashboard's filters (GET). A bad value is named on the form and that filter is left
    out, so the page still lists what it can."""

    kind = forms.ChoiceField(label="類別", choices=[("", "全部類別")] + Deadline.Kind.choices, required=False)
    # The unit's social workers as (id, name) pairs from one values query: as a ModelChoiceField, the
    # 40-odd User instances behind the <select> cost more than the query on every supervisor's dashboard.
    owner = forms.TypedChoiceField(label="負責人", coerce=int, empty_value=None, required=False)
    case = forms.CharField(label="案號", max_length=20, required=False)
    due_from = ROCDateField(label="到期日起", required=False)
    due_to = ROCDateField(label="到期日迄", required=False)
    week_of = ROCDateField(label="週次（任一天）", required=False)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select"
        if owners is None:
            del self.fields["owner"]
        else:
            owner = self.fields["owner"]
            owner.widget.attrs["class"] = "form-select"
            # owners: (pk, last name, first name, username), as selectors.social_worker_names() gives them
            owner.choices = [("", "全部"), *((pk, person_name(*name)) for pk, *name in owners)]
            owner.error_messages["invalid_choice"] = "請從清單選擇負責人。"

    def cleaned_filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        filters = {
            "kind": data.get("kind") or "",
            "case_number": (data.get("case") or "").strip(),
            "due_from": data.get("due_from"),
            "due_to": data.get("due_to"),
            "week_of": data.get("week_of"),
        }
        if data.get("owner") is not None:
            filters["owner_id"] = data["owner"]
        return filters

    def query_string(self) -> str:
        from urllib.parse import urlencode

        if not self.is_bound:
            return ""
        keep = ("kind", "owner", "case", "due_from", "due_to")
        return urlencode({k: self.data[k] for k in keep if self.data.get(k) and k not in self.errors})


class BreakGlassForm(forms.Form):
    """緊急調閱: a reason always; the case number only when the worker asks from the search page."""

    number = forms.CharField(
        label="案號",
        max_length=20,
        help_text="例如 115-000042。姓名、手機或身分證字號不能申請緊急調閱。",
    )
    reason = forms.CharField(
        label="調閱理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="請具體說明為何必須立即調閱（例如承辦社工休假，被害人來電表示有立即危險）。督導會收到通知並確認。",
    )

    def __init__(self, *args, with_number: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_number:
            del self.fields["number"]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page posts to the grant URL, also from the case page's 404
        self.helper.add_input(Submit("submit", "說明理由並調閱", css_class="btn-outline-danger"))

    def clean_number(self) -> str:
        term = classify(self.cleaned_data["number"])
        if term.kind != "case_number":
            raise forms.ValidationError("請輸入案號（例如 115-000042）。")
        return term.value


class BreakGlassReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="確認",
        choices=[("acknowledged", "確認理由適當"), ("questioned", "提出疑問（立即終止調閱）")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="督導意見", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # one form per grant on the review page, each with its own action
        self.helper.add_input(Submit("submit", "送出"))
