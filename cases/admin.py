"""Admin pages of the hub: staff accounts, and the SMS outbox read-only.

The outbox is for operators with the explicit view permission (no role group has it).

Case records stay out of the admin. An outbox row shows its state and the masked number only: the
number and the text are never loaded here (SmsMessage.objects.without_content()).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from cases.models import SmsMessage
from cases.notifications import notify_role_change


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "purpose",
        "phone_masked",
        "state",
        "attempts",
        "next_attempt_at",
        "last_code",
    )
    list_filter = ("state", "purpose")
    ordering = ("-created_at",)
    fields = (
        "purpose",
        "phone_masked",
        "segments",
        "state",
        "attempts",
        "next_attempt_at",
        "enqueued_at",
        "claimed_at",
        "sent_at",
        "idempotency_key",
        "provider_message_id",
        "last_code",
        "last_error",
        "delivery_status",
        "delivery_reported_at",
        "created_at",
        "resolved_at",
    )
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).without_content()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- staff accounts -----------------------------------------------------------------------------

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Account management for the admin role, without a way to widen one's own access.

    Administrators manage accounts and roles but hold no case content (guideline G-4): they cannot make
    anyone a superuser or grant single permissions, cannot change their own roles or status, and
    every change of someone's roles is told to the supervisors, who can see what it opens.
    """

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
            if obj is not None and obj.pk == request.user.pk:
                readonly += ["groups", "is_staff", "is_active"]
        return readonly

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        if before != after:
            notify_role_change(user=form.instance, before=before, after=after, actor=request.user)
