"""The images never enter the system (指引 4-3-2E: 本中心不協助另存證據): no page takes a file upload.

A multipart request is refused before any view or form parser reads its body, so no uploaded byte is
parsed, held in memory or written to a temporary file. The app's forms are never multipart; a
fingerprint of a file is computed in the browser and sent as text (the evidence app).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string


class RefuseUploadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "").lower()
        if content_type.startswith("multipart/"):
            body = render_to_string("upload_refused.html", request=request)
            return HttpResponse(body, status=415)
        return self.get_response(request)
