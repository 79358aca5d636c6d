"""Background tasks that survive their worker: a task whose worker vanished (RUNNING past its
lease) runs again, and a failed task is retried with backoff, up to TASKS_MAX_ATTEMPTS; after that
it stays FAILED with its traceback in the admin. django_tasks_db alone leaves both for ever."""

import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

WORKER_LOST = "escape_events.core.tasks.WorkerLost"


def _attempts(result: DBTaskResult) -> int:
    return len(result.worker_ids)  # every claim by a worker appends its id


def _backoff(attempts: int) -> timedelta:
    seconds = settings.TASKS_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, 3600) * random.uniform(0.8, 1.2))  # noqa: S311


def requeue_stale_tasks() -> int:
    """Give tasks whose worker died another run (or fail them visibly); returns how many."""
    now = timezone.now()
    stale = DBTaskResult.objects.running().filter(
        started_at__lt=now - timedelta(seconds=settings.TASKS_LEASE_SECONDS)
    )
    count = 0
    with transaction.atomic():
        for result in stale.select_for_update(skip_locked=True):
            if _attempts(result) >= settings.TASKS_MAX_ATTEMPTS:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = WORKER_LOST
                result.traceback = (
                    f"The worker running it stopped (killed or crashed) on attempt "
                    f"{_attempts(result)} of {settings.TASKS_MAX_ATTEMPTS}; not run again."
                )
            else:
                result.status = TaskResultStatus.READY
                result.run_after = now
            result.save(
                update_fields=[
                    "status",
                    "finished_at",
                    "run_after",
                    "exception_class_path",
                    "traceback",
                ]
            )
            count += 1
    return count


def retry_failed_task(sender, task_result, **kwargs):
    """task_finished receiver: a failed database task runs again later, while attempts remain.
    The traceback stays on the row, so the admin shows why the last attempt failed."""
    # db_worker sends the backend's class on failure and an instance on success.
    backend = sender if isinstance(sender, type) else type(sender)
    if not issubclass(backend, DatabaseBackend) or task_result.status != TaskResultStatus.FAILED:
        return
    attempts = len(task_result.worker_ids)
    if attempts >= settings.TASKS_MAX_ATTEMPTS:
        return
    DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + _backoff(attempts),
        finished_at=None,
    )


def enqueue_with_transaction(task, /, **kwargs) -> None:
    """Queue a task that must run if, and only if, the current transaction commits.

    The database queue stores the task in that same transaction, so a process killed right after
    the commit cannot lose it; other backends (inline in development) run it after the commit."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs))
