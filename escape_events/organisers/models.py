"""What organisers did with participant data: exports taken and messages sent (an audit trail)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from escape_events.events.models import Attachment, Event
from escape_events.registrations.models import Registration

MESSAGE_SUBJECT_MAX = 200
MESSAGE_BODY_MAX = 20_000
MESSAGE_RECIPIENTS_MAX = 2_000
# Attachments travel in every mail, and the outbox keeps each mail until it is sent: at most this
# much per mail, and this much over all the mails of one message.
MESSAGE_ATTACHMENTS_MAX_BYTES = 5 * 1024 * 1024
MESSAGE_ATTACHMENTS_VOLUME_MAX = 500 * 1024 * 1024


class ExportLog(models.Model):
    """One download of a participant list: who took which data, when, how many rows went out.

    Logged when the download starts, and again when it ends: a download cut off keeps no
    completion time and counts only the rows sent."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV (Excel, UTF-8)"
        XLSX = "xlsx", "Excel (.xlsx)"
        JSON = "json", "JSON"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="export_logs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the download started.")
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last byte went out; empty: cut off."
    )
    format = models.CharField(max_length=10, choices=Format.choices)
    rows = models.PositiveIntegerField(help_text="Rows sent (all of them once completed).")
    columns = models.JSONField(default=list)
    filters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        state = "" if self.completed_at else ", interrupted"
        return f"{self.get_format_display()} export of {self.rows} rows{state} ({self.event})"


class ParticipantMessage(models.Model):
    """An e-mail from organisers to the participants a filter selected, sent in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participant_messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=MESSAGE_SUBJECT_MAX)
    body = models.TextField()
    filters = models.JSONField(default=dict, blank=True)
    recipients = models.ManyToManyField(Registration, related_name="+")
    recipient_count = models.PositiveIntegerField()
    sent_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    failure = models.CharField(
        max_length=500, blank=True, help_text="Why some mails could not be sent, if any."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attachments = models.ManyToManyField(
        Attachment,
        blank=True,
        related_name="+",
        help_text="Files of the event (its Files page) sent with every mail of the message.",
    )
    send_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Scheduled: the mail worker delivers it from then on (empty: at once).",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MESSAGE_BODY_MAX),
                name="participant_message_body_size",
            ),
            models.CheckConstraint(
                condition=Q(recipient_count__lte=MESSAGE_RECIPIENTS_MAX)
                & Q(sent_count__lte=models.F("recipient_count")),
                name="participant_message_recipient_limits",
            ),
        ]

    def __str__(self):
        return f"{self.subject} ({self.event})"


class Happening(models.TextChoices):
    """What organisers may ask to be told about."""

    REGISTERED = "registered", "New registration"
    CANCELLED = "cancelled", "Cancellation"
    PROMOTED = "promoted", "Promotion from the waiting list"
    WAITING = "waiting", "Someone joins a waiting list"
    IMPORTED = "imported", "An import of participants is done"
    UNDELIVERED = "undelivered", "A mail could not be delivered"


def all_happenings() -> list[str]:
    return list(Happening.values)


class NotificationSettings(models.Model):
    """Who among the organisers hears what happens at one event, and how often.

    Without a row nobody is written to: organisers turn notifications on on the event's page."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", "One mail per happening, at once"
        DAILY = "daily", "One daily digest"

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="notification_settings"
    )
    all_organisers = models.BooleanField(
        "every organiser of the event (and of its series)", default=True
    )
    chosen_organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="When not every organiser: these ones.",
    )
    extra_addresses = models.JSONField(
        default=list, blank=True, help_text="Further addresses (a team list, a secretariat)."
    )
    happenings = models.JSONField(default=all_happenings)
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    class Meta:
        verbose_name = "notification settings"
        verbose_name_plural = "notification settings"

    def __str__(self):
        return f"Notifications for {self.event}"


class OrganiserNotice(models.Model):
    """One happening told to one recipient: the row is the claim, so a retried or repeated
    report of the same happening (same `key`) mails each recipient once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organiser_notices")
    happening = models.CharField(max_length=12, choices=Happening.choices)
    key = models.CharField(max_length=200, help_text="Names the happening, e.g. registered:42.")
    recipient = models.EmailField()
    text = models.TextField(help_text="What happened, in one or two sentences.")
    created_at = models.DateTimeField()
    digest = models.BooleanField(default=False, help_text="Waits for the daily digest.")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient"], name="organiser_notice_once_per_recipient"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="organiser_notice_digest_idx",
                condition=Q(digest=True, sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.get_happening_display()} at {self.event} for {self.recipient}"
