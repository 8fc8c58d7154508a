from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "轉介"

    def ready(self) -> None:
        from cases.registry import register_demo_data, register_home_page, register_search_source
        from cases.roles import register_role_permissions
        from referrals import panels  # noqa: F401  (registers the case-page panel)
        from referrals.demo import add_demo_data
        from referrals.roles import ROLE_PERMISSIONS
        from referrals.search import referral_hits

        register_role_permissions("referrals", ROLE_PERMISSIONS)
        register_search_source(referral_hits)
        register_home_page(permission="referrals.submit_as_referrer", url_name="referrals:list", order=40)
        # Before legal's demo data, so referred cases get legal records too.
        register_demo_data(add_demo_data, order=10)
