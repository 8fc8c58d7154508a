"""SMS pages: templates (supervisors), settling a failed or uncertain message, delivery reports."""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms_fields import add_service_errors
from cases.models import SmsMessage, SmsTemplate
from cases.sms import defaults, outbox
from cases.sms.forms import SmsResolveForm, SmsTemplateForm
from cases.sms.text import names_number
from cases.sms.text import render as render_text

logger = logging.getLogger("cases.sms")


def _length_or_errors(template: SmsTemplate, body: str):
    """(sample text, length, errors) of a body, for the list and the preview."""
    try:
        length = outbox.sms_template_check(template=template, body=body)
    except ValidationError as exc:
        return "", None, exc.messages
    return render_text(body, outbox.sample_values()), length, []


def callback_number_warning(templates) -> str:
    """Reminders' callback number (SMS_REMINDER_CALLBACK_NUMBER) missing, or the same as a number the
    generic resource text names: then a reminder tells whoever reads the phone where it is from."""
    number = settings.SMS_REMINDER_CALLBACK_NUMBER
    if not number.strip():
        return (
            "尚未設定預約與重要日期提醒的回電號碼（SMS_REMINDER_CALLBACK_NUMBER），"
            "提醒簡訊會沒有回電號碼。請洽系統管理員設定。"
        )
    generic = next((t for t in templates if t.key == defaults.GENERIC_RESOURCE), None)
    named = render_text(generic.body, outbox.sample_values()) if generic else ""
    if names_number(named, number) or names_number(settings.SMS_HOTLINE_NUMBER, number):
        return (
            f"提醒簡訊的回電號碼 {number} 與服務資源簡訊列出的專線相同："
            "看到被害人手機的人會知道簡訊來自家防中心。"
            "請系統管理員改設一支不公開、不對外標示的回電號碼（SMS_REMINDER_CALLBACK_NUMBER）。"
        )
    return ""


@login_required
@permission_required("cases.view_smstemplate", raise_exception=True)
@require_GET
def sms_template_list(request):
    templates = list(SmsTemplate.objects.select_related("updated_by"))
    rows = [(template, *_length_or_errors(template, template.body)) for template in templates]
    return render(
        request,
        "cases/sms_template_list.html",
        {
            "rows": rows,
            "can_change": request.user.has_perm("cases.change_smstemplate"),
            "callback_warning": callback_number_warning(templates),
        },
    )


@login_required
@permission_required("cases.change_smstemplate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sms_template_edit(request, pk):
    try:
        template = SmsTemplate.objects.get(pk=pk)
    except SmsTemplate.DoesNotExist:
        raise Http404 from None
    form = SmsTemplateForm(request.POST or None, initial={"body": template.body})
    body = template.body
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        try:
            if "save" in request.POST:
                outbox.sms_template_update(actor=request.user, template=template, body=body)
                messages.success(request, f"簡訊範本「{template.name}」已儲存。")
                return redirect("cases:sms_templates")
            outbox.sms_template_check(template=template, body=body)
        except ValidationError as exc:
            add_service_errors(form, exc)
    sample, length, _errors = _length_or_errors(template, body)
    history = template.history.select_related("history_user").order_by("-history_date")[:10]
    return render(
        request,
        "cases/sms_template_form.html",
        {"template": template, "form": form, "sample": sample, "length": length, "history": history},
    )


@login_required
@permission_required("cases.change_smsmessage", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sms_message_resolve(request, pk):
    """A person decides about a failed or uncertain message (docs/sms.md, "never twice")."""
    message, case = outbox.sms_message_for_user(request.user, pk)
    open_states = (SmsMessage.State.FAILED, SmsMessage.State.UNCERTAIN)
    form = SmsResolveForm(request.POST or None) if message.state in open_states else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            outbox.sms_resolve(actor=request.user, message=message, action=form.cleaned_data["action"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "簡訊處理方式已記錄。")
            return redirect(case or message.intake)
    return render(request, "cases/sms_resolve.html", {"message": message, "case": case, "form": form})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_delivery_report(request):
    """The gateway's delivery report. Shared secret in the X-Sms-Callback-Secret header or the POST
    body's `secret`, compared in constant time; 403 without it or when none is configured.

    Never from the query string: a URL lands in web-server and proxy access logs (issue 21). A gateway
    that can only call a URL goes through the reverse proxy, which adds the header (docs/sms.md).
    """
    expected = settings.SMS_CALLBACK_SECRET
    given = request.headers.get("X-Sms-Callback-Secret", "")
    if not given and request.method == "POST":
        given = request.POST.get("secret", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        logger.warning("sms delivery report refused: bad or missing secret")
        return HttpResponseForbidden("forbidden", content_type="text/plain")
    data = request.POST if request.method == "POST" else request.GET
    msgid = data.get("msgid", "").strip()
    message = outbox.sms_record_delivery_report(
        msgid=msgid, clientid=data.get("clientid", "").strip(), statuscode=data.get("statuscode", "").strip()
    )
    logger.info(
        "sms delivery report: msgid=%s code=%s matched=%s",
        msgid or "-",
        data.get("statuscode", "-"),
        message.pk if message else "no",
    )
    # Mitake expects this acknowledgement, or it reports again.
    return HttpResponse(
        f"magicid=sms_gateway_rpack\nmsgid={msgid}\n", content_type="text/plain; charset=utf-8"
    )
