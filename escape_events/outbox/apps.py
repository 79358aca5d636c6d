from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "escape_events.outbox"
    verbose_name = "Outgoing mail"
