"""Loads the default SMS templates (guideline 1-3's generic text verbatim, an appointment reminder and a
deadline reminder) and re-syncs the role groups for the template permissions (cases.roles)."""

from django.db import migrations


def load(apps, schema_editor):
    from cases.roles import sync_role_groups
    from cases.sms.defaults import ensure_default_templates

    ensure_default_templates(apps.get_model("cases", "SmsTemplate"))
    sync_role_groups(apps)


def unload(apps, schema_editor):
    from cases.sms.defaults import DEFAULT_TEMPLATES

    keys = [row["key"] for row in DEFAULT_TEMPLATES]
    apps.get_model("cases", "SmsTemplate").objects.filter(key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_sms_outbox"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, unload)]
