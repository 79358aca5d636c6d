"""Processes killed with SIGKILL in the middle of their work, as real processes on PostgreSQL: a
mail worker killed mid-send leaves the mail to the next worker, which sends it once; a process
killed before its registration committed leaves neither the registration nor its mail."""

import os
import signal
import time
from datetime import timedelta
from email import message_from_bytes

import pytest
from allauth.account.models import EmailAddress
from django.core.mail import EmailMessage
from django.utils import timezone

from escape_events.outbox import services as outbox_services
from escape_events.outbox.models import OutgoingMail
from escape_events.registrations import services
from escape_events.registrations.models import Registration, RegistrationSettings

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


def test_a_live_worker_keeps_its_mail_past_the_lease_and_a_killed_ones_is_taken_within_it(
    smtp_server, outbox_to, start_process
):
    """The lease is renewed while a send runs: a second worker polling beside a slow send does
    not send the mail again, and once the sender is killed the mail moves on within a lease."""
    slow = smtp_server(stall=6)  # answers the end of the data after 6 s: three 2-s leases
    outbox_to(slow.port)
    EmailMessage(subject="Slow", body="Takes a while.", to=["ada@example.org"]).send()
    lease = {"EMAIL_TIMEOUT": "60", "OUTBOX_LEASE_SECONDS": "2"}
    first = start_process("deliver_mail", "--interval", "0.2", smtp_port=slow.port, **lease)
    wait_for(lambda: slow.handler.stalled == 1, what="the first worker to be in DATA")
    second = start_process("deliver_mail", "--interval", "0.2", smtp_port=slow.port, **lease)
    wait_for(lambda: len(slow.handler.messages) == 1, seconds=20, what="the slow send to end")
    wait_for(
        lambda: OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).exists(),
        what="the mail to be marked sent",
    )
    time.sleep(1)
    assert slow.handler.stalled == 1  # the second worker never started it again
    assert len(slow.handler.messages) == 1 and OutgoingMail.objects.get().attempts == 1
    kill(first)
    kill(second)

    stalled = smtp_server(stall=True)
    outbox_to(stalled.port)
    EmailMessage(subject="Stuck", body="Never answered.", to=["bob@example.org"]).send()
    stuck = OutgoingMail.objects.get(subject="Stuck")
    worker = start_process("deliver_mail", "--interval", "0.2", smtp_port=stalled.port, **lease)
    wait_for(lambda: stalled.handler.stalled == 1, what="the worker to be stuck in DATA")
    working = smtp_server()
    start_process("deliver_mail", "--interval", "0.2", smtp_port=working.port, **lease)
    time.sleep(6)  # three leases, with a second worker polling: still the first one's
    stuck.refresh_from_db()
    assert stuck.status == OutgoingMail.Status.SENDING and stuck.lease_expires_at > timezone.now()
    assert working.handler.messages == []
    kill(worker)
    killed_at = time.monotonic()
    wait_for(lambda: len(working.handler.messages) == 1, what="the other worker to send it")
    assert time.monotonic() - killed_at < 2 + 5  # a lease, plus a poll and a send on a busy machine
    stuck.refresh_from_db()
    assert stuck.status == OutgoingMail.Status.SENT and stuck.attempts == 2


def registrable_event_and_person(make_event, django_user_model):
    start = timezone.now() + timedelta(days=30)
    event = make_event(start=start, end=start + timedelta(hours=2))
    RegistrationSettings.objects.create(
        event=event, opens_at=timezone.now() - timedelta(days=1), onsite_capacity=10
    )
    person = django_user_model.objects.create_user(
        username="ada", email="ada@example.org", password="a-long-test-password"
    )
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return event, person


def test_a_confirmation_stored_with_its_registration_arrives_once_despite_a_killed_worker(
    smtp_server, outbox_to, start_process, make_event, django_user_model
):
    stalled = smtp_server(stall=True)
    outbox_to(stalled.port)
    event, person = registrable_event_and_person(make_event, django_user_model)
    services.register(event=event, user=person, mode=Registration.Mode.ONSITE)
    stored = OutgoingMail.objects.get()  # committed with the registration: no other queue
    assert stored.event == event and stored.recipients == [person.email]
    assert bytes(stored.message) == b""  # what it must say; the worker writes it

    worker = start_process(
        "deliver_mail", "--interval", "0.2", smtp_port=stalled.port,
        EMAIL_TIMEOUT="120", OUTBOX_LEASE_SECONDS="3",
    )  # fmt: skip
    wait_for(lambda: stalled.handler.stalled == 1, what="the worker to be stuck in DATA")
    kill(worker)

    working = smtp_server()
    start_process("deliver_mail", "--interval", "0.2", smtp_port=working.port)
    wait_for(lambda: len(working.handler.messages) == 1, what="the confirmation to arrive")
    time.sleep(1.5)
    (received,) = working.handler.messages
    message = message_from_bytes(received)
    stored.refresh_from_db()
    assert message["To"] == "ada@example.org" and stored.attempts == 2
    assert message["Message-ID"] == outbox_services._message_id(stored.key)
    attachments = sorted(part.get_filename() for part in message.walk() if part.get_filename())
    assert attachments == ["check-in-qr-code.png", f"{event.slug}.ics"]


def test_a_process_killed_before_its_registration_commits_leaves_no_mail(
    start_process, tmp_path, make_event, django_user_model
):
    event, person = registrable_event_and_person(make_event, django_user_model)
    script = f"""
import time
from django.contrib.auth import get_user_model
from django.db import transaction
from escape_events.events.models import Event
from escape_events.registrations import services

with transaction.atomic():
    services.register(
        event=Event.objects.get(pk={event.pk}),
        user=get_user_model().objects.get(pk={person.pk}),
        mode="onsite",
    )
    print("stored, not committed", flush=True)
    time.sleep(120)
"""
    process = start_process("shell", "-c", script, smtp_port=1)
    log = tmp_path / "shell-0.log"
    wait_for(lambda: b"not committed" in log.read_bytes(), what="the mail to be stored")
    kill(process)
    assert not Registration.objects.filter(event=event).exists()
    assert not OutgoingMail.objects.exists()
