"""Forms of a case's safety records. They parse what staff type (ROC or ISO dates); the rules live on the
models and in the services, whose errors the views put back on these forms."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.forms_fields import RECORD_MAX_CHARS, LongTextField, ROCDateField, ROCDateTimeField
from cases.people import staff_name
from cases.roles import Role
from safety.models import ProtectionOrder, SafetyPlan, SheetDelivery, ShelterScheme


def _note(label: str, rows: int = 3, help_text: str = "") -> forms.CharField:
    return LongTextField(
        label=label,
        required=False,
        max_length=RECORD_MAX_CHARS,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _Form(forms.Form):
    submit_label = "儲存"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", self.submit_label))


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return staff_name(obj)


def staff_queryset():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.HOTLINE])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class SheetDeliveryForm(_Form):
    """指引 7-1b: how, when (and by whom: the signed-in user) the reminder sheet was given."""

    submit_label = "登錄已提供"
    method = forms.ChoiceField(
        label="提供方式", choices=SheetDelivery.Method.choices, widget=forms.RadioSelect
    )
    delivered_at = ROCDateTimeField(label="提供時間")
    note = _note("備註", 2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("delivered_at", timezone.now())


YES_NO = SafetyPlan.Answer.choices


class SafetyPlanForm(_Form):
    """指引 7-2, 7-2-1, 7-2-2, 7-2-3: the plan as discussed with the victim."""

    submit_label = "儲存安全計畫"
    offender_knows_home = forms.ChoiceField(
        label="加害人知道被害人住處", choices=YES_NO, widget=forms.RadioSelect
    )
    offender_knows_work = forms.ChoiceField(
        label="加害人知道工作地點", choices=YES_NO, widget=forms.RadioSelect
    )
    offender_knows_school = forms.ChoiceField(
        label="加害人知道就學地點", choices=YES_NO, widget=forms.RadioSelect
    )
    will_meet_offender = forms.ChoiceField(
        label="被害人是否會再與加害人接觸", choices=YES_NO, widget=forms.RadioSelect
    )
    adjust_hours = forms.BooleanField(label="調整上下班時間", required=False)
    change_routes = forms.BooleanField(label="更換不同路線", required=False)
    escort = forms.BooleanField(label="請親友接送或陪同出入", required=False)
    relocation_needed = forms.BooleanField(
        label="需要轉移至其他安全住所",
        required=False,
        help_text="需要時，請在下方「緊急安置」登錄安置申請（指引 7-3）。",
    )
    patrol_point_requested = forms.BooleanField(label="已請轄區派出所增設巡邏點", required=False)
    precinct = forms.CharField(
        label="派出所", max_length=40, required=False, help_text="例：大安分局和平東路派出所"
    )
    patrol_requested_on = ROCDateField(label="巡邏點申請日期", required=False)
    other_measures = _note("其他措施", 2)
    covers_family = forms.BooleanField(label="計畫涵蓋家屬", required=False)
    family_note = _note("涵蓋的家屬與安排", 2)
    offender_relationship = forms.ChoiceField(
        label="加害人與被害人的關係",
        choices=SafetyPlan.Relationship.choices,
        help_text="決定可建議的保護途徑（指引 7-2-3）。同居伴侶屬家庭成員。",
    )
    stalking = forms.BooleanField(label="加害人有跟蹤、監視、騷擾等行為", required=False)
    notes = _note("安全計畫內容（與被害人討論的安排）", 4)


class PlanReviewForm(_Form):
    submit_label = "登錄已檢視"
    reviewed_at = ROCDateTimeField(label="檢視時間")
    note = _note("檢視結果（有什麼改變、調整了哪些措施）", 3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("reviewed_at", timezone.now())


class SafetyActionForm(_Form):
    """Who does what by when (a tracker deadline)."""

    task = forms.CharField(
        label="事項",
        max_length=80,
        help_text="例：向派出所申請巡邏點、陪同聲請保護令。會列入期限追蹤：請勿寫地址、旅館或被害人姓名。",
    )
    owner = StaffChoiceField(label="負責人員", queryset=None, required=False, empty_label="承辦社工（預設）")
    due_on = ROCDateField(label="期限")
    done_on = ROCDateField(label="完成日期", required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_queryset()
        if not editing:
            del self.fields["done_on"]


class ProtectionOrderForm(_Form):
    """指引 7-2-3: an application and the order once issued."""

    kind = forms.ChoiceField(label="種類", choices=[("", "請選擇")] + ProtectionOrder.Kind.choices)
    court = forms.CharField(label="法院", max_length=40, initial="臺灣臺北地方法院")
    applied_on = ROCDateField(label="聲請日期")
    issued_on = ROCDateField(label="核發日期", required=False, help_text="尚未核發時留空。")
    expires_on = ROCDateField(
        label="有效期間至",
        required=False,
        help_text="填寫後列入期限追蹤，到期前 30 天與 7 天提醒，並附延長聲請方式。",
    )
    note = _note("備註", 2)


class ShelterForm(_Form):
    """指引 7-3: a placement under the city's scheme, approved by a supervisor."""

    submit_label = "送出安置申請"
    scheme = forms.ModelChoiceField(label="方案", queryset=None, empty_label="請選擇")
    hotel = forms.CharField(
        label="安置旅館",
        max_length=80,
        help_text="僅承辦社工與督導看得到；不會出現在通知、簡訊、期限或紀錄摘要中。",
    )
    check_in = ROCDateField(label="入住日期")
    check_out = ROCDateField(label="退房日期")
    cost = forms.IntegerField(label="費用（元）", min_value=0, max_value=1_000_000)
    note = _note("備註", 2)

    def __init__(self, *args, current: ShelterScheme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = ShelterScheme.objects.filter(is_active=True)
        if current is not None:
            qs = ShelterScheme.objects.filter(pk=current.pk) | qs
        self.fields["scheme"].queryset = qs.order_by("-roc_year", "name")
        self.fields["cost"].error_messages.update(
            {"min_value": "費用不能是負數。", "invalid": "請輸入整數金額。"}
        )

    def clean(self):
        data = super().clean()
        check_in, check_out = data.get("check_in"), data.get("check_out")
        if check_in and check_out and check_out <= check_in:
            self.add_error("check_out", "退房日期須晚於入住日期。")
        return data


class ShelterApproveForm(_Form):
    submit_label = "核准緊急安置"
    confirm = forms.BooleanField(
        label="已確認方案、晚數與費用", error_messages={"required": "請勾選確認後再核准。"}
    )
