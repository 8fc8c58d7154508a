"""The default reminder sheet and the guideline's shelter scheme (safety/catalogue.py), and the role
groups' safety permissions (safety/roles.py, registered with cases.roles)."""

from django.db import migrations


def load(apps, schema_editor):
    from safety.catalogue import load_catalogues

    load_catalogues(
        apps.get_model("safety", "SafetySheet"),
        apps.get_model("safety", "ShelterScheme"),
        apps.get_model("safety", "HistoricalSafetySheet"),
        apps.get_model("safety", "HistoricalShelterScheme"),
    )


def sync_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0001_initial"),
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
