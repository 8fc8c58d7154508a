"""Guideline items 2 and 3 (psychological support, accompaniment)."""

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "心理支持與陪同服務"

    def ready(self) -> None:
        from cases.registry import register_demo_data
        from cases.roles import register_role_permissions
        from services import panels  # noqa: F401  (registers the case-page panel, entries and timeline)
        from services.demo import add_demo_data
        from services.roles import ROLE_PERMISSIONS

        register_role_permissions("services", ROLE_PERMISSIONS)
        register_demo_data(add_demo_data, order=40)
