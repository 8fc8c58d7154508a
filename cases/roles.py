"""The five roles of DOMAIN §1, as auth groups created by migration."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    HOTLINE = "hotline", "專線組"
    SOCIAL_WORKER = "social_worker", "直接服務組社工"
    POLICE = "police", "警察（婦幼隊／分局）"
    SUPERVISOR = "supervisor", "督導"
    ADMIN = "admin", "系統管理員"


def user_roles(user) -> frozenset[str]:
    """Group names of the user, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_cache = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


# Permissions of each role; the migration creates the groups from this, tests re-sync after a flush.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.HOTLINE: [
        "cases.view_case",
        "cases.view_all_cases",
        "cases.process_intake",
        "cases.dispatch_case",
        "referrals.add_referral",
        "referrals.view_referral",
    ],
    Role.SOCIAL_WORKER: ["cases.view_case", "legal.manage_legal"],
    Role.POLICE: ["referrals.add_referral", "referrals.view_referral", "legal.record_prosecutor_direction"],
    Role.SUPERVISOR: [
        "cases.view_case",
        "cases.view_all_cases",
        "cases.process_intake",
        "cases.dispatch_case",
        "cases.view_unit_overview",
        "cases.view_audit_trail",
        "referrals.view_referral",
        "legal.manage_legal",
        "legal.view_accusation_queue",
        # SMS templates (guideline 1-3 text and reminders), checked for what an SMS may say.
        "cases.view_smstemplate",
        "cases.change_smstemplate",
    ],
    # Administrators manage accounts and catalogues, not case content.
    Role.ADMIN: [
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        # Offence catalogue (no delete: cases point at it) and the rest-day calendar, with history.
        "legal.add_offence",
        "legal.change_offence",
        "legal.view_offence",
        "legal.view_historicaloffence",
        "legal.add_restday",
        "legal.change_restday",
        "legal.delete_restday",
        "legal.view_restday",
        "legal.view_historicalrestday",
        # SMS templates, through the template pages (not the admin site).
        "cases.view_smstemplate",
        "cases.change_smstemplate",
    ],
}


def sync_role_groups(apps=None) -> None:
    """Create the role groups with exactly ROLE_PERMISSIONS (idempotent).

    In a migration (`apps` given) a permission whose model is not in that migration state yet is
    skipped: the migration that adds the model syncs again (e.g. legal/0003). Outside migrations a
    missing permission is an error.
    """
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    for app_config in apps.get_app_configs():
        # Migration-state app stubs have no models_module; create_permissions skips apps without one.
        had_models = getattr(app_config, "models_module", None)
        app_config.models_module = had_models or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            try:
                wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
            except Permission.DoesNotExist:
                if apps is global_apps:
                    raise
        group.permissions.set(wanted)
