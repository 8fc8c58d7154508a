"""Forms never lose work (issue 18): claimed form tokens and encrypted drafts of expired sessions."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import cases.privacy


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_masked_phone_last_three_digits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FormDraft",
            fields=[
                (
                    "id",
                    models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
                ),
                ("page_path", models.CharField(max_length=300, verbose_name="表單頁面")),
                ("action_path", models.CharField(max_length=300, verbose_name="表單送出網址")),
                ("fields", cases.privacy.EncryptedTextField(verbose_name="已填寫內容")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="建立時間"),
                ),
                ("expires_at", models.DateTimeField(db_index=True, verbose_name="保留期限")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "表單暫存", "verbose_name_plural": "表單暫存"},
        ),
        migrations.CreateModel(
            name="FormSubmission",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=64, unique=True, verbose_name="表單識別碼")),
                ("path", models.CharField(max_length=300, verbose_name="送出網址")),
                ("location", models.CharField(blank=True, max_length=1000, verbose_name="導向網址")),
                ("completed_at", models.DateTimeField(blank=True, null=True, verbose_name="完成時間")),
                (
                    "created_at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="建立時間"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "表單送出紀錄", "verbose_name_plural": "表單送出紀錄"},
        ),
    ]
