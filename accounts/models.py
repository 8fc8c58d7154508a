"""Sign-in records: changes to an account that wait for a second person, and the sessions of each user."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.history import AuditedHistoricalRecords


class AccountChangeRequest(models.Model):
    """帳號變更申請: a role, staff status or password that an administrator set for someone else.

    Nothing changes until a supervisor other than the requester approves (second-person rule); the
    request and the decision stay, with history. A new password is kept only as its hash, never in
    history.
    """

    class Kind(models.TextChoices):
        ROLES = "roles", "授予角色"
        STAFF = "staff", "授予系統管理權限（is_staff）"
        PASSWORD = "password", "設定密碼"

    class State(models.TextChoices):
        PENDING = "pending", "待核准"
        APPROVED = "approved", "已核准"
        REJECTED = "rejected", "已退回"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("申請事項", max_length=20, choices=Kind.choices)
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="帳號"
    )
    # Roles: the full set of group names the account is to hold once approved.
    roles = models.JSONField("申請後的角色", default=list, blank=True)
    roles_before = models.JSONField("申請時的角色", default=list, blank=True)
    password_hash = models.CharField("新密碼（雜湊）", max_length=256, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申請人"
    )
    requested_at = models.DateTimeField("申請時間", default=timezone.now)
    state = models.CharField("狀態", max_length=20, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="核准人",
    )
    decided_at = models.DateTimeField("決定時間", null=True, blank=True)
    decision_note = models.CharField("說明", max_length=300, blank=True)
    history = AuditedHistoricalRecords(excluded_fields=["password_hash"])

    class Meta:
        verbose_name = "帳號變更申請"
        verbose_name_plural = "帳號變更申請"
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["state", "requested_at"])]
        permissions = [
            ("approve_account_change", "核准帳號的角色、權限與密碼變更"),
            ("unlock_signin", "解除登入鎖定"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.target.username}（{self.get_state_display()}）"


class SignInSession(models.Model):
    """A session a user signed in with, so deactivating the user can end every one of them at once,
    whatever SESSION_ENGINE keeps them in (database, cache or both)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=64, db_index=True)
    signed_in_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "登入工作階段"
        verbose_name_plural = "登入工作階段"
        indexes = [models.Index(fields=["user", "signed_in_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.signed_in_at:%Y-%m-%d %H:%M}"
