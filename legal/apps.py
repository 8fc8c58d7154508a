"""Guideline items 4, 9 and 10 (legal consultation, police report, prosecutor direction)."""

from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = "法律服務"

    def ready(self) -> None:
        from cases.registry import register_demo_data, register_linkable_records
        from cases.roles import register_role_permissions
        from legal import (
            links,
            panels,  # noqa: F401  (registers the case-page panel and timeline source)
            signals,
        )
        from legal.demo import add_demo_data
        from legal.roles import ROLE_PERMISSIONS

        register_role_permissions("legal", ROLE_PERMISSIONS)
        register_demo_data(add_demo_data, order=30)
        signals.connect()
        # The evidence app prompts for collecting evidence at once from these (指引 4-3-2A).
        register_linkable_records("case_offence", links.case_offences)
