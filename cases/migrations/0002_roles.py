"""Creates the five role groups (guideline G-4) with their permissions (cases.roles.role_permissions)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


def remove_roles(apps, schema_editor):
    from cases.roles import role_permissions

    apps.get_model("auth", "Group").objects.filter(name__in=[str(r) for r in role_permissions()]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("referrals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
