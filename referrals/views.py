from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from cases.page_rows import esc, roc_datetime, url_maker
from cases.paging import capped_page
from cases.readlog import log_case_read
from referrals.forms import ReferralForm
from referrals.selectors import referral_for_user, referral_list_rows
from referrals.services import referral_submit


@login_required
@permission_required("referrals.add_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_new(request):
    police = request.user.has_perm("referrals.submit_as_referrer")
    form = ReferralForm(request.POST or None, police=police)
    if request.method == "POST" and form.is_valid():
        referral = referral_submit(actor=request.user, submitted_by_referrer=police, **form.cleaned_data)
        messages.success(request, "轉介表已送出，家防中心專線組會盡快處理。")
        return redirect(referral if police else referral.intake)
    return render(request, "referrals/referral_form.html", {"form": form})


@login_required
@permission_required("referrals.view_referral", raise_exception=True)
@require_GET
def referral_list(request):
    page = capped_page(referral_list_rows(request.user), 50, request.GET.get("page"))
    return render(
        request, "referrals/referral_list.html", {"page": page, "rows_html": _rows_html(page.object_list)}
    )


def _rows_html(referrals) -> str:
    """The table's rows joined in Python (every value escaped): a template loop with two date filters and
    a reverse() per row cost more than the page's queries (docs/benchmarks.md)."""
    url = url_maker("referrals:detail")
    rows = []
    for r in referrals:
        submitted = esc(roc_datetime(r.submitted_at))
        rows.append(
            f"<tr><td>{submitted}</td><td>{esc(r.referring_agency)}</td><td>{esc(r.contact_person)}</td>"
            f"<td>{esc(r.shared_status)}</td>\n"
            f'    <td><a class="btn btn-sm btn-outline-secondary" href="{esc(url(r.pk))}">檢視'
            f'<span class="visually-hidden">{submitted} 的轉介</span></a></td></tr>'
        )
    return mark_safe("\n".join(rows))


@login_required
@require_GET
def referral_detail(request, pk):
    referral = referral_for_user(request.user, pk)
    if referral.intake.case_id and request.user.has_perm("cases.view_case"):
        # The center's staff reading the referral of a case read that case; the referring officer
        # reads back their own form and the status, not the case.
        log_case_read(user=request.user, case=referral.intake.case, view="轉介表頁")
    return render(request, "referrals/referral_detail.html", {"referral": referral})
