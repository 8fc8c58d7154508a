from __future__ import annotations

from django import forms


class TokenForm(forms.Form):
    token = forms.CharField(
        label="驗證碼",
        max_length=20,
        help_text="驗證器 App 顯示的 6 位數字，或一組復原碼。",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": "請輸入驗證碼。"},
    )


class EnrolForm(forms.Form):
    token = forms.CharField(
        label="驗證碼",
        max_length=6,
        min_length=6,
        help_text="加入驗證器 App 後，輸入它顯示的 6 位數字。",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "請輸入驗證碼。", "min_length": "驗證碼為 6 位數字。"},
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError("驗證碼為 6 位數字。")
        return token


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="決定",
        choices=[("approve", "核准"), ("reject", "退回")],
        widget=forms.RadioSelect,
        error_messages={"required": "請選擇核准或退回。", "invalid_choice": "請選擇核准或退回。"},
    )
    note = forms.CharField(
        label="說明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("note", "").strip():
            self.add_error("note", "請說明退回的理由。")
        return cleaned


class UnlockForm(forms.Form):
    username = forms.CharField(
        label="帳號", max_length=150, required=False, error_messages={"max_length": "帳號最多 150 個字元。"}
    )
    ip_address = forms.GenericIPAddressField(
        label="連線位址", required=False, error_messages={"invalid": "請輸入有效的 IP 位址。"}
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("username")) == bool(cleaned.get("ip_address")):
            raise forms.ValidationError("請指定一個帳號或一個連線位址。")
        return cleaned


class TwoFactorResetForm(forms.Form):
    username = forms.CharField(
        label="帳號", max_length=150, error_messages={"required": "請輸入要重設雙因素驗證的帳號。"}
    )


class PasskeyRemoveForm(forms.Form):
    """Removing a passkey asks for the password again."""

    password = forms.CharField(
        label="目前的密碼",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": "請輸入目前的密碼。"},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("密碼不正確。")
        return password
