"""Printed forms as PDF (WeasyPrint), laid out like the centre's official forms.

Every app renders its forms through `render_pdf(request, template, context, title=...)`: an HTML
template extending `pdf/base.html` (the centre's name, the form title, ROC dates, page numbers
「第 n 頁／共 m 頁」, Noto Sans CJK TC embedded so no glyph is missing). The caller decides what the
downloading role may see and logs the download as a read (cases.readlog.log_case_read); this module only
draws.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

CENTRE_NAME = "臺北市家庭暴力暨性侵害防治中心"


def pdf_bytes(template: str, context: dict, *, request=None) -> bytes:
    """The PDF of a template as bytes (tests read it back with pypdf)."""
    from weasyprint import HTML  # imported here: the app runs without drawing a PDF on most pages

    html = render_to_string(
        template,
        {
            "centre_name": getattr(settings, "CENTRE_NAME", CENTRE_NAME),
            "printed_at": timezone.localtime(),
            **context,
        },
        request=request,
    )
    # No base_url: the templates embed nothing remote; fonts come from the system (fonts-noto-cjk).
    return HTML(string=html).write_pdf()


def render_pdf(request, template: str, context: dict, *, filename: str) -> HttpResponse:
    """A PDF download. The filename holds no personal data (a form name and a case number at most)."""
    response = HttpResponse(pdf_bytes(template, context, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
