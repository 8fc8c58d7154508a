"""Every audit row carries a hash chain (cases.audit_chain); the read log and history keep their trail when a
case, an intake or a user is deleted (PROTECT instead of CASCADE / SET_NULL); the triggers (cases.audit_triggers)
are installed here and again after every migrate, for the history tables of the other apps."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def install_triggers(apps, schema_editor):
    from cases.audit_triggers import install

    install(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0019_audit_events'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='casereadlog',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='casereadlog',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='casereadlog',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='casereadlog',
            name='intake',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.intake'),
        ),
        migrations.AddField(
            model_name='casereadlog',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicalbreakglassgrant',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicalbreakglassgrant',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicalbreakglassgrant',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicalbreakglassgrant',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicalcasestatuschange',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicalcasestatuschange',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicalcasestatuschange',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicalcasestatuschange',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicalcontact',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicalcontact',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicalcontact',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicalcontact',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicaldeadline',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicaldeadline',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicaldeadline',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicaldeadline',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicaldispatch',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicaldispatch',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicaldispatch',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicaldispatch',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicalintake',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicalintake',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicalintake',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicalintake',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicalserviceappointment',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicalserviceappointment',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicalserviceappointment',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicalserviceappointment',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicalsmstemplate',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicalsmstemplate',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicalsmstemplate',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicalsmstemplate',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AddField(
            model_name='historicalvictim',
            name='chain_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='內容摘要'),
        ),
        migrations.AddField(
            model_name='historicalvictim',
            name='chain_hash',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='鏈雜湊'),
        ),
        migrations.AddField(
            model_name='historicalvictim',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, db_index=True, editable=False, null=True, verbose_name='鏈序號'),
        ),
        migrations.AddField(
            model_name='historicalvictim',
            name='pii_digest',
            field=models.CharField(blank=True, default='', editable=False, max_length=64, verbose_name='個資摘要'),
        ),
        migrations.AlterField(
            model_name='casereadlog',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='read_logs', to='cases.case'),
        ),
        migrations.AlterField(
            model_name='historicalbreakglassgrant',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalcase',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalcasestatuschange',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalcontact',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicaldeadline',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicaldispatch',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalintake',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalserviceappointment',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalsmstemplate',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='historicalvictim',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='casereadlog',
            index=models.Index(fields=['user', 'read_at'], name='readlog_user_time'),
        ),
        migrations.RunPython(install_triggers, migrations.RunPython.noop),
    ]
