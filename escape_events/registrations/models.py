"""Registration for events: settings per event, questions, registrations and their answers."""

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from escape_events.accounts.models import PrivacyNotice
from escape_events.events.models import Event, Series


def new_check_in_code() -> str:
    """Unguessable code printed as a QR code on the ticket; 128 bits of randomness."""
    return secrets.token_urlsafe(16)


class RegistrationSettings(models.Model):
    """How people register for one event: window, modes, capacities, approval, restrictions."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="registration_settings"
    )
    registration_required = models.BooleanField(default=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty: open until the event starts.")
    )
    allow_onsite = models.BooleanField(_("on-site attendance"), default=True)
    allow_remote = models.BooleanField(_("remote attendance"), default=True)
    onsite_capacity = models.PositiveIntegerField(
        _("on-site seats"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    remote_capacity = models.PositiveIntegerField(
        _("remote places"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    needs_approval = models.BooleanField(default=False)
    cancellation_deadline = models.DateTimeField(
        null=True, blank=True, help_text=_("Empty: attendees may cancel until the event starts.")
    )
    modification_deadline = models.DateTimeField(
        _("attendees may change their registration until"),
        null=True,
        blank=True,
        help_text=_("Empty: until registration closes."),
    )
    restricted_to_groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="restricted_registration_settings",
        help_text=_("Only members of one of these groups may register. Empty: everyone."),
    )
    public_participant_list = models.BooleanField(
        default=False, help_text=_("Show consenting participants on the event page.")
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep registration data for (months after the event)"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: the site's period (REGISTRATION_RETENTION_MONTHS). Organisers may only "
            "shorten it."
        ),
    )

    class Meta:
        verbose_name = "registration settings"
        verbose_name_plural = "registration settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(allow_onsite=True) | Q(allow_remote=True),
                name="registration_settings_some_mode_allowed",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="registration_settings_closes_after_opening",
            ),
        ]

    def __str__(self):
        return f"Registration for {self.event}"

    def capacity_for(self, mode: str) -> int | None:
        """Seats for a mode; None means unlimited."""
        if mode == Registration.Mode.ONSITE:
            return self.onsite_capacity
        return self.remote_capacity

    def allows(self, mode: str) -> bool:
        if mode == Registration.Mode.ONSITE:
            return self.allow_onsite
        if mode == Registration.Mode.REMOTE:
            return self.allow_remote
        return False


class QuestionDefinition(models.Model):
    """What a question asks and how its answer is checked, shared by an event's questions and the
    organiser's question library (registrations.question_kinds knows each kind)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", _("Whole number")
        DATE = "date", _("Date")
        COUNTRY = "country", _("Country")
        EMAIL = "email", _("E-mail address")
        URL = "url", _("Web address (URL)")
        SINGLE_CHOICE = "single_choice", _("One choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
        YES_NO = "yes_no", _("Yes / no")
        SECTION = "section", _("Section heading (asks nothing)")

    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(
        default=list, blank=True, help_text=_("For choice questions: the list of options.")
    )
    help_text = models.CharField(
        max_length=500, blank=True, help_text=_("Shown under the question (or the heading).")
    )
    min_value = models.IntegerField(
        _("smallest number"), null=True, blank=True, help_text=_("For numbers. Empty: no limit.")
    )
    max_value = models.IntegerField(
        _("largest number"), null=True, blank=True, help_text=_("For numbers. Empty: no limit.")
    )

    # The fields that make two questions the same question (the library copies them).
    DEFINITION_FIELDS = ("label", "kind", "choices", "help_text", "min_value", "max_value")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="%(class)s_min_not_above_max",
            ),
        ]

    def __str__(self):
        return self.label


class LibraryQuestion(QuestionDefinition):
    """A question an organiser keeps to ask at several events ("Experiment / ESFRI"): events
    that pick it ask it identically, so a joint form of co-located events asks it once."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_questions"
    )
    required = models.BooleanField(default=False, help_text=_("Suggested for the events."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(QuestionDefinition.Meta):
        ordering = ["owner", "label", "pk"]
        constraints = [
            *QuestionDefinition.Meta.constraints,
            models.UniqueConstraint(
                fields=["owner", "label"], name="library_question_label_once_per_owner"
            ),
        ]


class Question(QuestionDefinition):
    """A question asked when registering: affiliation, experiment, "do you have a SWAN account?".

    A section heading is a row of its own (kind SECTION) that asks nothing. A conditional
    question is shown and required only when the earlier question `shown_if` was answered
    `shown_if_value` (for several choices: among them)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    required = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    option_limits = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("For choice questions: option -> how many people may pick it."),
    )
    shown_if = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("only if the answer to"),
    )
    # Translators: "only if the answer to [question] is [value]".
    shown_if_value = models.CharField(pgettext_lazy("condition", "is"), max_length=300, blank=True)
    library_question = models.ForeignKey(
        LibraryQuestion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uses",
        help_text=_("The library question this one was picked from."),
    )

    class Meta(QuestionDefinition.Meta):
        ordering = ["event", "position", "pk"]
        constraints = [
            *QuestionDefinition.Meta.constraints,
            models.CheckConstraint(
                condition=Q(shown_if__isnull=True) | ~Q(shown_if_value=""),
                name="question_condition_has_value",
            ),
        ]


class Registration(models.Model):
    """One person's place (or place in the queue) at an event, on-site or remote."""

    class Mode(models.TextChoices):
        ONSITE = "onsite", _("On-site")
        REMOTE = "remote", _("Remote")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("Waiting list")
        PENDING = "pending", _("Pending approval")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")

    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITING, Status.PENDING)
    # Statuses that hold a seat: capacity is counted over these rows.
    SEAT_STATUSES = (Status.CONFIRMED, Status.PENDING)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # Empty once the person's data were removed (retention purge or deleted account): the row
    # stays for the counts. PROTECT: deleting a person goes through
    # accounts.services.delete_account, which cancels their places (promoting the next in line)
    # before it lets go of the rows; a bare user.delete() is refused.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    mode = models.CharField(max_length=10, choices=Mode.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    consent_to_list = models.BooleanField(_("appear in the participant list"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    waiting_since = models.DateTimeField(
        null=True, blank=True, help_text=_("When this person joined the waiting list (its order).")
    )
    waiting_for_mode = models.CharField(
        max_length=10,
        choices=Mode.choices,
        blank=True,
        help_text=_("Holds a place in `mode` and waits (since waiting_since) for this mode."),
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    check_in_code = models.CharField(
        max_length=32, unique=True, default=new_check_in_code, editable=False
    )
    privacy_notice = models.ForeignKey(
        PrivacyNotice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The version of the privacy notice the person accepted when registering."),
    )
    note = models.TextField(
        _("organisers' note"),
        blank=True,
        help_text=_("Seen by the organisers only, never the person."),
    )
    tags = models.ManyToManyField("RegistrationTag", blank=True, related_name="registrations")

    class Meta:
        ordering = ["event", "created_at", "pk"]
        indexes = [
            models.Index(fields=["event", "mode", "status"]),
            models.Index(fields=["event", "mode", "waiting_since"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["confirmed", "waiting", "pending"]),
                name="registration_one_active_per_user_and_event",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_since__isnull=False),
                name="registration_waiting_has_waiting_since",
            ),
            models.CheckConstraint(
                condition=Q(waiting_for_mode="")
                | (Q(waiting_since__isnull=False) & ~Q(waiting_for_mode=F("mode"))),
                name="registration_waits_for_other_mode",
            ),
        ]

    def __str__(self):
        return (
            f"{self.person} at {self.event} ({self.get_mode_display()}, "
            f"{self.get_status_display()})"
        )

    HISTORY_FIELDS = ("status", "mode", "waiting_for_mode")

    def history_state(self) -> tuple[str, str, str]:
        return (self.status, self.mode, self.waiting_for_mode)

    @property
    def person(self) -> str:
        """Who registered, or a plain word once their data were removed."""
        return str(self.user) if self.user_id else "Removed person"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def joins_remotely(self) -> bool:
        """Whether the registration carries the link to join remotely (`rules.sees_remote_link`):
        someone waiting, awaiting approval or holding a seat in the room does not get it."""
        return self.status == self.Status.CONFIRMED and self.mode == self.Mode.REMOTE


class StatusChange(models.Model):
    """One step in a registration's history: its status, mode and waiting line from `at` on.

    Recorded whenever a registration row is saved with a new state (registrations.receivers),
    so no write path can forget it; shown to the person in their data export."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Registration.Status.choices)
    mode = models.CharField(max_length=10, choices=Registration.Mode.choices)
    waiting_for_mode = models.CharField(
        max_length=10, choices=Registration.Mode.choices, blank=True
    )

    class Meta:
        ordering = ["registration", "at", "pk"]

    def __str__(self):
        return (
            f"{self.get_status_display()} ({self.get_mode_display()}) at {self.at:%Y-%m-%d %H:%M}"
        )


class RegistrationTag(models.Model):
    """A label organisers put on registrants of one event ("speaker", "needs visa letter")."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registration_tags")
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["event", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"], name="registration_tag_once_per_event"
            )
        ]

    def __str__(self):
        return self.name


class RegistrationChange(models.Model):
    """One change made to a registration after it was made: who, when, and what changed.

    `changes` is a list of {"field", "before", "after"} in words people read (answers under the
    question's label), written by registrations.services.modifying; status changes caused by
    others (promotion) stay in StatusChange."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_organiser = models.BooleanField(default=False)
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["registration", "-at", "-pk"]

    def __str__(self):
        who = "an organiser" if self.by_organiser else "the person"
        fields = ", ".join(item["field"] for item in self.changes)
        return f"{fields} changed by {who} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def public_changes(self) -> list[dict]:
        """What the person is shown and mailed: all but the organisers' note and tags."""
        return [item for item in self.changes if not item.get("private")]


class RegistrationPurge(models.Model):
    """The retention purge of one event happened: its registrations kept only what counts.

    The one-per-event constraint is also the claim: two purge jobs running at once (on two
    machines) cannot both purge the same event."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="purge")
    purged_at = models.DateTimeField()
    registrations = models.PositiveIntegerField(
        help_text=_("Registrations whose person was removed.")
    )
    answers = models.PositiveIntegerField(help_text=_("Answers deleted."))

    class Meta:
        ordering = ["-purged_at"]

    def __str__(self):
        return f"Registration data of {self.event} purged on {self.purged_at:%Y-%m-%d}"


class Answer(models.Model):
    """An attendee's answer to one question; choices are stored as their text, one per line."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="answer_one_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"


class SeriesFollower(models.Model):
    """Someone who follows a meeting series: reminded before each meeting, shown its join link.

    Meetings of a series usually take no registration, so following is how people say "I come"."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_series"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["series", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "user"], name="series_follower_once")
        ]

    def __str__(self):
        return f"{self.user} follows {self.series}"


# Minutes before the start; what an organiser may pick, and what applies until they do.
REMINDER_CHOICES = [
    (10080, _("1 week before")),
    (2880, _("2 days before")),
    (1440, _("1 day before")),
    (180, _("3 hours before")),
    (60, _("1 hour before")),
    (15, _("15 minutes before")),
]
DEFAULT_REMINDERS = [1440, 60]
REMINDER_NOTE_MAX = 2_000


def default_reminders() -> list[int]:
    return list(DEFAULT_REMINDERS)


class ReminderPlan(models.Model):
    """When reminders go out before one event, or before each meeting of a series (an opened
    meeting with a plan of its own follows that one). Without a plan: one day and one hour."""

    event = models.OneToOneField(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="reminder_plan"
    )
    series = models.OneToOneField(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="reminder_plan"
    )
    minutes_before = models.JSONField(
        default=default_reminders,
        blank=True,
        help_text=_("Minutes before the start, e.g. [1440, 60]; empty: no reminders."),
    )
    note = models.TextField(
        blank=True,
        max_length=REMINDER_NOTE_MAX,
        help_text=_("The organisers' own paragraph in every reminder, e.g. what to bring."),
    )
    include_agenda = models.BooleanField(
        default=False, help_text=_("The agenda as text in the reminder.")
    )
    include_calendar = models.BooleanField(
        default=False, help_text=_("The event as an .ics file attached to the reminder.")
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, series__isnull=True)
                | Q(event__isnull=True, series__isnull=False),
                name="reminder_plan_for_event_or_series",
            )
        ]

    def __str__(self):
        return f"Reminders for {self.event or self.series}"


class SentReminder(models.Model):
    """One reminder to one person before one start of an event or a meeting of a series.

    The row is inserted (claimed) before the mail goes: the unique constraints let exactly one
    of two senders running at once, on one machine or two, have it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    recurrence_id = models.DateTimeField(
        null=True, blank=True, help_text=_("For a meeting of a series: its original start.")
    )
    starts_at = models.DateTimeField(help_text=_("The start it reminded of (a moved one is new)."))
    minutes_before = models.PositiveIntegerField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "starts_at", "minutes_before"],
                condition=Q(series__isnull=True),
                name="sent_reminder_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["user", "series", "recurrence_id", "starts_at", "minutes_before"],
                condition=Q(series__isnull=False),
                name="sent_reminder_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(series__isnull=True, recurrence_id__isnull=True, event__isnull=False)
                | Q(series__isnull=False, recurrence_id__isnull=False),
                name="sent_reminder_event_or_meeting",
            ),
        ]

    def __str__(self):
        return f"Reminder {self.minutes_before} min before {self.starts_at} to {self.user}"


class AttendanceDay(models.Model):
    """One day a registered person was there: checked in at the door, or present remotely as an
    organiser marked or the video-conference attendance list said. Certificates count these."""

    class Source(models.TextChoices):
        CHECK_IN = "check_in", _("Checked in at the door")
        ORGANISER = "organiser", _("Marked by an organiser")
        IMPORT = "import", _("Video-conference attendance list")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance_days"
    )
    day = models.DateField(help_text=_("The day of the event, in the event's own time zone."))
    source = models.CharField(max_length=10, choices=Source.choices)
    minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Minutes connected, when the attendance list says.")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["registration", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "day"], name="attendance_day_once_per_registration"
            ),
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__lte=24 * 60),
                name="attendance_day_minutes_within_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.registration.person} on {self.day:%Y-%m-%d} ({self.get_source_display()})"
