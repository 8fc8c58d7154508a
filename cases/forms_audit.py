"""Forms of the audit review (issue 21): the filters, and the export with its stated reason."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms

from cases.audit_trail import Filters, kind_choices, user_choices
from cases.forms_fields import ROCDateField
from cases.models import Case
from cases.people import staff_name


class AuditFilterForm(forms.Form):
    """Filters by user, case number, action and dates. A bad value is named on the form."""

    user = forms.ModelChoiceField(label="人員", queryset=None, required=False, empty_label="全部人員")
    case = forms.CharField(label="案號", max_length=20, required=False)
    kind = forms.ChoiceField(label="動作", choices=(), required=False)
    date_from = ROCDateField(label="日期起", required=False)
    date_to = ROCDateField(label="日期迄", required=False)

    def __init__(self, *args, fixed_user=None, fixed_case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_user, self.fixed_case = fixed_user, fixed_case
        self.fields["user"].queryset = user_choices()
        self.fields["user"].label_from_instance = lambda u: f"{staff_name(u)}（{u.get_username()}）"
        self.fields["user"].error_messages["invalid_choice"] = "請從清單選擇人員。"
        self.fields["kind"].choices = kind_choices()
        self.fields["kind"].error_messages["invalid_choice"] = "請從清單選擇動作。"
        for name in ("user", "kind"):
            self.fields[name].widget.attrs["class"] = "form-select"
        for name in ("case", "date_from", "date_to"):
            self.fields[name].widget.attrs["class"] = "form-control"
        if fixed_user is not None:
            del self.fields["user"]
        if fixed_case is not None:
            del self.fields["case"]

    def clean_case(self):
        number = (self.cleaned_data.get("case") or "").strip()
        if not number:
            return None
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise forms.ValidationError("找不到此案號，請確認格式（例：115-000123）。")
        return case

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "迄日不可早於起日。")
        return data

    def filters(self) -> Filters:
        data = {}
        if self.is_bound:
            self.is_valid()
            data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return Filters(
            user=self.fixed_user if self.fixed_user is not None else data.get("user"),
            case=self.fixed_case if self.fixed_case is not None else data.get("case"),
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def query_string(self) -> str:
        if not self.is_bound:
            return ""
        keys = ("user", "case", "kind", "date_from", "date_to")
        return urlencode({k: self.data.get(k) for k in keys if self.data.get(k)})

    def describe(self) -> str:
        """The filters in words, for the export's audit event."""
        f = self.filters()
        parts = []
        if f.user is not None:
            parts.append(f"人員 {f.user.get_username()}")
        if f.case is not None:
            parts.append(f"案號 {f.case.number}")
        if f.kind:
            parts.append(f"動作 {dict(kind_choices()).get(f.kind, f.kind)}")
        if f.date_from or f.date_to:
            parts.append(f"日期 {f.date_from or '…'}～{f.date_to or '…'}")
        return "、".join(parts) or "全部"


class AuditExportForm(AuditFilterForm):
    reason = forms.CharField(
        label="匯出理由",
        min_length=6,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={
            "required": "請寫下匯出理由（例如：市府稽核調閱 115 年第 3 季紀錄）。",
            "min_length": "匯出理由請至少寫 6 個字，說明為何需要這份紀錄。",
            "max_length": "匯出理由請在 500 字以內。",
        },
        help_text="匯出本身也會記入稽核軌跡。匯出檔不含被害人個資。",
    )

    def clean_reason(self):
        reason = " ".join((self.cleaned_data.get("reason") or "").split())
        if len(reason) < 6:
            raise forms.ValidationError("匯出理由請至少寫 6 個字，說明為何需要這份紀錄。")
        return reason
