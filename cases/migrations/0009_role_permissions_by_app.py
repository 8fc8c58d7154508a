"""Case permission work_cases: the social worker's pages are gated by it, not by a role check."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_sms_source_key'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='case',
            options={'ordering': ['-opened_at'], 'permissions': [('view_all_cases', '可檢視全部案件'), ('work_cases', '可承辦案件（直接服務）'), ('dispatch_case', '可派案／改派'), ('view_unit_overview', '可檢視單位總覽'), ('view_audit_trail', '可檢視稽核軌跡')], 'verbose_name': '案件', 'verbose_name_plural': '案件'},
        ),
    ]
