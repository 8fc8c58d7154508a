"""Guideline item 7 (safety check, safety plan, protection orders, shelter)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = "人身安全"

    def ready(self) -> None:
        from cases.registry import register_demo_data
        from cases.roles import register_role_permissions
        from safety import (
            counters,
            panels,  # noqa: F401  (registers the panel, entries, listener, overview)
        )
        from safety.demo import add_demo_data
        from safety.roles import ROLE_PERMISSIONS

        register_role_permissions("safety", ROLE_PERMISSIONS)
        register_demo_data(add_demo_data, order=40)
        post_migrate.connect(counters.install_after_migrate, sender=self, dispatch_uid="safety_counters")
