"""Every mail the site sends, stored in the same transaction as the change it reports, until an
SMTP server has taken it (or it failed visibly after bounded retries)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escape_events.events.models import Event


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    # The mail's own name, which its Message-ID follows (the same on every attempt).
    key = models.CharField(max_length=200, unique=True)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="outgoing_mails"
    )
    from_email = models.TextField()
    recipients = models.JSONField()
    subject = models.TextField(blank=True)
    # The message as it goes on the wire; emptied once sent (the row and its key stay).
    message = models.BinaryField()
    # A mail stored before it is written (its change holds a lock that rendering would lengthen):
    # the function that writes it and what it is told. The worker writes it on the first try and
    # keeps the bytes, so every further try sends the same message; the facts go once it is sent.
    composer = models.CharField(max_length=200, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While SENDING: when another worker may assume this one died and send it again.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=Q(status__in=["queued", "sending"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sending", lease_expires_at__isnull=False)
                | (~Q(status="sending") & Q(lease_expires_at__isnull=True)),
                name="outbox_lease_only_while_sending",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.recipients)} ({self.get_status_display()})"
