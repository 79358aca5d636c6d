"""Events, meeting series and the places they happen."""

import zoneinfo
from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .recurrence_text import describe_rule, local_rule
from .when import clock_text, date_text

TIME_ZONE_CHOICES = sorted((name, name) for name in zoneinfo.available_timezones())
# A series has meetings from its first start until this far ahead of today. Beyond, a date is a
# typo or a probe: expanding the rule that far would cost seconds (or overflow near year 9999).
MEETINGS_AHEAD = timedelta(days=366 * 30)


def validate_rrule(value: str) -> None:
    """Accept only an RFC 5545 RRULE value, e.g. FREQ=MONTHLY;BYDAY=2WE,4WE, repeating at most
    daily (a meeting every hour or minute is a typo, and would make expansions huge)."""
    if not value or "\n" in value or value.upper().startswith(("RRULE", "DTSTART")):
        raise ValidationError(_("Give a recurrence rule such as FREQ=MONTHLY;BYDAY=2WE,4WE."))
    try:
        rrulestr(value, dtstart=datetime(2000, 1, 1), ignoretz=True)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            _("Not a valid recurrence rule: %(error)s") % {"error": error}
        ) from error
    parts = dict(part.split("=", 1) for part in value.upper().split(";") if "=" in part)
    if parts.get("FREQ") in {"HOURLY", "MINUTELY", "SECONDLY"}:
        raise ValidationError(_("Meetings repeat at most daily: use FREQ=DAILY or less often."))


def dated_title(title: str, local_start: datetime) -> str:
    """A meeting of a series shares its series' title: the date tells it apart, once, also when
    the stored title already carries it in the site's language ("…, 4 Sep 2019")."""
    day = date_text(local_start)
    with translation.override(settings.LANGUAGE_CODE):
        as_stored = date_text(local_start)
    return title if day in title or as_stored in title else f"{title}, {day}"


class Kind(models.TextChoices):
    MEETING = "meeting", pgettext_lazy("kind of event", "Meeting")
    HANDS_ON = "hands_on", pgettext_lazy("kind of event", "Hands-on / tutorial")
    WORKSHOP = "workshop", pgettext_lazy("kind of event", "Workshop")
    CODING_CAMP = "coding_camp", pgettext_lazy("kind of event", "Coding camp")
    LECTURE = "lecture", pgettext_lazy("kind of event", "Lecture")
    CONFERENCE = "conference", pgettext_lazy("kind of event", "Conference")


def reads_translations() -> bool:
    """Whether the reader's language is not the original's: only then do pages need the
    organisers' translations (pages in the site's language make no extra query)."""
    return (translation.get_language() or settings.LANGUAGE_CODE) != settings.LANGUAGE_CODE


def translation_languages() -> list[tuple[str, str]]:
    """The languages an event may be given in besides its original (the site's default)."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class Venue(models.Model):
    name = models.CharField(max_length=200)
    room = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "room"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["name", "room"], name="venue_unique_name_room"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="venue_coordinates_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.room}" if self.room else self.name

    @property
    def location_line(self) -> str:
        """One line for calendars and listings: name, room, address."""
        return ", ".join(part for part in (self.name, self.room, self.address) if part)


class Scheduling(models.Model):
    """What events and series share: where, how to join remotely, who to ask."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEETING)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    description_text = models.TextField(
        blank=True,
        editable=False,
        help_text=_("The description as plain text for calendars, stored with every write of it."),
    )
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="Europe/Zurich")
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.SET_NULL)
    online_url = models.URLField(
        _("online participation link"),
        blank=True,
        help_text=_("Shown only to remote registrants and organisers when registration is on."),
    )
    remote_note = models.CharField(
        _("note on remote participation"),
        max_length=300,
        blank=True,
        help_text=_('e.g. "Hands-on sessions are hard to follow remotely."'),
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    audience_note = models.CharField(max_length=300, blank=True)
    data_note = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("What in this entry is an assumed default rather than a known fact."),
    )
    is_listed = models.BooleanField(default=True, help_text=_("Shown on public pages and feeds."))
    sequence = models.PositiveIntegerField(
        default=0,
        help_text=_("Grows on every change calendars must notice (iCalendar SEQUENCE)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def translation_in(self, language: str | None = None):
        """The organiser's translation into `language` (default: the active one), or None.
        Reads `translations` through any prefetch, so a list that prefetched them makes no query;
        the site's default language never looks (the original is in it)."""
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        if language == settings.LANGUAGE_CODE:
            return None
        found = {item.language: item for item in self.translations.all()}
        return found.get(language) or found.get(language.split("-")[0])

    def title_in(self, language: str | None = None) -> str:
        """The title in `language` (default: the active one), or the original."""
        found = self.translation_in(language)
        return found.title if found and found.title else self.title

    def description_in(self, language: str | None = None) -> str:
        """The Markdown description in `language`, or the original."""
        found = self.translation_in(language)
        return found.description if found and found.description else self.description

    @property
    def localized_title(self) -> str:
        """For templates: `{{ event.localized_title }}`, in the reader's language."""
        return self.title_in()

    @property
    def localized_description(self) -> str:
        return self.description_in()


class Series(Scheduling):
    """A recurring meeting, stored as one rule; occurrences are computed, not stored."""

    first_start = models.DateTimeField(help_text=_("Start of the first meeting (DTSTART)."))
    duration = models.DurationField(default=timedelta(hours=1))
    rrule = models.CharField(
        _("recurrence rule"),
        max_length=300,
        validators=[validate_rrule],
        help_text=_("RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=2WE,4WE"),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_series"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gt=timedelta(0)), name="series_duration_positive"
            )
        ]

    def clean(self):
        if self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError({"time_zone": _("Unknown time zone.")})

    def rule(self):
        """The recurrence expanded on local wall-clock time, so 14:00 stays 14:00 across DST."""
        return local_rule(self.rrule, self.first_start.astimezone(self.zone))

    def describe_schedule(self) -> str:
        """E.g. '2nd and 4th Wednesday of each month, 14:00-15:30 CEST'."""
        start = self.first_start.astimezone(self.zone)
        end = start + self.duration
        # Translators: a series' schedule: "Every 2nd Wednesday of each month, 14:00-15:30
        # (Europe/Zurich)".
        return gettext("%(rule)s, %(start)s–%(end)s (%(zone)s)") % {
            "rule": describe_rule(self.rrule, start),
            "start": clock_text(start),
            "end": clock_text(end),
            "zone": self.time_zone,
        }

    def meeting_window(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """Where the rule is ever expanded: from the first start to MEETINGS_AHEAD from now."""
        return self.first_start, (now or timezone.now()) + MEETINGS_AHEAD

    def rule_includes(self, moment: datetime) -> bool:
        """Whether the rule itself yields this start (False for an extra date, an RDATE, and
        for any date outside the meeting window, without expanding the rule)."""
        first, last = self.meeting_window()
        if not first <= moment <= last:
            return False
        local = moment.astimezone(self.zone).replace(tzinfo=None)
        return self.rule().after(local - timedelta(seconds=1)) == local


class EventQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start")

    def past(self, now=None):
        return self.filter(end__lt=now or timezone.now()).order_by("-start")


class Event(Scheduling):
    """One happening with a start and an end; an occurrence of a series when `series` is set."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("event status", "Scheduled")
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")
        POSTPONED = "postponed", pgettext_lazy("event status", "Postponed")

    start = models.DateTimeField()
    end = models.DateTimeField(
        help_text=_("All-day events end at midnight after their last day (exclusive), local time.")
    )
    all_day = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="organised_events"
    )
    colocated_with = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        help_text=_('Events held alongside this one ("next to the Rucio coding camp").'),
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="occurrences"
    )
    recurrence_id = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("For a series occurrence: the start the rule gives it (RECURRENCE-ID)."),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        # updated_at: feeds read the newest edit for Last-Modified without scanning the table.
        indexes = [
            models.Index(fields=["start"]),
            models.Index(fields=["end"]),
            models.Index(fields=["updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(series__isnull=True, recurrence_id__isnull=True)
                | Q(series__isnull=False, recurrence_id__isnull=False),
                name="event_occurrence_has_series_and_recurrence_id",
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_id"], name="event_unique_series_occurrence"
            ),
        ]

    def clean(self):
        errors = {}
        if self.time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = _("Unknown time zone.")
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The end must be after the start.")
        if (self.series_id is None) != (self.recurrence_id is None):
            errors["recurrence_id"] = _(
                "An occurrence needs both its series and its original start."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.zone)

    @property
    def last_day(self) -> date:
        """The last calendar day the event covers (inclusive), in its own zone."""
        end = self.local_end
        if self.all_day or end.time() == datetime.min.time():
            return (end - timedelta(days=1)).date()
        return end.date()

    @property
    def is_multi_day(self) -> bool:
        return self.last_day > self.local_start.date()

    @property
    def is_moved(self) -> bool:
        return self.recurrence_id is not None and self.recurrence_id != self.start

    @property
    def display_title(self) -> str:
        """The title, with the date for a meeting of a series."""
        return self.title if self.series_id is None else dated_title(self.title, self.local_start)

    @property
    def localized_title(self) -> str:
        """The title in the reader's language; a meeting without its own translation takes its
        series' (prefetch `translations` and `series__translations` on lists)."""
        if self.series_id is None or not reads_translations():
            return self.title_in()
        found = self.translation_in()
        if found is not None:
            return found.title or self.title
        if self.title == self.series.title:
            return self.series.title_in()
        return self.title

    @property
    def localized_display_title(self) -> str:
        """The display title in the reader's language (a meeting without its own translation
        takes its series'; prefetch `series__translations` on lists)."""
        if self.series_id is None:
            return self.localized_title
        return dated_title(self.localized_title, self.local_start)


class Attachment(models.Model):
    """Minutes, slides and files attached to an event or a series occurrence."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", pgettext_lazy("kind of file", "Minutes")
        SLIDES = "slides", pgettext_lazy("kind of file", "Slides")
        AGENDA = "agenda", pgettext_lazy("kind of file", "Agenda")
        OTHER = "other", pgettext_lazy("kind of file", "Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


class MeetingAttendance(models.Model):
    """Who was present at a meeting, as its minutes record it (people need not have accounts)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="attendance_unique_name")
        ]

    def __str__(self):
        return f"{self.name} at {self.event}"


class Translation(models.Model):
    """A title and description in another language than the original, which stays the fallback."""

    language = models.CharField(_("language"), max_length=10, choices=translation_languages)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_text = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["language"]

    def __str__(self):
        return f"{self.title} ({self.language})"


class EventTranslation(Translation):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="translations")

    class Meta(Translation.Meta):
        verbose_name = _("event translation")
        verbose_name_plural = _("event translations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"], name="event_translation_unique_language"
            )
        ]


class SeriesTranslation(Translation):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="translations")

    class Meta(Translation.Meta):
        verbose_name = _("series translation")
        verbose_name_plural = _("series translations")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "language"], name="series_translation_unique_language"
            )
        ]
