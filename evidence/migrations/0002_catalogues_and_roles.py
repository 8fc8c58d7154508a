"""The platform table (8-1-3D) and the teaching checklists (4-3-2B, 6-1-2, 6-1-3A/B) as data, and the role
groups' evidence permissions (evidence/roles.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from evidence.catalogue import load_catalogues

    load_catalogues(apps.get_model("evidence", "Platform"), apps.get_model("evidence", "ChecklistItem"))


def sync_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("cases", "0011_supervisors_work_cases"),
        ("referrals", "0002_role_permissions_by_app"),
        ("legal", "0003_role_permissions"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
