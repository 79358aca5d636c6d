"""Writes on events and series. Views, the admin, commands and seeds all call these."""

import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from .attachments import validate_upload
from .locking import lock_events, lock_with_partners
from .models import Attachment, Event, Series, Venue
from .permissions import organises
from .selectors import find_occurrence
from .signals import event_changed, event_rescheduled, series_changed

# Fields whose change calendars and registrants must notice (they bump iCalendar SEQUENCE).
CALENDAR_FIELDS = ("start", "end", "all_day", "time_zone", "venue", "status", "title", "online_url")
SERIES_CALENDAR_FIELDS = (
    "first_start", "duration", "rrule", "time_zone", "venue", "title", "online_url",
)  # fmt: skip


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


def set_minutes(*, event: Event, text: str) -> bool:
    """Replace the meeting minutes (plain text, line breaks kept); False when nothing changed.

    Minutes are not in calendars, so no SEQUENCE bump and no notice to registrants.
    """
    text = text.replace("\r\n", "\n").strip()
    if text == event.minutes:
        return False
    event.minutes = text
    event.save(update_fields=["minutes", "updated_at"])
    return True


@transaction.atomic
def materialise_occurrence(*, series: Series, recurrence_id: datetime) -> Event:
    """The stored Event for one occurrence, created from the series the first time it is needed.

    An occurrence gets a row only when it has something of its own: it moved, was cancelled,
    carries minutes, attachments or registrations.
    """
    local = recurrence_id.astimezone(series.zone)
    event, _ = Event.objects.get_or_create(
        series=series,
        recurrence_id=recurrence_id,
        defaults={
            "title": series.title,
            "slug": f"{series.slug}-{local:%Y-%m-%d}",
            "kind": series.kind,
            "summary": series.summary,
            "time_zone": series.time_zone,
            "venue": series.venue,
            "online_url": series.online_url,
            "remote_note": series.remote_note,
            "contact_name": series.contact_name,
            "contact_email": series.contact_email,
            "audience_note": series.audience_note,
            "data_note": series.data_note,
            "is_listed": series.is_listed,
            "start": recurrence_id,
            "end": recurrence_id + series.duration,
        },
    )
    return event


def unique_event_slug(text: str) -> str:
    """A free slug made from `text`, with -2, -3... appended when taken."""
    base = slugify(text)[:180] or "event"
    slug, number = base, 1
    while Event.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _announce(event: Event, changed: list[str]) -> None:
    """Tell higher apps (registrations mails registrants) once the change is committed."""
    cancelled = "status" in changed and event.is_cancelled
    transaction.on_commit(
        lambda: event_changed.send(sender=Event, event=event, changed=changed, cancelled=cancelled)
    )


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
        titles = ", ".join(f"“{other.title}”" for other in foreign)
        raise ValidationError(
            f"{titles}: you can only hold this event alongside events you organise too. "
            "Ask its organisers to add you as a co-organiser, or to link the events themselves."
        )
    return partners


@transaction.atomic
def create_event(*, values: dict, organisers=(), colocated_with=(), by=None) -> Event:
    """A new standalone event from model fields; a slug is made from the title if absent."""
    event = Event(**values)
    if not event.slug:
        year = f"{event.local_start:%Y}"
        # "Hackathon 2027" gives hackathon-2027, not hackathon-2027-2027.
        named = {match.group() for match in _YEAR.finditer(event.title)}
        text = event.title if year in named else f"{event.title} {year}"
        event.slug = unique_event_slug(text)
    partners = _check_partners(None, colocated_with, by)
    event.full_clean()
    lock_events(other.pk for other in partners)
    event.save()
    event.organisers.add(*organisers)
    event.colocated_with.set(partners)
    return event


def _apply(current: Event | Series, values: dict, calendar_fields) -> list[str]:
    """Set the values that differ on the (locked) row and save it; returns the ones calendars
    must notice, which bump `sequence`. An unchanged save keeps updated_at, so calendars see no
    change."""
    differing = [name for name, value in values.items() if _differs(current, name, value)]
    changed = [name for name in calendar_fields if name in differing]
    for name in differing:
        setattr(current, name, values[name])
    if changed:
        current.sequence += 1
    if differing:
        current.full_clean()
        current.save()
    return changed


def _differs(current: Event | Series, name: str, value) -> bool:
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
        lock_events([event.pk])
    else:
        partners = _check_partners(event, colocated_with, by)
        lock_with_partners(event.pk, also=[other.pk for other in partners])
    current = Event.objects.get(pk=event.pk)
    previous = (current.start, current.end, current.time_zone)
    changed = _apply(current, values, CALENDAR_FIELDS)
    if previous != (current.start, current.end, current.time_zone):
        event_rescheduled.send(
            sender=Event, event=current, previous_start=previous[0], previous_time_zone=previous[2]
        )
    if colocated_with is not None:
        current.colocated_with.set(partners)
    if changed:
        _announce(current, changed)
    return changed


@transaction.atomic
def update_series(*, series: Series, values: dict) -> list[str]:
    """Apply field changes to a series; returns the calendar-relevant fields that changed.

    As for an event, such a change bumps the series' `sequence` (subscribed calendars replace
    the rule's VEVENT) and, after commit, sends `series_changed` so that the people registered
    for its coming meetings are told.
    """
    current = Series.objects.select_for_update().get(pk=series.pk)
    changed = _apply(current, values, SERIES_CALENDAR_FIELDS)
    if changed:
        transaction.on_commit(
            lambda: series_changed.send(sender=Series, series=current, changed=changed)
        )
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
        "kind", "summary", "description", "time_zone", "venue", "online_url", "remote_note",
        "contact_name", "contact_email", "audience_note", "is_listed", "all_day",
    )  # fmt: skip
    year = str(start.astimezone(event.zone).year)
    title = _YEAR.sub(year, event.title)
    clone = Event(
        **{name: getattr(event, name) for name in copy_fields},
        title=title,
        slug=unique_event_slug(f"{title} {start.astimezone(event.zone):%Y-%m-%d}"),
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
            day = f"{recurrence_id.astimezone(series.zone):%a %d %b %Y, %H:%M}"
        except OverflowError:  # near year 1 or 9999
            day = recurrence_id.isoformat()
        raise ValidationError(f"“{series.title}” has no meeting on {day}.")


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
        raise ValidationError("This meeting is cancelled: restore it before moving it.")
    values = {"start": start, "end": end, "venue": venue or series.venue}
    return update_event(event=event, values=values)


def restore_occurrence(*, series: Series, recurrence_id: datetime) -> bool:
    """Undo a cancellation: the meeting takes place after all (registrants are told).
    False if no such meeting was cancelled."""
    event = Event.objects.filter(series=series, recurrence_id=recurrence_id).first()
    if event is None or not event.is_cancelled:
        return False
    return bool(update_event(event=event, values={"status": Event.Status.SCHEDULED}))
