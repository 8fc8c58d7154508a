"""Guideline item 6 (evidence-preservation teaching; records about evidence, never the images)."""

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "證據保存"
