from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件"

    def ready(self) -> None:
        from cases import sms_panel  # noqa: F401  (registers the SMS panel of the case page)
