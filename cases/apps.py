from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件"

    def ready(self) -> None:
        import cases.idle  # noqa: F401  (starts the idle clock at sign-in)
        import cases.lookups  # noqa: F401  (integer __in lookups ignore numbers no column holds)
        from cases import (
            audit,  # noqa: F401  (records sign-ins, sign-outs and failed sign-ins)
            counters,
            dashboards,  # noqa: F401  (registers the hub's charts of the supervisor overview)
            tasks,  # noqa: F401  (registers the Celery tasks the outbox enqueues by name)
            worker_sort,
        )
        from cases.audit_demo import add_audit_events
        from cases.audit_triggers import install_after_migrate
        from cases.demo import add_contacts_and_closures
        from cases.demo_oversight import add_oversight, add_unit_statistics
        from cases.registry import register_demo_data, register_home_page, register_nav_link
        from cases.sms import panel  # noqa: F401  (registers the SMS panel of the case page)

        register_home_page(permission="cases.view_unit_overview", url_name="cases:overview", order=10)
        register_home_page(permission="cases.process_intake", url_name="cases:intake_queue", order=20)
        register_home_page(permission="cases.work_cases", url_name="cases:my_cases", order=30)
        register_demo_data(add_contacts_and_closures, order=90)
        register_demo_data(add_audit_events, order=95)
        register_demo_data(add_oversight, order=92)
        # Last, after every app's records: the overview's charts as the beat job would compute them.
        register_demo_data(add_unit_statistics, order=1000)
        register_nav_link(
            permission="cases.review_break_glass",
            url_name="cases:break_glass_reviews",
            label="緊急調閱確認",
            order=85,
        )
        register_nav_link(
            permission="cases.review_audit", url_name="cases:audit_trail", label="稽核軌跡", order=90
        )
        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="audit_triggers")
        post_migrate.connect(counters.install_after_migrate, sender=self, dispatch_uid="unit_counters")
        post_migrate.connect(
            worker_sort.install_after_migrate, sender=self, dispatch_uid="worker_sort_triggers"
        )
