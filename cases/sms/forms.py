"""Forms of the SMS pages: template editing (supervisors) and settling a message (docs/sms.md)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from cases.forms_fields import LongTextField
from cases.sms.outbox import RESOLVE_ACTIONS
from cases.sms.text import SAFE_PLACEHOLDERS


class SmsTemplateForm(forms.Form):
    # Far above what SMS_MAX_SEGMENTS allows; the preview names the exact length and segments.
    body = LongTextField(
        label="簡訊內容",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="可代入："
        + "、".join(f"{{{name}}}（{label}）" for name, label in SAFE_PLACEHOLDERS.items())
        + "。不可寫入被害人姓名、案件內容或透露案情的字詞。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("preview", "預覽", css_class="btn-outline-secondary"))
        self.helper.add_input(Submit("save", "儲存"))


class SmsResolveForm(forms.Form):
    action = forms.ChoiceField(
        label="處理方式", choices=list(RESOLVE_ACTIONS.items()), widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "確認"))
