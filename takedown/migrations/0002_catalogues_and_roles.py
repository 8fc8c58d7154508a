"""The resources of 1-3c, the StopNCII partners of 5-2-1 and the privacy settings of 5-3 as data, and the
role groups' takedown permissions (takedown/roles.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from takedown.catalogue import load_catalogues

    load_catalogues(
        apps.get_model("takedown", "ResourceLink"),
        apps.get_model("takedown", "StopNCIIPartner"),
        apps.get_model("takedown", "PrivacySettingItem"),
    )


def sync_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("takedown", "0001_initial"),
        ("cases", "0011_supervisors_work_cases"),
        ("referrals", "0002_role_permissions_by_app"),
        ("legal", "0003_role_permissions"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
