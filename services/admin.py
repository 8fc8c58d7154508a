"""Catalogues only: escort checklists (versioned), counselling programmes, the PTSD instrument.

Case records stay out of the admin.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from services.models import CounsellingProgramme, EscortChecklist, PtsdInstrument


@admin.register(EscortChecklist)
class EscortChecklistAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "version", "is_active", "record_due_days", "note", "created_at")
    list_filter = ("kind", "is_active")
    ordering = ("kind", "-version")

    def get_readonly_fields(self, request, obj=None):
        # A version escorts were recorded with is frozen: a change is a new version.
        if obj is not None and obj.escorts.exists():
            return ("kind", "version", "items", "record_due_days")
        return ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CounsellingProgramme)
class CounsellingProgrammeAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "min_age",
        "max_age",
        "free_sessions_per_year",
        "valid_from",
        "valid_to",
        "is_active",
    )
    list_filter = ("is_active",)
    ordering = ("sort_order", "code")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PtsdInstrument)
class PtsdInstrumentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "cutoff", "is_active")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
