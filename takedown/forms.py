"""Forms of the takedown app. They parse what staff type; the rules run in the services, whose errors the
views put back here."""

from __future__ import annotations

from django import forms

from cases.forms_fields import NOTE_MAX_CHARS, RECORD_MAX_CHARS, LongTextField, ROCDateField, ROCDateTimeField
from takedown.models import MinorAnswer, PreventionAdvice, TakedownComplaint, TakedownTarget


def _flag(label: str, help_text: str = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


def _text(
    label: str, rows: int = 3, required: bool = False, max_length: int = NOTE_MAX_CHARS
) -> forms.CharField:
    return LongTextField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


class ComplaintForm(forms.Form):
    """Guideline 8-1, 8-1-T, 8-1-3B/C, 8-1-4, 8-2-1."""

    evidence_keys = forms.MultipleChoiceField(
        label="要下架的網址或帳號（來自證據保存）",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "請至少選擇一個要下架的網址或帳號（先在證據保存登錄）。",
            "invalid_choice": "選擇的證據項目不屬於此案件，請重新整理頁面。",
        },
    )
    filed_at = ROCDateTimeField(label="申訴時間")
    filed_by_kind = forms.ChoiceField(
        label="申訴人", choices=TakedownComplaint.FiledBy.choices, widget=forms.RadioSelect
    )
    minor_at_time = forms.ChoiceField(
        label="影像中的人當時是否未成年",
        choices=MinorAnswer.choices,
        widget=forms.RadioSelect,
        help_text="依影像拍攝、散布時的年齡，可能與被害人現在的年齡不同。預設依被害人出生日期推算。",
    )
    reference_no = forms.CharField(label="性影像處理中心案號", max_length=60, required=False)
    acceptance_confirmed_at = ROCDateTimeField(label="聯繫性影像處理中心確認受理時間", required=False)
    form_completed_by_victim = _flag("確認被害人已填完申請表")
    victim_informed_follow_up = _flag("已告知被害人後續追蹤方式（性影像處理中心下架後會另以信件告知）")
    timeliness_varies_explained = _flag("已說明各網站、業者的處理時效與程度不同（指引 8-1-3C）")
    role_explained = _flag("已說明本中心陪伴並追蹤，搜查與下架由性影像處理中心負責（指引 8-1-4）")
    victim_calmed = _flag("已安撫被害人情緒（指引 8-2-1）")
    centre_notified_victim_on = ROCDateField(label="性影像處理中心來信告知被害人日期", required=False)
    note = _text("備註")

    def __init__(self, *args, evidence_choices=None, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        if evidence_choices is None:
            del self.fields["evidence_keys"]
        else:
            self.fields["evidence_keys"].choices = evidence_choices
        self.target_fields = []
        for target in targets:
            name, when = f"outcome_{target.pk}", f"outcome_on_{target.pk}"
            label = f"{target.platform_name} {target.url}".strip()
            self.fields[name] = forms.ChoiceField(
                label=f"處理結果：{label}", choices=TakedownTarget.Outcome.choices, initial=target.outcome
            )
            self.fields[when] = ROCDateField(label="結果日期", required=False, initial=target.outcome_on)
            self.target_fields.append((target, name, when))

    def outcomes(self) -> dict:
        return {
            str(target.pk): (self.cleaned_data.get(name), self.cleaned_data.get(when))
            for target, name, when in self.target_fields
        }

    def complaint_data(self) -> dict:
        skip = (
            {"evidence_keys"} | {n for _, n, w in self.target_fields} | {w for _, n, w in self.target_fields}
        )
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class FollowUpForm(forms.Form):
    at = ROCDateTimeField(label="追蹤時間")
    result = _text("追蹤結果（與性影像處理中心聯繫的情形）", required=True, max_length=RECORD_MAX_CHARS)


class StopNCIIForm(forms.Form):
    """Guideline 5-2, 5-2-2, 5-2-3, 8-1-3A. There is no PIN field, on purpose."""

    explained_on = ROCDateField(label="說明日期")
    holds_images = _flag("被害人持有該性影像")
    already_spread = _flag("影像已遭散布")
    explained_hash_on_device = _flag(
        "已說明：產生代碼時沒有人會看到影像，影像留在被害人自己的設備，只有代碼會傳送（指引 5-2-2）"
    )
    created_on = ROCDateField(label="立案成功日期（被害人在 StopNCII 建立案件）", required=False)
    reminded_keep_number_and_pin = _flag("已提醒被害人牢記案件編號與密碼，遺失將無法回復（指引 5-2-3）")
    case_number = forms.CharField(
        label="StopNCII 案件編號（選填，被害人同意才記錄；密碼一律不記錄）", max_length=60, required=False
    )
    note = _text("備註", rows=2)


class AdviceForm(forms.Form):
    """Guideline 5-1, 5-3 (5-3-1…5-3-3B), 8-1-2."""

    spread_status = forms.ChoiceField(
        label="散布狀況（指引 8-1-1：先了解散布的狀況與程度）",
        choices=[("", "請選擇")] + PreventionAdvice.Spread.choices,
    )
    platforms_known = forms.IntegerField(label="已知散布平台數", required=False, min_value=0, max_value=999)
    urls_known = forms.IntegerField(label="已知網址數", required=False, min_value=0, max_value=9999)
    still_online = forms.ChoiceField(
        label="目前是否仍在網路上", choices=[("", "—")] + PreventionAdvice.StillOnline.choices, required=False
    )
    advised_on = ROCDateField(label="建議日期")
    advise_report = _flag("建議報案")
    advise_takedown_centre = _flag("建議向性影像處理中心申訴下架")
    advise_lawyer_protection_order = _flag("建議諮詢律師：犯保保護命令")
    advise_lawyer_coercive = _flag("建議諮詢律師：刑事強制處分")
    introduced_services = _flag("已介紹性影像處理中心（申訴下架）與 StopNCII（預防散布）的功能（指引 8-1-2）")
    victim_response = _text("被害人回應")
    privacy_given_on = ROCDateField(label="隱私權設定教學日期", required=False)
    privacy_mode = forms.ChoiceField(
        label="教學方式", choices=[("", "—")] + PreventionAdvice.Mode.choices, required=False
    )
    privacy_items = forms.MultipleChoiceField(
        label="已協助完成的隱私權設定", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_items"].choices = [(i.code, f"{i.platform}｜{i.text}") for i in items]
        for name in ("platforms_known", "urls_known"):
            self.fields[name].error_messages.update(
                {
                    "min_value": "請填 0 或正整數。",
                    "max_value": "數量過大，請再確認。",
                    "invalid": "請填數字。",
                }
            )
