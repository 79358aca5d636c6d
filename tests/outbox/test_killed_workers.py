"""Workers killed with SIGKILL in the middle of their work, as real processes on PostgreSQL: the
mail still arrives, once, after a restart. (Before the outbox and the task lease, the first case
left the task RUNNING for ever and the registrant never heard of their seat.)"""

import os
import signal
import time
from datetime import timedelta
from email import message_from_bytes

import psycopg
import pytest
from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from escape_events.outbox.models import OutgoingMail
from escape_events.registrations import services
from escape_events.registrations.models import Registration, RegistrationSettings

from .conftest import database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def wait_for(condition, *, seconds=60, what="condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def kill(process):
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_mail_worker_killed_while_the_server_stalls_delivers_once_after_restart(
    smtp_server, outbox_to, start_process
):
    stalled = smtp_server(stall=True)
    outbox_to(stalled.port)
    EmailMessage(
        subject="A place opened up", body="Seat 10 is yours.", to=["ada@example.org"]
    ).send()
    stored = OutgoingMail.objects.get()

    worker = start_process(
        "deliver_mail", "--interval", "0.2", smtp_port=stalled.port,
        EMAIL_TIMEOUT="120", OUTBOX_LEASE_SECONDS="3",
    )  # fmt: skip
    wait_for(lambda: stalled.handler.stalled == 1, what="the worker to be stuck in DATA")
    kill(worker)  # mid-send: the server has the message but never said it took it
    stored.refresh_from_db()
    assert stored.status == OutgoingMail.Status.SENDING and stored.attempts == 1

    working = smtp_server()
    restarted = start_process("deliver_mail", "--interval", "0.2", smtp_port=working.port)
    wait_for(
        lambda: OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).exists(),
        what="the restarted worker to send it",
    )
    time.sleep(1.5)  # further polls must not send it again
    restarted.send_signal(signal.SIGTERM)
    assert restarted.wait(timeout=20) == 0  # a graceful stop
    (received,) = working.handler.messages
    assert message_from_bytes(received)["Subject"] == "A place opened up"
    assert stalled.handler.messages == []
    stored.refresh_from_db()
    assert stored.attempts == 2 and stored.last_error == ""


def test_task_worker_killed_mid_task_sends_the_confirmation_once_after_restart(
    settings, smtp_server, outbox_to, start_process, make_event, django_user_model
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    working = smtp_server()
    outbox_to(working.port)
    start = timezone.now() + timedelta(days=30)
    event = make_event(start=start, end=start + timedelta(hours=2))
    RegistrationSettings.objects.create(
        event=event, opens_at=timezone.now() - timedelta(days=1), onsite_capacity=10
    )
    person = django_user_model.objects.create_user(
        username="ada", email="ada@example.org", password="a-long-test-password"
    )
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    task = DBTaskResult.objects.get()  # queued in the registration's own transaction
    assert task.status == "READY"

    # Hold the outbox table so the task blocks while storing its mail, then kill its worker.
    with psycopg.connect(database_url().replace("postgres://", "postgresql://", 1)) as lock:
        lock.execute("LOCK TABLE outbox_outgoingmail IN ACCESS EXCLUSIVE MODE")
        worker = start_process(
            "run_worker", "--interval", "0.2", smtp_port=working.port, TASKS_LEASE_SECONDS="2"
        )
        wait_for(
            lambda: DBTaskResult.objects.filter(status="RUNNING").exists(),
            what="the worker to start the task",
        )
        time.sleep(0.5)
        kill(worker)
        lock.rollback()
    task.refresh_from_db()
    assert task.status == "RUNNING"  # what django_tasks_db alone would keep for ever

    start_process(
        "run_worker", "--interval", "0.2", smtp_port=working.port, TASKS_LEASE_SECONDS="2"
    )
    start_process("deliver_mail", "--interval", "0.2", smtp_port=working.port)
    wait_for(lambda: len(working.handler.messages) == 1, what="the confirmation to arrive")
    time.sleep(1.5)
    assert len(working.handler.messages) == 1
    assert message_from_bytes(working.handler.messages[0])["To"] == "ada@example.org"
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2
    assert OutgoingMail.objects.get().event == event
