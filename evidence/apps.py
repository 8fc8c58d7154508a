"""Guideline item 6 (evidence-preservation teaching; records about evidence, never the images)."""

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "證據保存"

    def ready(self) -> None:
        from cases.registry import register_demo_data
        from cases.roles import register_role_permissions
        from evidence import panels  # noqa: F401  (registers the panel, entries, timeline, linkable records)
        from evidence.demo import add_demo_data
        from evidence.roles import ROLE_PERMISSIONS

        register_role_permissions("evidence", ROLE_PERMISSIONS)
        register_demo_data(add_demo_data, order=40)
