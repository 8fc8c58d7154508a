"""Police submit referrals as the referring unit (a permission, not a role check in the view); the role
groups are re-synced from every app's registered permissions (cases.roles.role_permissions)."""

from django.db import migrations


def sync_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0001_initial"),
        ("cases", "0009_role_permissions_by_app"),
        ("legal", "0003_role_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="referral",
            options={
                "ordering": ["-submitted_at"],
                "permissions": [("submit_as_referrer", "可以轉介單位身分送出轉介表（警察）")],
                "verbose_name": "轉介表",
                "verbose_name_plural": "轉介表",
            },
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
