from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark commands (manage.py bench, bench_sms); it seeds every app, so it is not the hub."""

    name = "bench"
    verbose_name = "效能量測"
