"""Which accounts only a superuser may touch: those that could undo the checks on everyone else."""

from __future__ import annotations

from cases.roles import Role

# Supervisors approve account changes and see every case; administrators manage accounts.
PROTECTED_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


def is_protected_account(user) -> bool:
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=PROTECTED_ROLES).exists()


def client_ip(request) -> str:
    """The address django-axes counts failures against (AXES_CLIENT_IP_CALLABLE).

    With SIGNIN_PROXY_COUNT = n > 0 the client is the n-th address from the right of X-Forwarded-For
    (what the first of our proxies saw); addresses further left were written by the client itself.
    """
    from django.conf import settings

    count = settings.SIGNIN_PROXY_COUNT
    if count > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
