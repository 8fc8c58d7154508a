"""Forms that never lose work (issue 18): one-time form tokens and drafts kept across an expired session."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.privacy import EncryptedTextField


class FormSubmission(models.Model):
    """A claimed form token: the unique row is the claim, so a second post of the same form never runs.

    Kept in the database (not the per-process cache) so every web process sees the same claims.
    """

    token = models.CharField("表單識別碼", max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField("送出網址", max_length=300)
    # Where the first post redirected to; a duplicate goes there too. Empty while the first still runs.
    location = models.CharField("導向網址", max_length=1000, blank=True)
    completed_at = models.DateTimeField("完成時間", null=True, blank=True)
    created_at = models.DateTimeField("建立時間", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "表單送出紀錄"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.path} {self.created_at:%Y-%m-%d %H:%M}"


class FormDraft(models.Model):
    """What a user typed into a form posted after their session expired, encrypted, for minutes only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page_path = models.CharField("表單頁面", max_length=300)
    action_path = models.CharField("表單送出網址", max_length=300)
    fields = EncryptedTextField("已填寫內容")  # JSON [[name, value], ...]
    created_at = models.DateTimeField("建立時間", default=timezone.now)
    expires_at = models.DateTimeField("保留期限", db_index=True)

    class Meta:
        verbose_name = "表單暫存"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.page_path} {self.created_at:%Y-%m-%d %H:%M}"
