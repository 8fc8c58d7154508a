from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms

from cases.forms import VictimIdentifiersMixin
from cases.forms_fields import NARRATIVE_MAX_CHARS, LongTextField
from cases.models import Intake
from referrals.models import Referral, has_digits, normalise_police_case_number


class ReferralForm(VictimIdentifiersMixin):
    """轉介表. Police submit their own; the hotline enters forms from other agencies."""

    referring_agency = forms.CharField(label="轉介單位", max_length=100)
    contact_person = forms.CharField(label="承辦人", max_length=50)
    contact_phone = forms.CharField(label="承辦人聯絡電話", max_length=30)
    report_taken = forms.BooleanField(label="已受理報案", required=False)
    police_case_number = forms.CharField(
        label="警方案號（報案三聯單號等，選填）", max_length=40, required=False
    )
    police_asked_about_social_worker = forms.BooleanField(
        label="已主動詢問被害人是否需要轉介社工（指引 1-B）", required=False
    )
    victim_wants_social_worker = forms.ChoiceField(
        label="被害人轉介社工意願", choices=Referral.VictimWantsSocialWorker.choices
    )
    immediate_danger = forms.ChoiceField(
        label="是否有立即人身安全危險（每次接觸都要詢問）", choices=[("", "請選擇")] + Intake.Danger.choices
    )
    narrative = LongTextField(
        label="案情概述（被害人已陳述的內容，避免重複詢問）",
        max_length=NARRATIVE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, police: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.police = police
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "轉介單位",
                Row(Column("referring_agency")),
                Row(Column("contact_person"), Column("contact_phone")),
            ),
            Fieldset(
                "被害人",
                Row(Column("victim_name"), Column("victim_birth_date")),
                Row(Column("victim_phone"), Column("victim_national_id")),
            ),
            Fieldset(
                "轉介內容",
                Row(Column("report_taken"), Column("police_case_number")),
                "police_asked_about_social_worker",
                "victim_wants_social_worker",
                "immediate_danger",
                "narrative",
            ),
            Submit("submit", "送出轉介表"),
        )

    def clean_police_case_number(self) -> str:
        number = normalise_police_case_number(self.cleaned_data.get("police_case_number", ""))
        if number and not has_digits(number):
            raise forms.ValidationError("警方案號應含數字（報案三聯單或受理證明上的編號）。")
        return number

    def clean(self):
        data = super().clean()
        if self.police and not data.get("police_asked_about_social_worker"):
            self.add_error(
                "police_asked_about_social_worker",
                "員警受理案件時應主動詢問被害人是否需要轉介社工，請確認後勾選。",
            )
        return data
