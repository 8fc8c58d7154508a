"""Days left as staff say them: {{ 12|days_left }} -> 剩 12 天; {{ -3|days_left }} -> 已逾期 3 天."""

from django import template

register = template.Library()


@register.filter
def days_left(days):
    if days is None or days == "":
        return ""
    days = int(days)
    if days < 0:
        return f"已逾期 {-days} 天"
    if days == 0:
        return "今天到期"
    if days >= 365:
        return f"剩 {days:,} 天（約 {days // 365} 年）"
    return f"剩 {days} 天"


@register.filter
def days_class(days):
    """Bootstrap text class matching the tracker's colours: overdue, this week, this month."""
    if days is None or days == "":
        return ""
    days = int(days)
    if days < 0:
        return "text-danger fw-bold"
    if days <= 7:
        return "text-danger"
    if days <= 30:
        return "text-warning-emphasis"
    return ""
