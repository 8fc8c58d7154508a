"""Guideline item 7 (safety check, safety plan, protection orders, shelter)."""

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = "人身安全"
