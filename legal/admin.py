"""Catalogues only: the offence types and the rest-day calendar. Case records stay out of the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from legal.models import Offence, RestDay


@admin.register(Offence)
class OffenceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "prosecution", "article", "limitation_years", "is_active")
    list_filter = ("prosecution", "is_active")
    search_fields = ("code", "name", "article")
    ordering = ("sort_order", "code")
    fieldsets = (
        (None, {"fields": ("code", "name", "guideline_ref", "sort_order", "is_active")}),
        ("法律依據", {"fields": ("prosecution", "article", "max_penalty", "limitation_years", "legal_note")}),
    )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Cases point at these rows; an outdated type is deactivated, never deleted.
        return False


@admin.register(RestDay)
class RestDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"
