from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件"

    def ready(self) -> None:
        from cases import tasks  # noqa: F401  (registers the Celery tasks the outbox enqueues by name)
        from cases.sms import panel  # noqa: F401  (registers the SMS panel of the case page)
