"""`run_worker`: a failed task is retried with backoff, a task whose worker died runs again, and
both end FAILED (visible in the admin) after TASKS_MAX_ATTEMPTS."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

CALLS = []


@task
def flaky(*, fail_times: int) -> None:
    CALLS.append(1)
    if len(CALLS) <= fail_times:
        raise ConnectionError("the database went away mid-task")


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_MAX_ATTEMPTS = 3
    CALLS.clear()


def run_due():
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    call_command("run_worker", batch=True)


# The worker closes "old" connections between tasks: these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_a_failed_task_runs_again_later_and_succeeds(database_tasks):
    flaky.enqueue(fail_times=1)
    call_command("run_worker", batch=True)
    result = DBTaskResult.objects.get()
    assert result.status == "READY" and result.run_after > timezone.now()  # backoff
    assert "the database went away" in result.traceback
    run_due()
    result.refresh_from_db()
    assert result.status == "SUCCESSFUL" and len(CALLS) == 2


@pytest.mark.django_db(transaction=True)
def test_a_task_that_keeps_failing_ends_failed_after_the_last_attempt(database_tasks):
    flaky.enqueue(fail_times=99)
    for _ in range(5):
        run_due()
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED" and len(CALLS) == 3 and len(result.worker_ids) == 3


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_dead_worker_runs_again(database_tasks, settings):
    settings.TASKS_LEASE_SECONDS = 60
    result = DBTaskResult.objects.get(pk=flaky.enqueue(fail_times=0).id)
    result.claim("worker-killed-with-sigkill")
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(seconds=30))
    call_command("run_worker", batch=True)
    assert DBTaskResult.objects.get().status == "RUNNING"  # still within its lease

    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(seconds=61))
    call_command("run_worker", batch=True)
    result.refresh_from_db()
    assert result.status == "SUCCESSFUL" and CALLS == [1]


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_died_on_every_attempt_ends_failed(database_tasks):
    result = DBTaskResult.objects.get(pk=flaky.enqueue(fail_times=0).id)
    for number in range(3):
        result.claim(f"worker-{number}")
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(hours=1))
    call_command("run_worker", batch=True)
    result.refresh_from_db()
    assert result.status == "FAILED" and "stopped" in result.traceback and CALLS == []


@pytest.mark.django_db(transaction=True)
def test_control_django_tasks_db_alone_leaves_a_dead_workers_task_running_for_ever(
    database_tasks,
):
    """What run_worker fixes: the library's own worker never looks at a RUNNING task again."""
    result = DBTaskResult.objects.get(pk=flaky.enqueue(fail_times=0).id)
    result.claim("worker-killed-with-sigkill")
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(days=1))
    call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False)
    result.refresh_from_db()
    assert result.status == "RUNNING" and CALLS == []


@pytest.mark.django_db(transaction=True)
def test_an_event_change_notice_is_queued_in_the_changes_own_transaction(
    database_tasks, make_event
):
    """No moment after the commit in which a dying process could lose the registrants' notice:
    the task row commits with the change, and a rolled-back change leaves none."""
    from django.db import transaction

    from escape_events.events.models import Event
    from escape_events.events.services import cancel_event

    notices = DBTaskResult.objects.filter(task_path__endswith="send_event_changed_mails")
    event = make_event()
    with pytest.raises(RuntimeError), transaction.atomic():
        cancel_event(event=event)
        assert notices.count() == 1  # stored inside the transaction, not after it
        raise RuntimeError("the request failed after the change")
    assert notices.count() == 0 and not Event.objects.get(pk=event.pk).is_cancelled
    cancel_event(event=event)
    assert notices.count() == 1
