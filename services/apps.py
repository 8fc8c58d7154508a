"""Guideline items 2 and 3 (psychological support, accompaniment)."""

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "服務紀錄"
