from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "轉介"

    def ready(self) -> None:
        from referrals import panels  # noqa: F401  (registers the case-page panel)
