"""ROC date filters: {{ value|roc_date }} -> 112.10.18, {{ value|roc_datetime }} -> 112.10.18 14:05."""

import datetime as dt

from django import template
from django.utils import timezone

from cases.choices import CallerRequest, ServiceOffered, choice_labels
from cases.people import staff_name
from cases.rocdate import format_roc

register = template.Library()


@register.filter
def roc_date(value):
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_roc(value)


@register.filter
def roc_datetime(value):
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_roc(local.date())} {local:%H:%M}"


def _labels(values, choices) -> str:
    return choice_labels(values, choices.choices)


@register.filter
def request_labels(values):
    """['legal', 'takedown'] -> '法律權益說明、影像下架'."""
    return _labels(values, CallerRequest)


@register.filter
def service_labels(values):
    return _labels(values, ServiceOffered)


@register.filter
def person(user, empty="—"):
    """A staff member as colleagues know them: full name, else the username."""
    if user is None:
        return empty
    return staff_name(user)


@register.filter
def days_ago(value) -> int:
    """Whole days from a moment (or a date) to today, Asia/Taipei."""
    if not value:
        return 0
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
    return (timezone.localdate() - day).days


@register.filter
def days_from_today(value) -> int:
    """Whole days from today to a moment or date; negative when it has passed."""
    return -days_ago(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key) if mapping else key
