from django.contrib.admin.apps import AdminConfig


class ProjectAdminConfig(AdminConfig):
    """The Django admin with the project's site (config/admin.py), in place of "django.contrib.admin"."""

    default_site = "config.admin.ProjectAdminSite"
