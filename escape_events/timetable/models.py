"""The timetable of an event or of one meeting of a series: sessions, entries, speakers, materials.

Times are stored as instants and shown in the event's own time zone. An agenda belongs to a
stored Event; a meeting of a series gets one when it is opened
(events.services.materialise_occurrence), so a moved meeting keeps its agenda.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from escape_events.events.attachments import extension_of
from escape_events.events.models import Event


class EntryKind(models.TextChoices):
    TALK = "talk", _("Talk")
    HANDS_ON = "hands_on", _("Hands-on exercise")
    DISCUSSION = "discussion", _("Discussion")
    BREAK = "break", pgettext_lazy("agenda item", "Break")
    SESSION = "session", _("Session")


class Session(models.Model):
    """A named group of entries, e.g. "Day 2 — Rucio internals", run by its conveners.

    Entries of one session follow each other (they may not overlap); sessions may run in parallel.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_sessions")
    title = models.CharField(max_length=200)
    location = models.CharField(
        _("room or place"),
        max_length=200,
        blank=True,
        help_text=_("When it differs from the event's."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "title"], name="session_unique_title")
        ]

    def __str__(self):
        return self.title


class Entry(models.Model):
    """One item of the agenda: a talk, an exercise, a discussion, a break."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_entries")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="entries"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EntryKind.choices, default=EntryKind.TALK)
    description = models.TextField(blank=True, help_text=_("Markdown."))
    description_text = models.TextField(
        blank=True,
        editable=False,
        help_text=_("The description as plain text for calendars, stored with every write of it."),
    )
    location = models.CharField(
        _("room or place"),
        max_length=200,
        blank=True,
        help_text=_("When it differs from the event's."),
    )
    sequence = models.PositiveIntegerField(
        default=0,
        help_text=_("Grows when its time, title, place or kind changes (iCalendar)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "end", "pk"]
        verbose_name_plural = _("entries")
        indexes = [models.Index(fields=["event", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="entry_ends_after_start")
        ]

    def __str__(self):
        return self.title

    @property
    def time_zone(self) -> str:
        return self.event.time_zone

    @property
    def local_start(self):
        return self.start.astimezone(self.event.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.event.zone)

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    @property
    def place(self) -> str:
        """Where it happens when that differs from the event: its own room, else its session's."""
        if self.location:
            return self.location
        return self.session.location if self.session_id else ""


class AgendaPerson(models.Model):
    """Someone named on the agenda, as the organisers wrote it; optionally a user of the site."""

    name = models.CharField(max_length=200)
    affiliation = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


class Speaker(AgendaPerson):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="speakers")

    class Meta(AgendaPerson.Meta):
        pass


class Convener(AgendaPerson):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="conveners")

    class Meta(AgendaPerson.Meta):
        pass


class Audience(models.TextChoices):
    """Who may open a material or the materials of a folder (organisers always may)."""

    EVERYONE = "everyone", _("Everyone")
    SIGNED_IN = "signed_in", _("Signed-in people")
    REGISTRANTS = "registrants", _("Confirmed registrants (on-site or remote)")
    ONSITE = "onsite", _("Confirmed on-site registrants")
    REMOTE = "remote", _("Confirmed remote registrants")
    SPEAKERS = "speakers", _("Speakers of the event")
    ORGANISERS = "organisers", _("Organisers only")


class Gated(models.Model):
    """Who may open it, and whether it is held back until its agenda entry (or, with no entry,
    the event) starts; timetable.access decides with these."""

    audience = models.CharField(
        _("who may open it"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    from_start = models.BooleanField(
        _("held back until it starts"),
        default=False,
        help_text=_("Opens at the start of its agenda entry (or of the event)."),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def opens_at(self):
        """When a held-back item opens: its entry's start, else its event's."""
        return self.entry.start if self.entry_id else self.event.start


class Folder(Gated):
    """A named group of materials of the event ("Exercises") or of one agenda entry; what it
    restricts applies to everything in it on top of each material's own setting."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="material_folders")
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="folders"
    )
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "title"],
                condition=Q(entry__isnull=True),
                name="folder_unique_title_on_event",
            ),
            models.UniqueConstraint(
                fields=["entry", "title"],
                condition=Q(entry__isnull=False),
                name="folder_unique_title_on_entry",
            ),
        ]

    def __str__(self):
        return self.title


class Material(Gated):
    """Slides, a notebook, a recording: an uploaded file (checked as attachments are) or a link,
    of one agenda entry or of the event as a whole (no entry), optionally in a folder."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="materials"
    )
    folder = models.ForeignKey(
        Folder, null=True, blank=True, on_delete=models.SET_NULL, related_name="materials"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="agenda/%Y/%m/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="material_is_a_file_or_a_link",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def extension(self) -> str:
        """'PDF', 'IPYNB': what a visitor will download."""
        return extension_of(self.file.name).upper()

    @property
    def download_path(self) -> str:
        """Our download address of a file (the access rule is asked there)."""
        return reverse("timetable:material", kwargs={"slug": self.event.slug, "pk": self.pk})

    @property
    def is_public(self) -> bool:
        """Open to anyone now and later: every listing, feed and cache may show it as it is."""
        folder = self.folder
        return all(
            gate.audience == Audience.EVERYONE and not gate.from_start
            for gate in ([self, folder] if folder else [self])
        )

    @property
    def href(self) -> str:
        """Where a visitor gets it: a public link itself; else our download address, which asks
        the access rule (and sends on to a restricted link)."""
        return self.url if self.url and self.is_public else self.download_path


class Minutes(models.Model):
    """The minutes of one agenda item, or of the whole meeting (no item), in Markdown.

    The text here is the newest revision's; every save adds a MinutesRevision, so `revision`
    is the number of the newest one, which an edit form carries to refuse a lost update.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="minutes_texts")
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="minutes_texts"
    )
    text = models.TextField(blank=True, help_text=_("Markdown."))
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "entry__start", "pk"]
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(entry__isnull=True), name="minutes_one_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["entry"], condition=Q(entry__isnull=False), name="minutes_one_per_entry"
            ),
        ]

    def __str__(self):
        return f"Minutes of {self.entry or self.event}"


class MinutesRevision(models.Model):
    """One saved version of minutes: who saved it, when, and the whole text then."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    restored_from = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("The earlier revision this one brought back.")
    )

    class Meta:
        ordering = ["minutes", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_revision_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="minutes_revision_from_one"),
        ]

    def __str__(self):
        return f"{self.minutes}, revision {self.number}"
