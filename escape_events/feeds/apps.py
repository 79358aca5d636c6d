from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_version_triggers(sender, using, **kwargs):
    from .triggers import install

    install(using)


class FeedsConfig(AppConfig):
    name = "escape_events.feeds"
    verbose_name = "Feeds"

    def ready(self):
        post_migrate.connect(_install_version_triggers, sender=self)
        from escape_events.core import content_version

        from .selectors import content_token

        content_version.read_with(content_token)  # the public pages' cache keys
        from . import receivers  # noqa: F401  (answers accounts about a person)
