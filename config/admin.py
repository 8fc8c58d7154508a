"""The project's admin site: Django's, refusing malformed addresses with a message instead of a 500.

Every view of every registered model goes through `admin_view`, so the checks below cover the models
registered today and any registered later (simple-history's history pages included), which is where
hostile input answered 500 (issue 21): an empty `?_to_field=`; a key that is not a key of the model
(a word for an integer key, a 26-digit number, a malformed UUID) on simple-history's pages, which look
the record up without catching the error; a 100,000-character search, past SQLite's LIKE pattern limit.
"""

from __future__ import annotations

import inspect
from functools import wraps

from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404, HttpResponseRedirect

# A changelist search longer than this is refused: no name, number or code in the admin is near it, and
# each word becomes a clause over every search field.
SEARCH_MAX_CHARS = 100
SEARCH_MAX_WORDS = 10


def _is_key(field, raw: str) -> bool:
    """Whether raw could be a value of this field (its type and, for integers, the column's range)."""
    try:
        field.run_validators(field.to_python(unquote(raw)))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


def _without_search(request) -> HttpResponseRedirect:
    params = request.GET.copy()
    params.pop("q", None)
    return HttpResponseRedirect(request.path + (f"?{params.urlencode()}" if params else ""))


def _refusing_malformed_input(view, model_admin: admin.ModelAdmin):
    model = model_admin.model

    signature = inspect.signature(view)

    @wraps(view)
    def guarded(request, *args, **kwargs):
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field == "":
            raise DisallowedModelAdminToField("An empty _to_field names no field.")  # 400, as for a bad name
        # By name: simple-history's URLs pass object_id and version_id positionally (re_path groups).
        named = signature.bind_partial(request, *args, **kwargs).arguments
        if "object_id" in named:
            try:
                field = model._meta.get_field(to_field) if to_field else model._meta.pk
            except FieldDoesNotExist:
                # Not a field ("pk", a typo): the change and delete views refuse it (400), but the
                # history views ignore _to_field and look the key up as the primary key.
                field = model._meta.pk
            if not _is_key(field, named["object_id"]):
                raise Http404("No such record.")
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        if "version_id" in named and history:
            if not _is_key(getattr(model, history).model._meta.pk, named["version_id"]):
                raise Http404("No such version.")
        term = request.GET.get("q", "")
        if view.__name__ == "changelist_view" and (
            len(term) > SEARCH_MAX_CHARS or len(term.split()) > SEARCH_MAX_WORDS
        ):
            messages.error(
                request, f"搜尋字詞最多 {SEARCH_MAX_CHARS} 字、{SEARCH_MAX_WORDS} 個詞，請縮短後再搜尋。"
            )
            return _without_search(request)
        return view(request, *args, **kwargs)

    return guarded


class ProjectAdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin):
            view = _refusing_malformed_input(view, model_admin)
        return super().admin_view(view, cacheable)
