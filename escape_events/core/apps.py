from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "escape_events.core"
    verbose_name = "Core"

    def ready(self):
        from django.tasks.signals import task_finished

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .tasks import retry_failed_task

        task_finished.connect(retry_failed_task, dispatch_uid="core_retry_failed_task")
