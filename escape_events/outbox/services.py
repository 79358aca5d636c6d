"""Storing mails and delivering them: claim one due mail (SKIP LOCKED, with a lease), write it if
it was stored as facts, hand it to the delivery mailer, then mark it sent, or schedule a retry
with backoff, or give up visibly."""

import contextlib
import email.policy
import hashlib
import random
import smtplib
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import DatabaseError, transaction
from django.db import connection as database
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .messages import StoredMessage
from .models import OutgoingMail
from .signals import mail_undelivered

ERROR_MAX_CHARS = 2000


def _message_id(key: str) -> str:
    domain = settings.CALENDAR_UID_DOMAIN or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def _new_key() -> str:
    return f"mail:{uuid.uuid4().hex}"


def _wire(message: EmailMessage, key: str) -> bytes:
    # The Message-ID follows the key: were a mail ever sent twice (the worker died after the SMTP
    # server took it, before it was marked sent), mail clients show it once.
    message.extra_headers.setdefault("Message-ID", _message_id(key))
    return message.message(policy=email.policy.SMTP).as_bytes()


def store(messages) -> int:
    """Put the messages in the outbox, in the caller's transaction: they exist if it commits."""
    rows = []
    for message in messages:
        recipients = list(message.recipients())
        if not recipients:
            continue
        key = _new_key()
        rows.append(
            OutgoingMail(
                key=key,
                event_id=getattr(message, "event_id", None),
                from_email=message.from_email,
                recipients=recipients,
                subject=str(message.subject),
                message=_wire(message, key),
                # A scheduled mail waits in the queue until its time, like a retry does.
                next_attempt_at=getattr(message, "send_at", None) or timezone.now(),
            )
        )
    OutgoingMail.objects.bulk_create(rows)
    return len(rows)


def send_written_later(
    *,
    composer: Callable[..., EmailMessage | None],
    facts: dict,
    to: str,
    subject: str,
    event_id: int | None = None,
) -> None:
    """Send the mail `composer(**facts)` writes. With the outbox, only the facts are stored now,
    in the caller's transaction, and the worker writes the mail: a change that holds a lock (a
    registration, its event's) commits without waiting for templates, calendars and images.
    Any other mailer (development, tests) gets the mail written and sent at once."""
    if not getattr(mailers.default, "stores_in_outbox", False):
        if message := composer(**facts):
            message.send()
        return
    OutgoingMail.objects.create(
        key=_new_key(),
        event_id=event_id,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipients=[to],
        subject=subject,
        message=b"",
        composer=f"{composer.__module__}.{composer.__qualname__}",
        facts=facts,
    )


class NobodyToWriteTo(Exception):
    """The composer found no one to send the mail to any more (the account was deleted)."""


def _write(mail: OutgoingMail) -> None:
    """Write a mail stored as facts, once: the bytes are kept, so a retry sends the same mail."""
    message = import_string(mail.composer)(**mail.facts)
    if message is None:
        raise NobodyToWriteTo
    mail.message = _wire(message, mail.key)
    OutgoingMail.objects.filter(
        pk=mail.pk, status=OutgoingMail.Status.SENDING, attempts=mail.attempts
    ).update(message=mail.message)


def claim_due_mail() -> OutgoingMail | None:
    """Take the next mail that is due, or whose sender died (lease expired), for this worker.

    Other workers skip the locked row, so each mail has one sender at a time."""
    while True:
        now = timezone.now()
        with transaction.atomic():
            mail = (
                OutgoingMail.objects.select_for_update(skip_locked=True)
                .filter(
                    Q(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now)
                    | Q(status=OutgoingMail.Status.SENDING, lease_expires_at__lte=now)
                )
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if mail is None:
                return None
            if mail.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                _give_up(mail, "The worker sending it stopped (killed or crashed) on the last try.")
                continue
            mail.status = OutgoingMail.Status.SENDING
            mail.attempts += 1
            mail.lease_expires_at = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
            mail.save(update_fields=["status", "attempts", "lease_expires_at"])
            return mail


@dataclass
class Outcome:
    sent: bool
    retry: bool
    error: str = ""


def _classify(error: Exception) -> Outcome:
    """SMTP 5xx (bad address, refused, too big) will not get better by waiting; a timeout, a
    dropped connection, a 4xx or a login refused (the operator fixes it) may."""
    text = f"{type(error).__name__}: {error}"[:ERROR_MAX_CHARS]
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return Outcome(sent=False, retry=True, error=text)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return Outcome(sent=False, retry=any(code < 500 for code in codes), error=text)
    if isinstance(error, smtplib.SMTPResponseException):
        return Outcome(sent=False, retry=error.smtp_code < 500, error=text)
    if isinstance(error, ValueError):  # an address that cannot be sent to at all
        return Outcome(sent=False, retry=False, error=text)
    return Outcome(sent=False, retry=True, error=text)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter: base, 2x, 4x ... capped, so a mail server that is down
    for an hour is not hammered and every mail still gets its bounded number of tries."""
    seconds = min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 (not security)


def _give_up(mail: OutgoingMail, error: str) -> None:
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=OutgoingMail.Status.FAILED, lease_expires_at=None, last_error=error
    )
    _announce_undelivered(mail, error)


def _announce_undelivered(mail: OutgoingMail, error: str) -> None:
    """Tell who listens (organisers' notifications) once the failure is stored."""
    mail.status, mail.last_error = OutgoingMail.Status.FAILED, error
    transaction.on_commit(lambda: mail_undelivered.send(sender=OutgoingMail, mail=mail))


class LeaseHeartbeat(threading.Thread):
    """Renews a claimed mail's lease every third of OUTBOX_LEASE_SECONDS while it is written
    and sent: a live worker keeps its mail however long the SMTP server takes, so the lease can
    be short and a dead worker's mail is taken over within it."""

    def __init__(self, mail: OutgoingMail):
        super().__init__(name=f"outbox-lease-{mail.pk}", daemon=True)
        self.mail = mail
        self.stopped = threading.Event()

    def run(self):
        lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        try:
            while not self.stopped.wait(lease.total_seconds() / 3):
                try:
                    OutgoingMail.objects.filter(
                        pk=self.mail.pk,
                        status=OutgoingMail.Status.SENDING,
                        attempts=self.mail.attempts,
                    ).update(lease_expires_at=timezone.now() + lease)
                except DatabaseError:
                    # The database is away: the lease may run out and another worker take the
                    # mail (a possible duplicate, under the same Message-ID); try again next beat.
                    database.close()
        finally:
            database.close()  # this thread's own connection

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.join()


def send_claimed(mail: OutgoingMail, delivery) -> Outcome:
    """Hand one claimed mail to the open delivery connection and record what happened."""
    try:
        with LeaseHeartbeat(mail):
            if not mail.message:
                _write(mail)
            delivery.open()  # reuses the session the previous mail opened
            sent = delivery.send_messages([StoredMessage(mail)])
    except NobodyToWriteTo:
        # The person left meanwhile: their address goes with them, and nothing is undelivered.
        OutgoingMail.objects.filter(
            pk=mail.pk, status=OutgoingMail.Status.SENDING, attempts=mail.attempts
        ).delete()
        return Outcome(sent=False, retry=False, error="Nobody to write to any more.")
    except Exception as error:  # every failure is recorded on the mail
        outcome = _classify(error)
    else:
        outcome = Outcome(sent=bool(sent), retry=False, error="" if sent else "Nothing sent.")
    # Only the attempt that holds the lease records its result.
    current = OutgoingMail.objects.filter(
        pk=mail.pk, status=OutgoingMail.Status.SENDING, attempts=mail.attempts
    )
    if outcome.sent:
        current.update(
            status=OutgoingMail.Status.SENT,
            sent_at=timezone.now(),
            lease_expires_at=None,
            last_error="",
            message=b"",
            facts={},
        )
    elif outcome.retry and mail.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        current.update(
            status=OutgoingMail.Status.QUEUED,
            next_attempt_at=timezone.now() + retry_delay(mail.attempts),
            lease_expires_at=None,
            last_error=outcome.error,
        )
    elif current.update(
        status=OutgoingMail.Status.FAILED, lease_expires_at=None, last_error=outcome.error
    ):
        _announce_undelivered(mail, outcome.error)
    return outcome


def deliver_due(*, limit: int | None = None) -> int:
    """Deliver mails until none is due (or `limit` were tried) over one SMTP connection."""
    connection = mailers[settings.OUTBOX_MAILER]
    tried = 0
    try:
        while limit is None or tried < limit:
            mail = claim_due_mail()
            if mail is None:
                break
            tried += 1
            if not send_claimed(mail, connection).sent:
                _close(connection)  # a timed-out or refused session is not reused
    finally:
        _close(connection)
    return tried


def _close(connection) -> None:
    # The session may be dead already; the next mail opens a new one.
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()


def retry(*, mail: OutgoingMail) -> None:
    """An organiser or admin asks for one more round of attempts (e.g. after fixing an address)."""
    OutgoingMail.objects.filter(pk=mail.pk, status=OutgoingMail.Status.FAILED).update(
        status=OutgoingMail.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )


def prune_delivered(*, older_than: timedelta) -> int:
    """Forget sent mails after a while: the rows hold addresses (personal data). Failed mails
    stay until dealt with."""
    cutoff = timezone.now() - older_than
    deleted, _ = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted
