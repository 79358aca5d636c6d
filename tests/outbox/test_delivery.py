"""The outbox: mails are stored with the transaction that caused them and delivered exactly once,
retried with backoff when the mail server stalls or is down, and given up visibly."""

from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from escape_events.outbox import services
from escape_events.outbox.messages import EventMail
from escape_events.outbox.models import OutgoingMail

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox_locmem(settings):
    settings.MAILERS = {
        "default": {"BACKEND": "escape_events.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


def send(subject="Your registration", to="ada@example.org", **kwargs):
    return EmailMessage(subject=subject, body="You have a seat.", to=[to], **kwargs).send()


def test_a_mail_of_a_rolled_back_transaction_is_never_stored(outbox_locmem):
    with pytest.raises(RuntimeError), transaction.atomic():
        send()
        raise RuntimeError("the registration failed")
    assert not OutgoingMail.objects.exists()
    assert services.deliver_due() == 0 and mail.outbox == []


def test_a_stored_mail_is_delivered_once(outbox_locmem):
    send()
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.QUEUED and mail.outbox == []

    assert services.deliver_due() == 1
    assert services.deliver_due() == 0  # nothing left: a second pass sends nothing
    (delivered,) = mail.outbox
    assert delivered.to == ["ada@example.org"]
    wire = delivered.message()
    assert wire["Subject"] == "Your registration" and "You have a seat." in wire.get_content()
    stored.refresh_from_db()
    assert stored.status == OutgoingMail.Status.SENT and stored.sent_at is not None
    assert bytes(stored.message) == b""  # the body is not kept once delivered


def test_each_mail_is_its_own_row_with_a_message_id_of_its_own(outbox_locmem):
    """The same text sent twice (two changes) stays two mails; each keeps its Message-ID."""
    send(to="grace@example.org")
    send(to="grace@example.org")
    rows = list(OutgoingMail.objects.all())
    stored_ids = [message_from_bytes(bytes(row.message))["Message-ID"] for row in rows]
    assert len(rows) == 2 and len(set(stored_ids)) == 2
    assert stored_ids == [services._message_id(row.key) for row in rows]


WRITTEN = []


def confirmation(*, name: str, seat: int) -> EmailMessage | None:
    """A composer as registrations has them: writes the mail from the stored facts."""
    WRITTEN.append(name)
    if name == "gone":
        return None
    if name == "broken":
        raise LookupError("the template is missing")
    return EmailMessage(subject=f"Seat {seat}", body=f"{name}, seat {seat} is yours.", to=[name])


def send_later(name: str):
    WRITTEN.clear()
    services.send_written_later(
        composer=confirmation, facts={"name": name, "seat": 10}, to=name, subject="Seat 10"
    )


def test_a_mail_stored_as_facts_is_written_by_the_worker_once(outbox_locmem):
    send_later("ada@example.org")
    stored = OutgoingMail.objects.get()
    assert bytes(stored.message) == b"" and WRITTEN == []  # nothing rendered in the transaction

    assert services.deliver_due() == 1
    (delivered,) = mail.outbox
    assert delivered.to == ["ada@example.org"] and WRITTEN == ["ada@example.org"]
    wire = delivered.message()
    assert wire["Subject"] == "Seat 10" and wire["Message-ID"] == services._message_id(stored.key)
    assert "seat 10 is yours" in wire.get_content()
    stored.refresh_from_db()
    assert (bytes(stored.message), stored.facts) == (b"", {})  # nothing kept once delivered


def test_a_mail_whose_writing_fails_is_retried_and_then_given_up_visibly(outbox_locmem, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    send_later("broken")
    for _ in range(2):
        OutgoingMail.objects.update(next_attempt_at=timezone.now())
        assert services.deliver_due() == 1
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.FAILED
    assert "template is missing" in stored.last_error
    assert WRITTEN == ["broken", "broken"] and mail.outbox == []


def test_a_mail_to_someone_who_left_is_dropped_with_their_address(outbox_locmem):
    send_later("gone")
    assert services.deliver_due() == 1
    assert not OutgoingMail.objects.exists() and mail.outbox == []


def test_without_the_outbox_the_mail_is_written_and_sent_at_once():
    send_later("ada@example.org")
    (sent,) = mail.outbox
    assert sent.subject == "Seat 10" and not OutgoingMail.objects.exists()


def test_organisers_mails_carry_their_event(outbox_locmem, make_event):
    event = make_event()
    EventMail(subject="Agenda", body="See you", to=["ada@example.org"], event_id=event.pk).send()
    assert OutgoingMail.objects.get().event == event


def test_a_stalled_mail_server_times_out_and_the_mail_is_sent_once_later(
    smtp_server, outbox_to, settings
):
    stalled = smtp_server(stall=True)
    outbox_to(stalled.port, timeout=1)
    send()
    assert services.deliver_due() == 1
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.QUEUED and stored.attempts == 1
    assert "timed out" in stored.last_error
    retry_in = stored.next_attempt_at - timezone.now()
    base = timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS)
    assert 0.7 * base < retry_in <= 1.2 * base  # backoff, not an immediate hammering
    assert services.deliver_due() == 0  # not due yet
    assert stalled.handler.stalled == 1

    working = smtp_server()
    outbox_to(working.port)
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert services.deliver_due() == 1
    assert services.deliver_due() == 0
    (received,) = working.handler.messages
    assert message_from_bytes(received)["Message-ID"] == services._message_id(stored.key)
    stored.refresh_from_db()
    assert stored.status == OutgoingMail.Status.SENT and stored.attempts == 2


def test_waits_grow_between_tries(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    waits = [services.retry_delay(attempt).total_seconds() for attempt in range(1, 9)]
    assert 24 <= waits[0] <= 36 and 48 <= waits[1] <= 72
    assert all(wait <= 3600 * 1.2 for wait in waits)
    assert waits[6] > waits[2]


def test_a_refused_address_fails_at_once_and_visibly(smtp_server, outbox_to):
    refusing = smtp_server(refuse=True)
    outbox_to(refusing.port)
    send(to="nobody@example.org")
    services.deliver_due()
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.FAILED and stored.attempts == 1
    assert "550" in stored.last_error


def test_a_server_that_stays_down_gets_bounded_tries_then_the_mail_is_marked_failed(
    settings, outbox_to
):
    from tests.outbox.conftest import free_port

    settings.OUTBOX_MAX_ATTEMPTS = 3
    outbox_to(free_port())  # nothing listens: connection refused
    send()
    for _ in range(5):
        OutgoingMail.objects.exclude(status=OutgoingMail.Status.FAILED).update(
            next_attempt_at=timezone.now()
        )
        services.deliver_due()
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.FAILED and stored.attempts == 3
    assert "refused" in stored.last_error.lower()

    services.retry(mail=stored)  # an organiser or admin asks for another round
    stored.refresh_from_db()
    assert stored.status == OutgoingMail.Status.QUEUED and stored.attempts == 0


def test_a_mail_whose_sender_died_is_taken_over_after_its_lease(outbox_locmem):
    send()
    claimed = services.claim_due_mail()  # this worker is then killed
    assert claimed.status == OutgoingMail.Status.SENDING
    assert services.claim_due_mail() is None  # the lease holds: nobody else sends it
    OutgoingMail.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert services.deliver_due() == 1
    assert len(mail.outbox) == 1
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.SENT and stored.attempts == 2


def test_a_lost_sender_on_the_last_try_ends_failed(outbox_locmem, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    send()
    services.claim_due_mail()
    OutgoingMail.objects.update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert services.deliver_due() == 0
    stored = OutgoingMail.objects.get()
    assert stored.status == OutgoingMail.Status.FAILED and "stopped" in stored.last_error
    assert mail.outbox == []


def test_sent_mails_are_forgotten_after_the_retention_time_failed_ones_stay(outbox_locmem):
    from django.core.management import call_command

    for to in ("old@example.org", "new@example.org", "failed@example.org"):
        send(to=to)
    services.deliver_due()
    OutgoingMail.objects.filter(recipients=["old@example.org"]).update(
        sent_at=timezone.now() - timedelta(days=31)
    )
    OutgoingMail.objects.filter(recipients=["failed@example.org"]).update(
        status=OutgoingMail.Status.FAILED, sent_at=None
    )
    call_command("prune_outbox", days=30)
    call_command("prune_outbox", days=30)  # twice: nothing more, no error
    assert sorted(mail.recipients[0] for mail in OutgoingMail.objects.all()) == [
        "failed@example.org",
        "new@example.org",
    ]
