"""What organisers did with participant data (exports taken and messages sent, an audit trail),
and what they print: the badge and certificate design, certificates issued, PDFs made in the
background."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from escape_events.events.models import Attachment, Event
from escape_events.registrations.models import Question, Registration

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
        CSV = "csv", _("CSV (Excel, UTF-8)")
        XLSX = "xlsx", _("Excel (.xlsx)")
        JSON = "json", _("JSON")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="export_logs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text=_("When the download started."))
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the last byte went out; empty: cut off.")
    )
    format = models.CharField(max_length=10, choices=Format.choices)
    rows = models.PositiveIntegerField(help_text=_("Rows sent (all of them once completed)."))
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
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

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
        max_length=500, blank=True, help_text=_("Why some mails could not be sent, if any.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attachments = models.ManyToManyField(
        Attachment,
        blank=True,
        related_name="+",
        help_text=_("Files of the event (its Files page) sent with every mail of the message."),
    )
    send_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Scheduled: the mail worker delivers it from then on (empty: at once)."),
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

    REGISTERED = "registered", _("New registration")
    CANCELLED = "cancelled", _("Cancellation")
    PROMOTED = "promoted", _("Promotion from the waiting list")
    WAITING = "waiting", _("Someone joins a waiting list")
    IMPORTED = "imported", _("An import of participants is done")
    UNDELIVERED = "undelivered", _("A mail could not be delivered")


def all_happenings() -> list[str]:
    return list(Happening.values)


class NotificationSettings(models.Model):
    """Who among the organisers hears what happens at one event, and how often.

    Without a row nobody is written to: organisers turn notifications on on the event's page."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("One mail per happening, at once")
        DAILY = "daily", _("One daily digest")

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="notification_settings"
    )
    all_organisers = models.BooleanField(
        _("every organiser of the event (and of its series)"), default=True
    )
    chosen_organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text=_("When not every organiser: these ones."),
    )
    extra_addresses = models.JSONField(
        default=list, blank=True, help_text=_("Further addresses (a team list, a secretariat).")
    )
    happenings = models.JSONField(default=all_happenings)
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"Notifications for {self.event}"


class OrganiserNotice(models.Model):
    """One happening told to one recipient: the row is the claim, so a retried or repeated
    report of the same happening (same `key`) mails each recipient once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="organiser_notices")
    happening = models.CharField(max_length=12, choices=Happening.choices)
    key = models.CharField(max_length=200, help_text=_("Names the happening, e.g. registered:42."))
    recipient = models.EmailField()
    text = models.TextField(help_text=_("What happened, in one or two sentences."))
    created_at = models.DateTimeField()
    digest = models.BooleanField(default=False, help_text=_("Waits for the daily digest."))
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


COLOUR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Give a colour as # and six hex digits, e.g. #0b5c8a.")
)


class PrintDesign(models.Model):
    """How an event's badges and certificates look: the organiser picks a size and adjusts it."""

    class Layout(models.TextChoices):
        A4_EIGHT = "a4-8", _("8 badges on A4 (93 × 62 mm), cut along the lines")
        A6 = "a6", _("A6 for badge pouches (105 × 148 mm), one a page")
        CARD = "id1", _("Card, ISO ID-1 (85.6 × 54 mm), one a page")
        LABELS = "l7163", _("Labels, Avery L7163 (14 of 99.1 × 38.1 mm on A4)")

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="print_design")
    layout = models.CharField(max_length=10, choices=Layout.choices, default=Layout.A4_EIGHT)
    logo = models.FileField(upload_to="printouts/logos/%Y/%m/", blank=True)
    colour_organiser = models.CharField(max_length=7, default="#7a2e8c", validators=[COLOUR])
    colour_speaker = models.CharField(max_length=7, default="#b34700", validators=[COLOUR])
    colour_onsite = models.CharField(max_length=7, default="#0b5c8a", validators=[COLOUR])
    colour_remote = models.CharField(max_length=7, default="#2e7d32", validators=[COLOUR])
    show_affiliation = models.BooleanField(default=True)
    show_qr = models.BooleanField(_("show the check-in QR code"), default=True)
    questions = models.ManyToManyField(
        Question, blank=True, related_name="+", help_text=_("Answers shown on the badge.")
    )
    back_side = models.BooleanField(_("print a back side"), default=False)
    back_text = models.TextField(
        max_length=600,
        blank=True,
        help_text=_("Wi-Fi, the programme's address, an emergency number."),
    )
    signer = models.CharField(
        _("certificate signed by"),
        max_length=120,
        blank=True,
        help_text=_("A name under the line."),
    )
    signer_role = models.CharField(max_length=120, blank=True, help_text=_("E.g. “Chair, WP2”."))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Print design of {self.event} ({self.get_layout_display()})"


class Certificate(models.Model):
    """A certificate of attendance handed out, checkable at a public address.

    The address's token is derived from the secret key and `nonce` (so the PDF can be made
    again) and stored only as its digest (so a database leak reveals no valid address);
    revoking it makes the address say so, issuing again gives a new one."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="certificate"
    )
    nonce = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        state = ", revoked" if self.revoked_at else ""
        return f"Certificate for {self.registration.person} ({self.registration.event}{state})"


class PrintJob(models.Model):
    """A PDF made in the background (`make_printouts`), kept while its data stay the same.

    `fingerprint` digests everything the PDF shows; a request with the same fingerprint gets
    this file back, a change makes a new job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="print_jobs")
    kind = models.CharField(max_length=30)
    fingerprint = models.CharField(max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(help_text=_("People in the PDF."))
    done = models.PositiveIntegerField(default=0, help_text=_("People laid out so far."))
    file = models.FileField(upload_to="printouts/made/%Y/%m/", blank=True)
    # The language of the organiser who asked: the lists' headings are in it.
    language = models.CharField(max_length=10, blank=True, default="")
    failure = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["event", "kind", "fingerprint"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="print_job_done_within_total"
            )
        ]

    def __str__(self):
        return f"{self.kind} of {self.event} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
