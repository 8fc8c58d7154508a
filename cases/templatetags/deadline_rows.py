"""{% deadline_table_rows rows show_case can_close %}: the <tr>s of a deadline table (cases/page_rows.py).

Joined in Python with format_html (every value escaped): a page of 50 deadlines through the template
language's loop, ifs and lookups cost more than the rest of the dashboard (docs/benchmarks.md).
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_ROW = (
    '<tr class="deadline-{}">{}<td data-label="期限">{}{}<div class="small text-muted">{}</div>{}</td>'
    '<td data-label="到期日">{}</td><td data-label="剩餘">{}</td><td data-label="負責人">{}</td>'
    '<td data-label="狀態">{}{}</td><td>{}</td></tr>'
)


def _cells(d, show_case: bool, can_close: bool) -> tuple:
    return (
        d.urgency,
        format_html('<td data-label="案號"><a href="{}">{}</a></td>', d.case_url, d.case_number)
        if show_case
        else "",
        d.title,
        mark_safe(' <span class="badge text-bg-warning">提醒</span>') if d.is_warning else "",
        d.kind_label,
        format_html('<div class="small text-muted">{}</div>', d.note) if d.note else "",
        d.due_label,
        format_html('<span class="badge {}">{}</span>', d.badge_class, d.badge_text) if d.is_open else "—",
        d.owner_name,
        d.state_label,
        format_html(
            '<div class="small text-muted">{} {}{}</div>',
            d.closed_by_name,
            d.closed_on,
            format_html("：{}", d.close_reason) if d.close_reason else "",
        )
        if d.closed_by_name
        else "",
        format_html(
            '<a class="btn btn-sm btn-outline-secondary" href="{}">結束'
            '<span class="visually-hidden">{}</span></a>',
            d.close_url,
            d.title,
        )
        if d.close_url and can_close
        else "",
    )


@register.simple_tag
def deadline_table_rows(rows, show_case=False, can_close=False):
    if not rows:
        return mark_safe('<tr><td colspan="7" class="text-muted">沒有期限。</td></tr>')
    return format_html_join("\n", _ROW, (_cells(d, show_case, can_close) for d in rows))


@register.simple_tag
def select_field(bound):
    """A filter's <select> (a ChoiceField or ModelChoiceField) joined in Python: Django's widget renders
    each <option> through a template, which cost half the dashboard's rendering for the owner and kind
    filters (50-odd options)."""
    value = bound.value()
    chosen = "" if value is None else str(value)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (str(key), mark_safe(" selected") if str(key) == chosen else "", label)
            for key, label in bound.field.choices
        ),
    )
    return format_html(
        '<select name="{}" class="{}" id="{}"{}>{}</select>',
        bound.html_name,
        bound.field.widget.attrs.get("class", ""),
        bound.auto_id,
        mark_safe(' aria-invalid="true"') if bound.errors else "",
        options,
    )
