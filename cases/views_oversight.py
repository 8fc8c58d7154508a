"""Pages of oversight: 緊急調閱 (break-glass) and the supervisors' review of it. docs/oversight.md."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import selectors, services
from cases.forms import BreakGlassForm, BreakGlassReviewForm
from cases.forms_fields import add_service_errors
from cases.models import Case


def break_glass_refusal(request, pk):
    """The case page's 404 for a worker who may break the glass: the same words whether or not the
    case exists, with the form to ask (answered by cases:break_glass_case)."""
    return render(
        request,
        "cases/break_glass_form.html",
        {
            "form": BreakGlassForm(with_number=False),
            "pk": pk,
            "refusal": True,
            "hours": settings.BREAK_GLASS_HOURS,
        },
        status=404,
    )


def _grant_and_go(request, form, *, case: Case | None = None, number: str = ""):
    try:
        grant = services.break_glass_open(
            actor=request.user, reason=form.cleaned_data["reason"], case=case, number=number
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    if grant.case is None:
        form.add_error(None, "找不到可調閱的案件。這次申請已記錄，督導會確認。")
        return None
    messages.warning(
        request,
        f"已開放緊急調閱案件 {grant.case.number}（僅供查閱，{settings.BREAK_GLASS_HOURS} 小時內有效）；"
        "督導已收到通知。",
    )
    return redirect(grant.case)


@login_required
@permission_required("cases.break_glass", raise_exception=True)
@require_http_methods(["GET", "POST"])
def break_glass(request):
    """From the search page: the worker types the case number and the reason."""
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        own = selectors.cases_for_user(request.user).filter(number=number).first()
        if own is not None:
            return redirect(own)
        response = _grant_and_go(request, form, number=number)
        if response is not None:
            return response
    context = {"form": form, "hours": settings.BREAK_GLASS_HOURS}
    return render(
        request, "cases/break_glass_form.html", context, status=404 if form.non_field_errors() else 200
    )


@login_required
@permission_required("cases.break_glass", raise_exception=True)
@require_http_methods(["GET", "POST"])
def break_glass_case(request, pk):
    """From a link to a case the worker cannot open (the case page's 404): only the reason is asked."""
    form = BreakGlassForm(request.POST or None, with_number=False)
    if request.method == "POST" and form.is_valid():
        try:
            case = selectors.case_for_user(request.user, pk)  # already theirs, or granted
        except Http404:
            pass
        else:  # said, so nobody wonders whether the reason was recorded (issue 21: no silent redirect)
            messages.info(request, "您已可檢視此案件，不需緊急調閱，未留下調閱紀錄。")
            return redirect(case)
        response = _grant_and_go(request, form, case=Case.objects.filter(pk=pk).first())
        if response is not None:
            return response
    context = {"form": form, "pk": pk, "hours": settings.BREAK_GLASS_HOURS}
    return render(
        request, "cases/break_glass_form.html", context, status=404 if form.non_field_errors() else 200
    )


@login_required
@permission_required("cases.review_break_glass", raise_exception=True)
@require_GET
def break_glass_reviews(request):
    pending, done = selectors.break_glass_reviews()
    return render(
        request,
        "cases/break_glass_reviews.html",
        {"pending": [(g, BreakGlassReviewForm(prefix=str(g.pk))) for g in pending], "done": done},
    )


@login_required
@permission_required("cases.review_break_glass", raise_exception=True)
@require_POST
def break_glass_review(request, pk):
    grant = selectors.break_glass_grant_for_review(request.user, pk)
    form = BreakGlassReviewForm(request.POST, prefix=str(grant.pk))
    if not form.is_valid():
        messages.error(request, "請選擇「確認理由適當」或「提出疑問」。")
        return redirect("cases:break_glass_reviews")
    try:
        services.break_glass_review(actor=request.user, grant=grant, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "已記錄督導確認。")
    return redirect("cases:break_glass_reviews")
