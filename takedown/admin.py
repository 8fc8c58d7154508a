"""Catalogues only: resources, StopNCII partners, privacy settings. Case records stay out of the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from takedown.models import PrivacySettingItem, ResourceLink, StopNCIIPartner


class NoDeleteAdmin(SimpleHistoryAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        # Deactivate an outdated row instead: its history stays.
        return False


@admin.register(ResourceLink)
class ResourceLinkAdmin(NoDeleteAdmin):
    list_display = ("title", "category", "url", "phone", "hours", "sort_order", "is_active")
    list_filter = ("category", "is_active")
    search_fields = ("title", "code")


@admin.register(StopNCIIPartner)
class StopNCIIPartnerAdmin(NoDeleteAdmin):
    list_display = ("name", "sort_order", "is_active")


@admin.register(PrivacySettingItem)
class PrivacySettingItemAdmin(NoDeleteAdmin):
    list_display = ("platform", "text", "guideline_ref", "sort_order", "is_active")
    list_filter = ("platform", "is_active")
