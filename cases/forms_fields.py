"""Form fields shared by every app's forms."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.rocdate import ImpossibleDate, format_roc, parse_date, parse_time
from cases.validators import validate_national_id, validate_tw_mobile


class ROCDateInput(forms.TextInput):
    """Shows the ROC form (112.10.18); typed ISO dates are accepted too."""

    def __init__(self, attrs=None):
        base = {"placeholder": "例：115.11.30 或 1151130", "inputmode": "numeric", "autocomplete": "off"}
        base.update(attrs or {})
        super().__init__(base)

    def format_value(self, value):
        if isinstance(value, dt.date):
            return format_roc(value)
        return value


class ROCDateField(forms.DateField):
    widget = ROCDateInput
    default_error_messages = {
        "invalid": _(
            "日期格式不正確，請輸入民國日期（例：112.10.18、112/10/18、1121018）或西元日期（例：2023-10-18）。"
        ),
        "impossible": _("%(date)s 不存在，請再核對一次。"),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ImpossibleDate as exc:
            raise forms.ValidationError(
                self.error_messages["impossible"], code="impossible", params={"date": exc.text}
            ) from None
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def strptime(self, value, format):  # pragma: no cover - to_python handles all parsing
        return parse_date(value)


class LenientTimeField(forms.TimeField):
    """09:30, 9:30, 0930, 930, 9點30分, full-width digits."""

    default_error_messages = {"invalid": _("時間格式不正確，請輸入 24 小時制，例如 21:35 或 2135。")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.time):
            return value
        try:
            return parse_time(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class ROCDateTimeField(forms.SplitDateTimeField):
    """Date (ROC or ISO) plus time (HH:MM) in Asia/Taipei."""

    widget = forms.SplitDateTimeWidget

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid_time": _("時間格式不正確，請輸入 24 小時制，例如 21:35 或 2135。")},
        )
        super().__init__(**kwargs)
        self.fields = (ROCDateField(), LenientTimeField())
        # Side by side, each with its own accessible name (the field label covers the pair).
        inline = "d-inline-block w-auto me-2"
        self.widget = forms.MultiWidget(
            widgets=[
                ROCDateInput(attrs={"aria-label": "日期", "class": inline}),
                forms.TextInput(
                    attrs={
                        "placeholder": "HH:MM",
                        "inputmode": "numeric",
                        "aria-label": "時間（時:分）",
                        "class": inline,
                    }
                ),
            ]
        )
        self.widget.decompress = self._decompress

    @staticmethod
    def _decompress(value):
        if value:
            local = timezone.localtime(value)
            return [local.date(), local.strftime("%H:%M")]
        return [None, None]

    def compress(self, data_list):
        if data_list and all(data_list):
            return timezone.make_aware(dt.datetime.combine(*data_list))
        if data_list and any(data_list):
            raise forms.ValidationError(_("請同時填寫日期與時間。"), code="incomplete")
        return None


class TaiwanMobileField(forms.CharField):
    """A Taiwan mobile number (09xx or +886 9xx); the form keeps it as typed, matching normalises."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("validators", [validate_tw_mobile])
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
        super().__init__(**kwargs)


class NationalIdField(forms.CharField):
    """National ID or resident certificate number, checksum-validated, stored upper case without spaces."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("validators", [validate_national_id])
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return "".join(super().to_python(value).split()).upper()


# Limits of free text (issue 18), shown by a live counter (static/js/forms.js) and enforced here.
# What the victim told us needs room; a worker's record of a meeting less; a note or a reason less still.
NARRATIVE_MAX_CHARS = 10_000
RECORD_MAX_CHARS = 5_000
NOTE_MAX_CHARS = 2_000


class LongTextField(forms.CharField):
    """Free text in a textarea with a clear limit: the browser's maxlength, the counter and this agree.

    A browser counts a line break as one character but posts it as CRLF; the text is kept with LF, so a
    text the counter accepted is never refused here.
    """

    widget = forms.Textarea
    default_error_messages = {
        "max_length": _("最多 %(limit_value)d 字，目前 %(show_value)d 字，請精簡後再送出。"),
    }

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class BirthDateField(ROCDateField):
    """A birth date: ROC or ISO, not after today."""

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("出生日期不能晚於今天。"), code="future")


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form so the page re-displays with everything typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
