"""Gives the role groups their legal permissions (legal/roles.py, registered with cases.roles): the admin group
manages the offence catalogue and rest days; workers and supervisors record the legal side of a case;
police record prosecutor-directed investigations; supervisors see the unit's open accusations.
"""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0002_offence_catalogue"),
        ("cases", "0002_roles"),
        ("referrals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
