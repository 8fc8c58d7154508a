"""Supervisors hold cases.work_cases too (they act on any case of the unit: the case summary PDF,
contacts); the role groups are re-synced from every app's registered permissions."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_contacts_danger_flag_and_closing"),
        ("referrals", "0002_role_permissions_by_app"),
        ("legal", "0003_role_permissions"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
