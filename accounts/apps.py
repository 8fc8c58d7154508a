"""Sign-in: two factors, lockouts, and a second person for account changes (issue 21, point 6)."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "帳號與登入"

    def ready(self) -> None:
        from accounts import checks, signals, trail  # noqa: F401  (checks registers the system check)
        from accounts.demo import add_demo_data
        from accounts.roles import ROLE_PERMISSIONS
        from cases.registry import register_demo_data, register_nav_link
        from cases.roles import register_role_permissions

        register_role_permissions("accounts", ROLE_PERMISSIONS)
        register_demo_data(add_demo_data, order=95)
        register_nav_link(
            permission="accounts.approve_account_change",
            url_name="accounts:approvals",
            label="帳號核准",
            order=90,
        )
        register_nav_link(
            permission="accounts.unlock_signin", url_name="accounts:lockouts", label="登入鎖定", order=91
        )
        signals.connect()
        trail.register_actions()
