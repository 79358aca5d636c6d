from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "escape_events.core"
    verbose_name = "Core"
