"""{% notification_items rows read_url %}: the inbox's list items (cases.page_rows.notification_rows).

Joined in Python, every value escaped: an unread row carries its own 已讀 form (CSRF token and one-time
form_guard token), and fifty of them through the template language's loop, ifs and tags cost more than
the page's queries (docs/benchmarks.md).
"""

from django import template
from django.utils.safestring import mark_safe

from cases import formguard
from cases.page_rows import esc

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_items(context, rows, read_url):
    if not rows:
        return mark_safe('<li class="list-group-item text-muted">沒有通知。</li>')
    token = context.get("csrf_token")
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'
        if token and token != "NOTPROVIDED"
        else ""
    )
    action = esc(read_url)
    items = []
    for n in rows:
        text = f'<a href="{esc(n.url)}">{esc(n.text)}</a>' if n.url else esc(n.text)
        form = (
            f'<form method="post" action="{action}">{csrf}'
            f'<input type="hidden" name="{formguard.TOKEN_FIELD}" value="{formguard.new_token()}">'
            f'<input type="hidden" name="id" value="{n.pk}">'
            '<button class="btn btn-link btn-sm" type="submit">'
            f'已讀<span class="visually-hidden">：{esc(n.short_text)}</span></button></form>'
            if n.unread
            else ""
        )
        items.append(
            '<li class="list-group-item d-flex justify-content-between align-items-center'
            f'{" fw-semibold" if n.unread else ""}">\n'
            f'    <span><span class="badge text-bg-secondary me-2">{esc(n.kind_label)}</span>{text}\n'
            f'      <span class="small text-muted ms-2">{esc(n.created)}</span></span>\n'
            f"    {form}\n  </li>"
        )
    return mark_safe("\n".join(items))
