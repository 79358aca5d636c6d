from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_version_triggers(sender, using, **kwargs):
    from .version_triggers import install

    install(using)


class CoreConfig(AppConfig):
    name = "escape_events.core"
    verbose_name = _("Core")

    def ready(self):
        post_migrate.connect(_install_version_triggers, sender=self)
        from . import checks  # noqa: F401  (registers the deploy checks)


class EscapeAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site (see admin_site.py) as `admin.site`."""

    default = False  # "escape_events.core" itself means CoreConfig
    default_site = "escape_events.core.admin_site.EscapeAdminSite"
