"""The audit trail's events and chain heads (issue 21); supervisors get cases.review_audit."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def sync_roles(apps, schema_editor):
    from cases.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0018_deadline_next_reminder_at'),
        ('cases', '0017_reminders_give_the_callback_number'),  # also merges the two 0017 leaves
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('chain', models.CharField(max_length=100, primary_key=True, serialize=False, verbose_name='稽核表')),
                ('seq', models.BigIntegerField(default=0, verbose_name='列數')),
                ('last_hash', models.CharField(blank=True, default='', max_length=64, verbose_name='最後雜湊')),
            ],
            options={
                'verbose_name': '稽核鏈尾',
                'verbose_name_plural': '稽核鏈尾',
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('chain_seq', models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號')),
                ('chain_hash', models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊')),
                ('chain_digest', models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要')),
                ('pii_digest', models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要')),
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='時間')),
                ('action', models.CharField(db_index=True, max_length=40, verbose_name='動作')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='輸入的帳號')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='來源位址')),
                ('detail', models.TextField(blank=True, verbose_name='說明')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='執行者')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.case', verbose_name='案件')),
                ('target_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='對象帳號')),
            ],
            options={
                'verbose_name': '稽核事件',
                'verbose_name_plural': '稽核事件',
                'permissions': [('review_audit', '可檢閱稽核軌跡（異動、閱覽、搜尋、下載、登入）並匯出')],
                'indexes': [models.Index(fields=['actor', 'at'], name='auditevent_actor_time'), models.Index(fields=['case', 'at'], name='auditevent_case_time')],
            },
        ),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
