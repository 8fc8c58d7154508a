"""Catalogues only: the reminder sheet's text and the city's shelter schemes. Case records stay out."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from safety.models import SafetySheet, ShelterScheme


@admin.register(SafetySheet)
class SafetySheetAdmin(SimpleHistoryAdmin):
    list_display = ("version", "title", "is_current")
    list_filter = ("is_current",)
    fields = ("version", "title", "is_current", "intro", "body", "hotlines")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deliveries record the version given; an old version stays.
        return False


@admin.register(ShelterScheme)
class ShelterSchemeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "roc_year", "max_nights", "nightly_cap", "is_active")
    list_filter = ("is_active", "roc_year")
    search_fields = ("name",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
