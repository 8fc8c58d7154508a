"""Staff accounts in the Django admin, with the second-person rule.

Administrators manage accounts but hold no case content (guideline G-4) and cannot widen anyone's
access on their own: granting a role or staff status and setting someone's password become requests
that a supervisor approves (accounts:approvals); nothing changes before. Accounts of superusers,
supervisors and administrators are read-only to everyone but a superuser. The admin site signs in
through the app's own login (two factors, lockouts), never its own form.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential, WebAuthnUserHandle

from accounts import services
from accounts.models import AccountChangeRequest
from accounts.rules import is_protected_account
from cases.notifications import notify_role_change

User = get_user_model()
PENDING_MESSAGE = "已送交督導核准，核准後才會生效。"


def _admin_login(request, extra_context=None):
    return redirect_to_login(request.get_full_path(), login_url=reverse("login"))


admin.site.login = _admin_login

# An authenticator's secret is shown once, at enrolment; not even a superuser reads it back here. Passkeys
# are each person's own (account security page); a supervisor resets a lost one (accounts:lockouts).
for _model in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnAttestation, WebAuthnUserHandle):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not request.user.is_superuser and is_protected_account(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and not request.user.is_superuser and is_protected_account(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if request.user.is_superuser:
            return super().save_model(request, obj, form, change)
        staff_wanted = change and obj.is_staff and not User.objects.filter(pk=obj.pk, is_staff=True).exists()
        if staff_wanted:
            obj.is_staff = False
        first_password = None
        if not change and obj.has_usable_password():
            first_password = obj.password  # already hashed by the creation form
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if staff_wanted:
            services.account_change_request(
                actor=request.user, target=obj, kind=AccountChangeRequest.Kind.STAFF
            )
            messages.warning(request, f"授予系統管理權限{PENDING_MESSAGE}")
        if first_password:
            services.account_change_request(
                actor=request.user,
                target=obj,
                kind=AccountChangeRequest.Kind.PASSWORD,
                password_hash=first_password,
            )
            messages.warning(request, f"帳號已建立；密碼{PENDING_MESSAGE}")

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.groups.values_list("name", flat=True))
        if before == after:
            return
        if after - before and not request.user.is_superuser:
            # Nothing is granted yet: the groups go back and a supervisor decides on the whole new set.
            form.instance.groups.set(Group.objects.filter(name__in=before))
            services.account_change_request(
                actor=request.user,
                target=form.instance,
                kind=AccountChangeRequest.Kind.ROLES,
                roles=sorted(after),
            )
            messages.warning(request, f"角色變更{PENDING_MESSAGE}")
            return
        # Removing roles narrows access and takes effect at once; supervisors are told.
        notify_role_change(user=form.instance, before=before, after=after, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is None or request.user.is_superuser or request.method != "POST":
            return super().user_change_password(request, id, form_url)
        if not self.has_change_permission(request, user) or user.pk == request.user.pk:
            raise PermissionDenied
        form = self.change_password_form(user, request.POST)
        if not form.is_valid() or not form.cleaned_data.get("set_usable_password", True):
            # Errors are shown by Django's own page; turning password sign-in off narrows access.
            return super().user_change_password(request, id, form_url)
        services.account_change_request(
            actor=request.user,
            target=user,
            kind=AccountChangeRequest.Kind.PASSWORD,
            raw_password=form.cleaned_data["password1"],
        )
        messages.warning(request, f"新密碼{PENDING_MESSAGE}")
        return HttpResponseRedirect(reverse("admin:auth_user_change", args=(user.pk,)))


@admin.register(AccountChangeRequest)
class AccountChangeRequestAdmin(admin.ModelAdmin):
    """Read-only: administrators follow their requests here; supervisors decide on accounts:approvals."""

    list_display = ("requested_at", "kind", "target", "requested_by", "state", "decided_by", "decided_at")
    list_filter = ("state", "kind")
    fields = (
        "kind",
        "target",
        "roles_before",
        "roles",
        "requested_by",
        "requested_at",
        "state",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    readonly_fields = fields
    list_select_related = ("target", "requested_by", "decided_by")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
