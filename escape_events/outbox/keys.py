"""Idempotency keys. Inside a background task a mail's key comes from the task's id and the
mail's recipients and subject, so a task that runs again after its worker died produces the same
keys (and the outbox stores nothing twice); anywhere else each mail is new."""

import hashlib
import uuid
from contextvars import ContextVar

_running_task: ContextVar[tuple[str, dict] | None] = ContextVar("outbox_task", default=None)


def task_started(sender, task_result, **kwargs):
    _running_task.set((str(task_result.id), {}))


def task_finished(sender, task_result, **kwargs):
    _running_task.set(None)


def key_for(*, recipients: list[str], subject: str) -> str:
    running = _running_task.get()
    if running is None:
        return f"mail:{uuid.uuid4().hex}"
    task_id, seen = running
    digest = hashlib.sha256("\n".join([subject, *sorted(recipients)]).encode()).hexdigest()[:24]
    seen[digest] = seen.get(digest, 0) + 1  # the same mail twice in one run stays two mails
    return f"task:{task_id}:{digest}:{seen[digest]}"
