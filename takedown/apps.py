"""Guideline items 5 and 8 (StopNCII, takedown complaints) and the public resources page (1-3c)."""

from django.apps import AppConfig


class TakedownConfig(AppConfig):
    name = "takedown"
    verbose_name = "下架申訴"

    def ready(self) -> None:
        from cases.registry import register_demo_data
        from cases.roles import register_role_permissions
        from takedown import panels  # noqa: F401  (registers the panel, entries, timeline, overview)
        from takedown.demo import add_demo_data
        from takedown.roles import ROLE_PERMISSIONS

        register_role_permissions("takedown", ROLE_PERMISSIONS)
        register_demo_data(add_demo_data, order=45)
