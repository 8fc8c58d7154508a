"""Requests carrying a NUL character are refused before any view, with a zh-Hant 400 page (issue 21).

Nobody types U+0000 and no browser sends it in a form, but anybody can post it; PostgreSQL cannot store
or even compare it in text ("A string literal cannot contain NUL"), so it reached the database as a 500
wherever a value skipped a form's CharField: a search term, a choice, a date, the SMS gateway's msgid.
Refusing it once here, for every field, query parameter and cookie, is simpler than one check per field
and behaves the same on SQLite. (Lone surrogates never arrive: Django decodes invalid UTF-8 as U+FFFD.)
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

NUL = "\x00"


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookies = any(NUL in key or NUL in value for key, value in request.COOKIES.items())
        if cookies or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)
