"""The supervisors' audit review pages (issue 21, point 1): the unit's trail, a case's, a user's, and the
CSV export with a stated reason. Gated by `cases.review_audit`; reads only, except the export's own
audit event."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases import selectors
from cases.audit import record_event
from cases.audit_trail import attach_changes, audit_entries
from cases.forms_audit import AuditExportForm, AuditFilterForm

EXPORT_LIMIT = 5000
REVIEW = "cases.review_audit"


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1


def _trail(request, *, title: str, case=None, user=None):
    form = AuditFilterForm(request.GET or None, fixed_user=user, fixed_case=case)
    page = _page_number(request)
    entries, has_next = audit_entries(form.filters(), page=page)
    attach_changes(entries, request.user)
    context = {
        "title": title,
        "form": form,
        "entries": entries,
        "page": page,
        "has_next": has_next,
        "query": form.query_string(),
        "case": case,
        "subject_user": user,
    }
    return render(request, "cases/audit_trail.html", context)


@login_required
@permission_required(REVIEW, raise_exception=True)
@require_GET
def audit_trail(request):
    return _trail(request, title="稽核軌跡")


@login_required
@permission_required(REVIEW, raise_exception=True)
@require_GET
def audit_case(request, pk):
    case = selectors.case_for_user(request.user, pk)
    return _trail(request, title=f"稽核軌跡：案件 {case.number}", case=case)


@login_required
@permission_required(REVIEW, raise_exception=True)
@require_GET
def audit_user(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk)
    return _trail(request, title=f"稽核軌跡：{user.get_username()}", user=user)


def _cell(value) -> str:
    """A spreadsheet must not run what it opens (CSV formula injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@permission_required(REVIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def audit_export(request):
    """The trail as CSV, for the filters given, after a stated reason; the export is an audit event. The
    file holds no victim PII (PII changes are named, their values masked), whoever exports it."""
    if request.method == "GET":
        form = AuditExportForm(initial=request.GET.dict())
        return render(request, "cases/audit_export.html", {"form": form})
    form = AuditExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "請修正下列欄位後再匯出。")
        return render(request, "cases/audit_export.html", {"form": form}, status=200)
    filters = form.filters()
    entries, _ = audit_entries(filters, page=1, page_size=EXPORT_LIMIT)
    attach_changes(entries, request.user, clear_pii=False)
    record_event(
        actor=request.user,
        action="audit_export",
        case=filters.case,
        target_user=filters.user,
        detail=f"理由：{form.cleaned_data['reason']}；條件：{form.describe()}；{len(entries)} 筆",
        request=request,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Chinese correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(["時間", "動作", "人員", "輸入的帳號", "案號", "項目", "異動", "說明", "來源位址"])
    for e in entries:
        changes = "；".join(f"{c.label}：{c.before or '—'} → {c.after}" for c in e.changes)
        row = [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.kind_label,
            e.who,
            e.username,
            e.case_number,
            e.subject,
            changes,
            e.detail,
            e.ip_address,
        ]
        writer.writerow([_cell(v) for v in row])
    return response
