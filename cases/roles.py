"""The five roles of DOMAIN §1, as auth groups created by migration."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    HOTLINE = "hotline", "專線組"
    SOCIAL_WORKER = "social_worker", "直接服務組社工"
    POLICE = "police", "警察（婦幼隊／分局）"
    SUPERVISOR = "supervisor", "督導"
    ADMIN = "admin", "系統管理員"


def user_roles(user) -> frozenset[str]:
    """Group names of the user, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_cache = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))
