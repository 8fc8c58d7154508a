"""Creates the five role groups of DOMAIN §1 with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "hotline": [
        "cases.view_case", "cases.view_all_cases", "cases.process_intake", "cases.dispatch_case",
        "referrals.add_referral", "referrals.view_referral",
    ],
    "social_worker": ["cases.view_case"],
    "police": ["referrals.add_referral", "referrals.view_referral"],
    "supervisor": [
        "cases.view_case", "cases.view_all_cases", "cases.process_intake", "cases.dispatch_case",
        "cases.view_unit_overview", "cases.view_audit_trail", "referrals.view_referral",
    ],
    # Administrators manage accounts and catalogues, not case content.
    "admin": ["auth.add_user", "auth.change_user", "auth.view_user", "auth.view_group"],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("referrals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
