"""Guideline items 5 and 8 (StopNCII, takedown complaints)."""

from django.apps import AppConfig


class TakedownConfig(AppConfig):
    name = "takedown"
    verbose_name = "下架申訴"
