from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "escape_events.outbox"
    verbose_name = "Outgoing mail"

    def ready(self):
        from django.tasks.signals import task_finished, task_started

        from . import keys

        task_started.connect(keys.task_started, dispatch_uid="outbox_task_started")
        task_finished.connect(keys.task_finished, dispatch_uid="outbox_task_finished")
