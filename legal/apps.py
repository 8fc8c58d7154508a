"""Guideline items 4, 9 and 10 (legal consultation, police report, prosecutor direction)."""

from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = "法律服務"

    def ready(self) -> None:
        from legal import panels  # noqa: F401  (registers the case-page panel and timeline source)
