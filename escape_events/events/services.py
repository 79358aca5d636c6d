"""Writes on events and series. Views, the admin, commands and seeds all call these."""

import copy
import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from escape_events.core.text import markdown_to_text

from . import locking
from .attachments import validate_upload
from .models import Attachment, Event, Series, Venue
from .permissions import organises
from .selectors import find_occurrence
from .signals import event_changed, event_rescheduled
from .when import describe_moment, list_text

# Fields whose change calendars and registrants must notice (they bump iCalendar SEQUENCE).
CALENDAR_FIELDS = ("start", "end", "all_day", "time_zone", "venue", "status", "title", "online_url")
# The same for a series: its rule and times, and what its meetings take over from it.
SERIES_SCHEDULE_FIELDS = ("rrule", "first_start", "duration", "time_zone")
SERIES_CALENDAR_FIELDS = (*SERIES_SCHEDULE_FIELDS, "title", "venue", "online_url")
# What a stored meeting copies from its series, and keeps following until changed on its own.
SERIES_SHARED_FIELDS = (
    "title", "kind", "summary", "time_zone", "venue", "online_url", "remote_note",
    "contact_name", "contact_email", "audience_note", "data_note", "is_listed",
)  # fmt: skip


def with_description_text(values: dict) -> dict:
    """`values`, with the description's plain text when they set the description. Calendars
    show that text; converting every description on each feed build was half of its time, so
    every write of a description (events, series, agenda entries) stores its text with it."""
    if "description" not in values:
        return values
    return {**values, "description_text": markdown_to_text(values["description"] or "")}


def add_attachment(*, event: Event, uploaded_file, title: str, kind: str) -> Attachment:
    """Validate an upload and attach it; raises ValidationError with a message for the user."""
    content_type = validate_upload(uploaded_file)
    attachment = Attachment(
        event=event,
        kind=kind,
        title=title or uploaded_file.name,
        content_type=content_type,
        size=uploaded_file.size,
    )
    attachment.full_clean(exclude=["file"])  # refuse a bad title or kind before writing the file
    attachment.file.save(uploaded_file.name, uploaded_file, save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


def remove_attachment(*, attachment: Attachment) -> None:
    """Delete the row and its stored file; the file goes only once the deletion is committed,
    so a rolled-back transaction never leaves a row pointing at nothing."""
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def materialise_occurrence(*, series: Series, recurrence_id: datetime) -> Event:
    """The stored Event for one occurrence, created from the series the first time it is needed.

    An occurrence gets a row only when it has something of its own: it moved, was cancelled,
    carries minutes, attachments or registrations.
    """
    event = Event.objects.filter(series=series, recurrence_id=recurrence_id).first()
    if event is not None:
        return event
    local = recurrence_id.astimezone(series.zone)
    event, _ = Event.objects.get_or_create(
        series=series,
        recurrence_id=recurrence_id,
        defaults={
            **{name: getattr(series, name) for name in SERIES_SHARED_FIELDS},
            # Two meetings on one day (an extra one in the evening) get -2.
            "slug": unique_slug(Event, f"{series.slug}-{local:%Y-%m-%d}"),
            "start": recurrence_id,
            "end": recurrence_id + series.duration,
        },
    )
    return event


def unique_slug(model: type[Model], text: str) -> str:
    """A free slug for `model` made from `text`, with -2, -3... appended when taken."""
    base = slugify(text)[:180] or model._meta.model_name
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _announce(event: Event, changed: list[str]) -> None:
    """Tell higher apps (registrations mails registrants) inside the change's transaction: what
    they store (mails go into the outbox) commits with the change or not at all, so no process
    death between the commit and the queueing can lose a notice."""
    cancelled = "status" in changed and event.is_cancelled
    event_changed.send(sender=Event, event=event, changed=changed, cancelled=cancelled)


def _check_partners(event: Event | None, partners, by) -> list[Event]:
    """Co-location shows each event's registration on the other's page, so it needs both
    sides: a new partner must be an event `by` organises too (None: a trusted caller such as
    seeding). Partners already linked may stay or go."""
    partners = [other for other in partners if event is None or other.pk != event.pk]
    if by is None:
        return partners
    current = set(event.colocated_with.values_list("pk", flat=True)) if event else set()
    foreign = [other for other in partners if other.pk not in current and not organises(by, other)]
    if foreign:
        titles = list_text([f"“{other.title}”" for other in foreign])
        raise ValidationError(
            gettext(
                "%(titles)s: you can only hold this event alongside events you organise too. "
                "Ask its organisers to add you as a co-organiser, or to link the events themselves."
            )
            % {"titles": titles}
        )
    return partners


@transaction.atomic
def create_event(*, values: dict, organisers=(), colocated_with=(), by=None) -> Event:
    """A new standalone event from model fields; a slug is made from the title if absent."""
    event = Event(**with_description_text(values))
    if not event.slug:
        year = f"{event.local_start:%Y}"
        # "Hackathon 2027" gives hackathon-2027, not hackathon-2027-2027.
        named = {match.group() for match in _YEAR.finditer(event.title)}
        text = event.title if year in named else f"{event.title} {year}"
        event.slug = unique_slug(Event, text)
    partners = _check_partners(None, colocated_with, by)
    event.full_clean()
    locking.lock_events(other.pk for other in partners)
    event.save()
    event.organisers.add(*organisers)
    event.colocated_with.set(partners)
    return event


def _differs(current: Event, name: str, value) -> bool:
    field = current._meta.get_field(name)
    if field.many_to_one:
        return getattr(current, field.attname) != (value.pk if value else None)
    return getattr(current, name) != value


@transaction.atomic
def update_event(*, event: Event, values: dict, colocated_with=None, by=None) -> list[str]:
    """Apply field changes; returns the calendar-relevant fields that changed.

    Such a change bumps `sequence` (calendar clients replace their copy) and, after commit,
    sends `event_changed` so that registrants are told. With `colocated_with`, the event and
    all its partners, old and new, are locked first, in one sorted pass (see events.locking).
    """
    if colocated_with is None:
        locking.lock_events([event.pk])
    else:
        partners = _check_partners(event, colocated_with, by)
        locking.lock_with_partners(event.pk, also=[other.pk for other in partners])
    values = with_description_text(values)
    current = Event.objects.get(pk=event.pk)
    previous = (current.start, current.end, current.time_zone)
    differing = [name for name, value in values.items() if _differs(current, name, value)]
    changed = [name for name in CALENDAR_FIELDS if name in differing]
    for name in differing:
        setattr(current, name, values[name])
    if changed:
        current.sequence += 1
    if differing:  # an unchanged save keeps updated_at, so calendars see no change
        current.full_clean()
        current.save()
    if previous != (current.start, current.end, current.time_zone):
        event_rescheduled.send(
            sender=Event, event=current, previous_start=previous[0], previous_time_zone=previous[2]
        )
    if colocated_with is not None:
        current.colocated_with.set(partners)
    if changed:
        _announce(current, changed)
    return changed


def cancel_event(*, event: Event) -> bool:
    """Mark the event cancelled (it stays listed, struck through); False if it already was."""
    if event.is_cancelled:
        return False
    return bool(update_event(event=event, values={"status": Event.Status.CANCELLED}))


_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def next_year_start(event: Event) -> datetime:
    """Same weekday and local wall-clock time, 52 weeks later (a Monday stays a Monday)."""
    local = event.local_start.replace(tzinfo=None) + timedelta(weeks=52)
    return local.replace(tzinfo=event.zone)


@transaction.atomic
def clone_event(*, event: Event, start: datetime, organisers=()) -> Event:
    """A fresh copy of a standalone event at a new start ("repeat this event next year").

    Keeps length, place, texts and organisers; the copy starts with no minutes, attachments,
    registrations or co-located events, and a year in the title follows the new date.
    """
    copy_fields = (
        "kind", "summary", "description", "description_text", "time_zone", "venue", "online_url",
        "remote_note", "contact_name", "contact_email", "audience_note", "is_listed", "all_day",
    )  # fmt: skip
    year = str(start.astimezone(event.zone).year)
    title = _YEAR.sub(year, event.title)
    clone = Event(
        **{name: getattr(event, name) for name in copy_fields},
        title=title,
        slug=unique_slug(Event, f"{title} {start.astimezone(event.zone):%Y-%m-%d}"),
        start=start,
        end=start + (event.end - event.start),
    )
    clone.full_clean()
    clone.save()
    clone.organisers.set(list(event.organisers.all()) + list(organisers))
    return clone


def _require_occurrence(series: Series, recurrence_id: datetime) -> None:
    """A row for a date the series does not have would invent a meeting: refuse it."""
    if find_occurrence(series, recurrence_id) is None:
        try:
            day = describe_moment(recurrence_id, series.time_zone)
        except OverflowError:  # near year 1 or 9999
            day = recurrence_id.isoformat()
        raise ValidationError(
            gettext("“%(series)s” has no meeting on %(day)s.")
            % {"series": series.title, "day": day}
        )


@transaction.atomic
def cancel_occurrence(*, series: Series, recurrence_id: datetime) -> bool:
    """Call off one meeting (a holiday) without touching the rule: its stored row is cancelled,
    so feeds get an EXDATE and registrants are told. False if it already was."""
    _require_occurrence(series, recurrence_id)
    event = materialise_occurrence(series=series, recurrence_id=recurrence_id)
    return cancel_event(event=event)


@transaction.atomic
def move_occurrence(
    *, series: Series, recurrence_id: datetime, start: datetime, end: datetime, venue: Venue | None
) -> list[str]:
    """Hold one meeting at another time or place; it keeps its original start as RECURRENCE-ID
    so calendars replace that meeting instead of adding one. No venue: the series' usual place.
    Returns the calendar fields that changed."""
    _require_occurrence(series, recurrence_id)
    event = materialise_occurrence(series=series, recurrence_id=recurrence_id)
    if event.is_cancelled:
        raise ValidationError(gettext("This meeting is cancelled: restore it before moving it."))
    values = {"start": start, "end": end, "venue": venue or series.venue}
    return update_event(event=event, values=values)


def restore_occurrence(*, series: Series, recurrence_id: datetime) -> bool:
    """Undo a cancellation: the meeting takes place after all (registrants are told).
    False if no such meeting was cancelled."""
    event = Event.objects.filter(series=series, recurrence_id=recurrence_id).first()
    if event is None or not event.is_cancelled:
        return False
    return bool(update_event(event=event, values={"status": Event.Status.SCHEDULED}))


def first_meeting(*, rrule: str, start: datetime) -> datetime:
    """The first start the rule gives on or after `start` (same wall-clock time, same zone).

    Calendars treat DTSTART as the first meeting whether or not the rule yields it, so a
    series always starts on a day its own rule gives."""
    zone = start.tzinfo
    probe = Series(rrule=rrule, first_start=start, time_zone=str(zone))
    local = start.replace(tzinfo=None)
    found = probe.rule().after(local - timedelta(seconds=1))
    if found is None:
        raise ValidationError(
            {"rrule": gettext("This rule gives no meeting on or after the first day.")}
        )
    return found.replace(tzinfo=zone)


@transaction.atomic
def create_series(*, values: dict, organisers=()) -> Series:
    """A new meeting series from model fields; a slug is made from the title if absent and
    the first meeting is moved onto the first day the rule gives."""
    series = Series(**with_description_text(values))
    series.slug = series.slug or unique_slug(Series, series.title)
    series.first_start = first_meeting(rrule=series.rrule, start=series.first_start)
    series.full_clean()
    series.save()
    series.organisers.add(*organisers)
    return series


@transaction.atomic
def update_series(*, series: Series, values: dict, now: datetime | None = None) -> list[str]:
    """Change a series; returns the calendar-relevant fields that changed.

    Such a change bumps the series' SEQUENCE. Its upcoming stored meetings follow: a meeting
    on a day the new rule still has takes the new time (unless it was moved by hand), one on a
    day the rule no longer has is cancelled, and what a meeting copied from the series (title,
    place, link...) follows unless it was changed for that meeting alone. Their registrants are
    told (`event_changed`). Past meetings keep the date and time they had.
    """
    now = now or timezone.now()
    current = locking.lock_series(series.pk)
    before = copy.copy(current)
    for name, value in with_description_text(values).items():
        setattr(current, name, value)
    current.first_start = first_meeting(rrule=current.rrule, start=current.first_start)
    changed = [
        name for name in SERIES_CALENDAR_FIELDS if _value(before, name) != _value(current, name)
    ]
    if changed:
        current.sequence += 1
    current.full_clean()
    current.save()
    upcoming = Event.objects.filter(series=current, end__gte=now)
    locking.lock_events(upcoming.values_list("pk", flat=True))
    for meeting in upcoming.order_by("recurrence_id"):
        _follow_series(meeting, before=before, after=current)
    return changed


def _follow_series(meeting: Event, *, before: Series, after: Series) -> None:
    """Bring one stored upcoming meeting in line with its changed series (see update_series)."""
    values = {
        name: getattr(after, name)
        for name in SERIES_SHARED_FIELDS
        if _value(meeting, name) == _value(before, name) != _value(after, name)
    }
    schedule_changed = any(
        getattr(before, name) != getattr(after, name) for name in SERIES_SCHEDULE_FIELDS
    )
    ruled_before = before.rule_includes(meeting.recurrence_id)  # False: an extra meeting
    if schedule_changed and ruled_before:
        day = meeting.recurrence_id.astimezone(before.zone).date()
        new_id = _meeting_on(after, day)
        taken = new_id is not None and (
            Event.objects.filter(series=after, recurrence_id=new_id).exclude(pk=meeting.pk).exists()
        )
        if new_id is None or taken:
            values["status"] = Event.Status.CANCELLED
        elif new_id != meeting.recurrence_id:
            values["recurrence_id"] = new_id
            if not meeting.is_moved and meeting.end == meeting.start + before.duration:
                values.update(start=new_id, end=new_id + after.duration)  # it takes the new time
    if values:
        update_event(event=meeting, values=values)


def _value(item: Event | Series, name: str):
    """A field's value for comparing, the venue by its id (no query)."""
    return item.venue_id if name == "venue" else getattr(item, name)


def _meeting_on(series: Series, day) -> datetime | None:
    """The start the series' rule gives on that local day, if any."""
    midnight = datetime.combine(day, datetime.min.time())
    found = series.rule().between(
        midnight, midnight + timedelta(days=1) - timedelta(seconds=1), inc=True
    )
    return found[0].replace(tzinfo=series.zone) if found else None


@transaction.atomic
def add_extra_meeting(
    *, series: Series, start: datetime, end: datetime, venue: Venue | None = None
) -> Event:
    """One more meeting outside the rule (calendars get it as an RDATE); refused where the
    series already has a meeting starting then."""
    locking.lock_series(series.pk)
    if find_occurrence(series, start) is not None:
        raise ValidationError(
            gettext("“%(series)s” already has a meeting on %(moment)s.")
            % {"series": series.title, "moment": describe_moment(start, series.time_zone)}
        )
    meeting = materialise_occurrence(series=series, recurrence_id=start)
    meeting.end = end
    meeting.venue = venue or series.venue
    meeting.full_clean()
    meeting.save(update_fields=["end", "venue", "updated_at"])
    return meeting


@transaction.atomic
def set_translations(*, of: Event | Series, texts: dict[str, tuple[str, str]]) -> list[str]:
    """Store the organiser's title and description per language (`{"fr": (title, description)}`);
    an empty title removes that language (readers get the original). A change bumps `sequence`
    and `updated_at`, so calendars fetch the new text. Returns the languages that changed."""
    # The owner's lock orders concurrent saves of the same translations page.
    if isinstance(of, Series):
        locking.lock_series(of.pk)
    else:
        locking.lock_event(of.pk)
    current = {item.language: item for item in of.translations.all()}
    changed = []
    for language, (title, description) in texts.items():
        found = current.get(language)
        if not title.strip():
            if found is not None:
                found.delete()
                changed.append(language)
            continue
        values = with_description_text({"title": title.strip(), "description": description})
        if found is not None and all(getattr(found, key) == value for key, value in values.items()):
            continue
        of.translations.update_or_create(language=language, defaults=values)
        changed.append(language)
    if changed:
        type(of).objects.filter(pk=of.pk).update(
            sequence=models.F("sequence") + 1, updated_at=timezone.now()
        )
        of.refresh_from_db(fields=["sequence", "updated_at"])
    return changed
