"""Message classes the outbox knows: a mail tagged with its event, and a stored mail as sent."""

import email
import email.policy

from django.core.mail import EmailMessage, EmailMultiAlternatives


class EventMail(EmailMultiAlternatives):
    """A mail about one event: if it cannot be delivered, the event's organisers see it."""

    def __init__(self, *args, event_id: int | None = None, send_at=None, **kwargs):
        """`send_at`: not before this moment (the outbox holds it until then; None: at once)."""
        super().__init__(*args, **kwargs)
        self.event_id = event_id
        self.send_at = send_at


class StoredMessage(EmailMessage):
    """An outbox row as the delivery mailer expects a message: the stored bytes, as they are."""

    def __init__(self, mail):
        super().__init__(subject=mail.subject, from_email=mail.from_email, to=mail.recipients)
        self._raw = bytes(mail.message)

    def message(self, *, policy=email.policy.default):
        return email.message_from_bytes(self._raw, policy=policy)
