"""The five roles (指引 G-4: 專線組, 直接服務組, 婦幼警察隊, plus supervisors and administrators), as auth
groups created by migration."""

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
        load_access(user)
        cached = user._role_cache
    return cached


def load_access(user) -> None:
    """The user's groups and permissions in one query, cached on the user for the request.

    Django's ModelBackend asks for the user's own permissions and their groups' permissions in two
    queries and the roles took a third; here one UNION fills the caches all three read (ModelBackend's
    _user_perm_cache, _group_perm_cache and _perm_cache, and _role_cache). Superusers and inactive users
    are left to ModelBackend, which treats them specially.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.models import CharField, Value

    if not user.is_authenticated or hasattr(user, "_role_cache"):
        return
    # order_by(): the models' default ordering is not allowed inside a UNION on SQLite.
    groups = (
        Group.objects.filter(user=user)
        .order_by()
        .values_list("name", "permissions__content_type__app_label", "permissions__codename")
    )
    own = (
        Permission.objects.filter(user=user)
        .order_by()
        .values_list(Value("", output_field=CharField()), "content_type__app_label", "codename")
    )
    names, group_perms, user_perms = set(), set(), set()
    for name, app_label, codename in groups.union(own, all=True):
        if name:
            names.add(name)
        if codename:
            (group_perms if name else user_perms).add(f"{app_label}.{codename}")
    user._role_cache = frozenset(names)
    if user.is_active and not user.is_superuser and not hasattr(user, "_perm_cache"):
        user._user_perm_cache = user_perms
        user._group_perm_cache = group_perms
        user._perm_cache = user_perms | group_perms


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


# The hub's permissions of each role. Satellite apps add theirs with register_role_permissions() from
# their AppConfig.ready(); the migrations create the groups from the union, tests re-sync after a flush.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.HOTLINE: [
        "cases.view_case",
        "cases.view_all_cases",
        "cases.process_intake",
        "cases.dispatch_case",
        "cases.change_smsmessage",  # the generic SMS it sends from an intake
        "cases.add_contact",  # following up a referral form before a case exists (指引 1-3b)
        "cases.add_serviceappointment",  # booking a service from the call (指引 1-2b)
    ],
    Role.SOCIAL_WORKER: [
        "cases.view_case",
        "cases.work_cases",
        "cases.add_contact",
        "cases.add_serviceappointment",
        "cases.view_deadline",
        "cases.change_deadline",
        "cases.change_smsmessage",
        # 緊急調閱: a case not assigned to them, read-only, with a reason a supervisor reviews. Police
        # and the hotline never get it (docs/oversight.md).
        "cases.break_glass",
    ],
    Role.POLICE: [],
    Role.SUPERVISOR: [
        "cases.view_case",
        "cases.view_all_cases",
        "cases.process_intake",
        "cases.dispatch_case",
        "cases.view_unit_overview",
        "cases.view_audit_trail",
        "cases.review_audit",  # the audit pages: changes, reads, searches, sign-ins, export (issue 21)
        "cases.work_cases",  # supervisors act on any case of the unit (selectors scope the rest)
        "cases.approve_closing",
        "cases.review_break_glass",
        "cases.add_contact",
        "cases.add_serviceappointment",
        "cases.view_deadline",
        "cases.change_deadline",
        "cases.change_smsmessage",
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
        # SMS templates, through the template pages (not the admin site).
        "cases.view_smstemplate",
        "cases.change_smstemplate",
    ],
}

_registered: dict[str, dict[str, list[str]]] = {}


def register_role_permissions(app_label: str, grants: dict[str, list[str]]) -> None:
    """A satellite app's permissions per role (called from its AppConfig.ready(); idempotent)."""
    _registered[app_label] = {str(role): list(perms) for role, perms in grants.items()}


def role_permissions() -> dict[str, list[str]]:
    """Every role with the hub's permissions and every registered app's, in a stable order."""
    merged = {str(role): list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for app_label in sorted(_registered):
        for role, perms in _registered[app_label].items():
            merged.setdefault(role, [])
            merged[role] += [p for p in perms if p not in merged[role]]
    return merged


def sync_role_groups(apps=None) -> None:
    """Create the role groups with exactly role_permissions() (idempotent).

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
    for role, perms in role_permissions().items():
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
