"""Gives supervisors the second-person approval and unlocking (accounts/roles.py, registered with
cases.roles), and administrators the read-only list of their requests."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("cases", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
