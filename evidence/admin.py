"""Catalogues only: the platform table and the teaching checklists. Case records stay out of the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evidence.models import ChecklistItem, Platform


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        # Records point at these rows; an outdated one is deactivated, never deleted.
        return False


@admin.register(Platform)
class PlatformAdmin(NoDeleteAdmin):
    list_display = ("name", "kind", "needs", "requires_recording", "shows_ip", "sort_order", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(NoDeleteAdmin):
    list_display = ("version", "group", "text", "guideline_ref", "sort_order", "is_active")
    list_filter = ("version", "group", "is_active")
    search_fields = ("text", "code")
