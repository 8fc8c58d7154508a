"""Admin pages of the hub: the SMS outbox, read-only.

The outbox is for operators with the explicit view permission (no role group has it).

Case records stay out of the admin. An outbox row shows its state and the masked number only: the
number and the text are never loaded here (SmsMessage.objects.without_content()).
"""

from django.contrib import admin

from cases.models import SmsMessage


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


# Staff accounts (with the second-person rule) are the accounts app's: accounts/admin.py.
