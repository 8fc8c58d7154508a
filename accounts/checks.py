"""`check --deploy` warns when production runs without the second factor."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_on_in_production(app_configs, **kwargs):
    if not settings.DEBUG and not settings.TWO_FACTOR_REQUIRED:
        return [
            Warning(
                "TWO_FACTOR_REQUIRED is off with DEBUG off: staff sign in with a password alone.",
                hint="Remove TWO_FACTOR_REQUIRED=false from the environment (docs/configuration.md).",
                id="accounts.W001",
            )
        ]
    return []
