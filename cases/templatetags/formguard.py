"""Forms never lose work (issue 18).

{% form_guard %}        the one-time token of a POST form, next to {% csrf_token %} in every form
{% idle_warning %}      the idle warning dialog (base.html, signed-in pages)
{% form_draft %}        the draft restored after signing in again, as JSON for static/js/forms.js
"""

import math

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, json_script

from cases import formguard, idle

register = template.Library()


@register.simple_tag
def form_guard():
    token = formguard.new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', formguard.TOKEN_FIELD, token)


@register.inclusion_tag("cases/_idle_warning.html", takes_context=True)
def idle_warning(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"show": False}
    return {
        "show": True,
        "timeout": round(idle.timeout_seconds()),
        "remaining": round(idle.remaining_seconds(request)),
        "warning": round(idle.warning_seconds()),
        "warning_minutes": math.ceil(idle.warning_seconds() / 60),
        "status_url": reverse("cases:session_status"),
        "keepalive_url": reverse("cases:session_keepalive"),
        "csrf": get_token(request),
    }


@register.simple_tag(takes_context=True)
def form_draft(context):
    draft = getattr(context.get("request"), "form_draft", None)
    return json_script(draft, "form-draft") if draft else ""
