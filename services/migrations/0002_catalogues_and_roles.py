"""Loads the escort checklists (指引 3-1, 3-2, version 1), the counselling programmes (指引 2-2) and the
PTSD instrument (2-1-1b), and gives the role groups the services permissions (services/roles.py).
"""

from django.db import migrations


def load(apps, schema_editor):
    from services.catalogue import load_catalogues

    load_catalogues(apps)


def sync_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_initial"),
        ("cases", "0011_supervisors_work_cases"),
        ("referrals", "0002_role_permissions_by_app"),
        ("legal", "0003_role_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
