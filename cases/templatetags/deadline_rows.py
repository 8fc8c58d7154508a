"""{% deadline_table_rows rows show_case can_close %}: the <tr>s of a deadline table (cases/page_rows.py).

Joined in Python, every value escaped (cases.page_rows.esc): a page of 50 deadlines through the template
language's loop, ifs and lookups cost more than the rest of the dashboard, and one format_html() per
cell (600 a page, each escaping through Django's lazy-string wrappers) still cost 2 ms of the page's
time at a million cases (docs/benchmarks.md).
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cases.page_rows import esc

register = template.Library()

_WARNING = ' <span class="badge text-bg-warning">提醒</span>'


def _row(d, show_case: bool, can_close: bool) -> str:
    case = (
        f'<td data-label="案號"><a href="{esc(d.case_url)}">{esc(d.case_number)}</a></td>'
        if show_case
        else ""
    )
    note = f'<div class="small text-muted">{esc(d.note)}</div>' if d.note else ""
    badge = f'<span class="badge {esc(d.badge_class)}">{esc(d.badge_text)}</span>' if d.is_open else "—"
    closed = ""
    if d.closed_by_name:
        reason = f"：{esc(d.close_reason)}" if d.close_reason else ""
        closed = f'<div class="small text-muted">{esc(d.closed_by_name)} {esc(d.closed_on)}{reason}</div>'
    close = (
        f'<a class="btn btn-sm btn-outline-secondary" href="{esc(d.close_url)}">結束'
        f'<span class="visually-hidden">{esc(d.title)}</span></a>'
        if d.close_url and can_close
        else ""
    )
    warning = _WARNING if d.is_warning else ""
    return (
        f'<tr class="deadline-{esc(d.urgency)}">{case}<td data-label="期限">{esc(d.title)}{warning}'
        f'<div class="small text-muted">{esc(d.kind_label)}</div>{note}</td>'
        f'<td data-label="到期日">{esc(d.due_label)}</td><td data-label="剩餘">{badge}</td>'
        f'<td data-label="負責人">{esc(d.owner_name)}</td>'
        f'<td data-label="狀態">{esc(d.state_label)}{closed}</td><td>{close}</td></tr>'
    )


@register.simple_tag
def deadline_table_rows(rows, show_case=False, can_close=False):
    if not rows:
        return mark_safe('<tr><td colspan="7" class="text-muted">沒有期限。</td></tr>')
    return mark_safe("\n".join(_row(d, show_case, can_close) for d in rows))


@register.simple_tag
def select_field(bound):
    """A filter's <select> (a ChoiceField) joined in Python: Django's widget renders each <option> through a
    template, which cost half the dashboard's rendering for the owner and kind filters (50-odd options)."""
    value = bound.value()
    chosen = "" if value is None else str(value)
    field = bound.field
    options = "".join(
        f'<option value="{esc(key)}"{" selected" if str(key) == chosen else ""}>{esc(label)}</option>'
        for key, label in field.choices
    )
    return format_html(
        '<select name="{}" class="{}" id="{}"{}>{}</select>',
        bound.html_name,
        field.widget.attrs.get("class", ""),
        bound.auto_id,
        mark_safe(' aria-invalid="true"') if bound.errors else "",
        mark_safe(options),
    )
