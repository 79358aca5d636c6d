"""Writes on agendas. Views, the CSV import, seeds and the event's own moves all call these.

Each write locks the event's row, so two organisers editing at once cannot both slip an entry
into the same free slot, then checks the agenda as it would be: every entry inside the event,
no two entries of one session at the same time (entries outside any session form the main
programme, which is one track too; sessions may run in parallel). The event's `updated_at` is
touched, since calendars show its agenda in the event's description.
"""

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from escape_events.events.attachments import validate_upload
from escape_events.events.models import Event
from escape_events.events.templatetags.event_times import describe_span

from .models import AgendaPerson, Convener, Entry, EntryKind, Material, Session, Speaker

# Changes that calendars holding the entry must notice (its iCalendar SEQUENCE grows).
CALENDAR_FIELDS = ("start", "end", "title", "kind", "location", "session")
TEXT_LIMITS = {"title": 200, "location": 200, "description": 20_000}


@dataclass(frozen=True)
class Person:
    """A speaker or convener as the organiser gives them; a user fills in what is left empty."""

    name: str = ""
    affiliation: str = ""
    user: object = None


@dataclass(frozen=True)
class Slot:
    """Where an entry would be, checked before anything is stored. `key` is the entry's pk, or
    anything else (a row number) for one not stored yet."""

    key: object
    title: str
    start: datetime
    end: datetime
    session_id: int | None


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _touch(event: Event) -> None:
    """The event's description in calendars carries the agenda: its feeds must refresh."""
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())


def _clock(moment: datetime, event: Event, *, with_day: bool) -> str:
    local = moment.astimezone(event.zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}" if with_day else f"{local:%H:%M}"


def _span_text(slot: Slot, event: Event) -> str:
    multi = event.is_multi_day
    return f"{_clock(slot.start, event, with_day=multi)}–{_clock(slot.end, event, with_day=False)}"


def _track_name(session_id: int | None, sessions: dict[int, str]) -> str:
    if session_id is None:
        return "the main programme (entries outside any session)"
    return f"the session “{sessions.get(session_id, '')}”"


def agenda_problems(event: Event, placed: Sequence[Slot]) -> dict[object, list[str]]:
    """What is wrong with placing these slots in the event's agenda, by slot key (empty: fine).

    Other stored entries stay where they are; a placed key that is a stored entry's pk stands
    for that entry at its new place.
    """
    problems: dict[object, list[str]] = {}
    sessions = dict(Session.objects.filter(event=event).values_list("pk", "title"))
    inside = f"The event runs {describe_span(event)}: entries must lie within it."
    for slot in placed:
        if slot.end <= slot.start:
            problems.setdefault(slot.key, []).append("The end must be after the start.")
        elif slot.start < event.start or slot.end > event.end:
            problems.setdefault(slot.key, []).append(inside)
    keys = {slot.key for slot in placed}
    stored = [
        Slot(entry.pk, entry.title, entry.start, entry.end, entry.session_id)
        for entry in Entry.objects.filter(event=event).only("title", "start", "end", "session")
        if entry.pk not in keys
    ]
    for index, slot in enumerate(placed):
        if slot.key in problems:
            continue
        for other in [*stored, *placed[:index]]:
            if other.session_id != slot.session_id or other.key in problems:
                continue
            if slot.start < other.end and other.start < slot.end:
                problems.setdefault(slot.key, []).append(
                    f"It overlaps “{other.title}” ({_span_text(other, event)}) in "
                    f"{_track_name(slot.session_id, sessions)}: entries of one session follow "
                    "each other; put parallel items in another session."
                )
                break
    return problems


def _require_fits(event: Event, placed: Sequence[Slot]) -> None:
    problems = agenda_problems(event, placed)
    if not problems:
        return
    titles = {slot.key: slot.title for slot in placed}
    if len(placed) == 1:
        raise ValidationError([message for messages in problems.values() for message in messages])
    raise ValidationError(
        [f"“{titles[key]}”: {text}" for key, messages in problems.items() for text in messages]
    )


def _single_line(label: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        raise ValidationError(f"{label}: keep it on one line, without tabs or control characters.")
    if len(value) > limit:
        raise ValidationError(f"{label}: at most {limit} characters (this has {len(value)}).")
    return value


def _clean_people(people: Iterable[Person], label: str) -> list[Person]:
    cleaned = []
    for person in people:
        name = person.name.strip() or (person.user.display_name if person.user else "")
        affiliation = person.affiliation.strip() or getattr(person.user, "affiliation", "") or ""
        if not name:
            raise ValidationError(f"Each {label} needs a name (or a registered participant).")
        cleaned.append(
            Person(
                name=_single_line(f"{label.capitalize()}'s name", name, 200),
                affiliation=_single_line("Affiliation", affiliation, 200),
                user=person.user,
            )
        )
    return cleaned


def _set_people(model: type[AgendaPerson], owner: dict, people: list[Person]) -> None:
    model.objects.filter(**owner).delete()
    model.objects.bulk_create(
        model(**owner, **vars(person), position=position) for position, person in enumerate(people)
    )


def _clean_entry_values(event: Event, values: dict) -> dict:
    cleaned = dict(values)
    if "title" in cleaned:
        cleaned["title"] = _single_line("Title", cleaned["title"], TEXT_LIMITS["title"])
        if not cleaned["title"]:
            raise ValidationError("Give the entry a title.")
    if "location" in cleaned:
        cleaned["location"] = _single_line("Room or place", cleaned["location"], 200)
    if "description" in cleaned:
        cleaned["description"] = (cleaned["description"] or "").replace("\r\n", "\n").strip()
        if len(cleaned["description"]) > TEXT_LIMITS["description"]:
            raise ValidationError(f"Description: at most {TEXT_LIMITS['description']} characters.")
    if "kind" in cleaned and cleaned["kind"] not in EntryKind.values:
        raise ValidationError(f"Unknown kind of entry “{cleaned['kind']}”.")
    session = cleaned.get("session")
    if session is not None and session.event_id != event.pk:
        raise ValidationError("That session belongs to another event.")
    return cleaned


@transaction.atomic
def add_entry(*, event: Event, values: dict, speakers: Iterable[Person] = ()) -> Entry:
    """A new entry from `values` (start, end, title; kind, description, location, session)."""
    event = _lock(event)
    values = _clean_entry_values(event, values)
    people = _clean_people(speakers, "speaker")
    entry = Entry(event=event, **values)
    _require_fits(event, [Slot(None, entry.title, entry.start, entry.end, entry.session_id)])
    entry.save()
    _set_people(Speaker, {"entry": entry}, people)
    _touch(event)
    return entry


@transaction.atomic
def update_entry(*, entry: Entry, values: dict, speakers: Iterable[Person] | None = None) -> Entry:
    """Change an entry; its SEQUENCE grows when calendars must notice (time, title, place)."""
    event = _lock(entry.event)
    current = Entry.objects.get(pk=entry.pk, event=event)
    values = _clean_entry_values(event, values)
    people = None if speakers is None else _clean_people(speakers, "speaker")
    changed = False
    for name, value in values.items():
        old = current.session_id if name == "session" else getattr(current, name)
        new = (value.pk if value else None) if name == "session" else value
        changed |= name in CALENDAR_FIELDS and old != new
        setattr(current, name, value)
    slot = Slot(current.pk, current.title, current.start, current.end, current.session_id)
    _require_fits(event, [slot])
    if changed:
        current.sequence += 1
    current.save()
    if people is not None:
        _set_people(Speaker, {"entry": current}, people)
    _touch(event)
    return current


def _wall_clock_shift(moment: datetime, zone: zoneinfo.ZoneInfo, by: timedelta) -> datetime:
    """Move by local clock time, so '+1 day' keeps 09:00 at 09:00 across a DST change."""
    return (moment.astimezone(zone).replace(tzinfo=None) + by).replace(tzinfo=zone)


@transaction.atomic
def shift_entries(*, event: Event, entries: Sequence[Entry], by: timedelta) -> list[Entry]:
    """Move entries earlier or later by the same time (a talk ran late: shift what follows)."""
    event = _lock(event)
    ids = [entry.pk for entry in entries]
    moving = list(Entry.objects.filter(event=event, pk__in=ids))
    for entry in moving:
        entry.start = _wall_clock_shift(entry.start, event.zone, by)
        entry.end = _wall_clock_shift(entry.end, event.zone, by)
    _require_fits(event, [Slot(e.pk, e.title, e.start, e.end, e.session_id) for e in moving])
    now = timezone.now()
    for entry in moving:
        entry.sequence += 1
        entry.updated_at = now
    Entry.objects.bulk_update(moving, ["start", "end", "sequence", "updated_at"])
    _touch(event)
    return moving


def _copy_materials(source: Entry, target: Entry) -> None:
    for material in source.materials.all():
        copy = Material(
            entry=target,
            title=material.title,
            url=material.url,
            content_type=material.content_type,
            size=material.size,
        )
        if material.file:
            with material.file.open("rb") as stored:
                copy.file.save(material.filename, ContentFile(stored.read()), save=False)
        copy.save()


@transaction.atomic
def duplicate_entry(*, entry: Entry, start: datetime) -> Entry:
    """A copy of the entry (speakers, materials) at another start, with the same length."""
    event = _lock(entry.event)
    source = Entry.objects.get(pk=entry.pk, event=event)
    copy = Entry(
        event=event,
        session=source.session,
        start=start,
        end=start + (source.end - source.start),
        title=source.title,
        kind=source.kind,
        description=source.description,
        location=source.location,
    )
    _require_fits(event, [Slot(None, copy.title, copy.start, copy.end, copy.session_id)])
    copy.save()
    people = [Person(s.name, s.affiliation, s.user) for s in source.speakers.all()]
    _set_people(Speaker, {"entry": copy}, people)
    _copy_materials(source, copy)
    _touch(event)
    return copy


def _delete_files_after_commit(materials: Iterable[Material]) -> None:
    """Stored files go only once the deletion is committed (a rollback keeps them)."""
    stored = [(item.file.storage, item.file.name) for item in materials if item.file]
    if stored:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stored])


@transaction.atomic
def remove_entry(*, entry: Entry) -> None:
    event = _lock(entry.event)
    _delete_files_after_commit(Material.objects.filter(entry=entry))
    Entry.objects.filter(pk=entry.pk, event=event).delete()
    _touch(event)


def _clean_session_values(event: Event, values: dict, session: Session | None = None) -> dict:
    cleaned = {
        "title": _single_line("Title", values.get("title", ""), 200),
        "location": _single_line("Room or place", values.get("location", ""), 200),
    }
    if not cleaned["title"]:
        raise ValidationError("Give the session a title.")
    taken = Session.objects.filter(event=event, title__iexact=cleaned["title"])
    if session is not None:
        taken = taken.exclude(pk=session.pk)
    if taken.exists():
        raise ValidationError(f"This event already has a session “{cleaned['title']}”.")
    return cleaned


@transaction.atomic
def add_session(*, event: Event, values: dict, conveners: Iterable[Person] = ()) -> Session:
    event = _lock(event)
    values = _clean_session_values(event, values)
    people = _clean_people(conveners, "convener")
    session = Session.objects.create(event=event, **values)
    _set_people(Convener, {"session": session}, people)
    _touch(event)
    return session


@transaction.atomic
def update_session(
    *, session: Session, values: dict, conveners: Iterable[Person] | None = None
) -> Session:
    event = _lock(session.event)
    current = Session.objects.get(pk=session.pk, event=event)
    values = _clean_session_values(event, values, current)
    people = None if conveners is None else _clean_people(conveners, "convener")
    Session.objects.filter(pk=current.pk).update(**values, updated_at=timezone.now())
    if values["title"] != current.title or values["location"] != current.location:
        # Calendars show the session's name and room with each of its entries.
        Entry.objects.filter(session=current).update(
            sequence=F("sequence") + 1, updated_at=timezone.now()
        )
    if people is not None:
        _set_people(Convener, {"session": current}, people)
    _touch(event)
    current.refresh_from_db()
    return current


@transaction.atomic
def remove_session(*, session: Session) -> int:
    """Delete a session with its entries (the confirmation names them); returns how many."""
    event = _lock(session.event)
    entries = Entry.objects.filter(session=session, event=event)
    count = entries.count()
    _delete_files_after_commit(Material.objects.filter(entry__in=entries))
    Session.objects.filter(pk=session.pk, event=event).delete()
    _touch(event)
    return count


@transaction.atomic
def add_material_file(*, entry: Entry, uploaded_file, title: str) -> Material:
    """Attach an upload, checked by the same rules as event attachments (type, bytes, size)."""
    event = _lock(entry.event)
    title = _single_line("Title", title, 200) or uploaded_file.name[:200]
    content_type = validate_upload(uploaded_file)
    material = Material(
        entry=entry, title=title, content_type=content_type, size=uploaded_file.size
    )
    material.file.save(uploaded_file.name, uploaded_file, save=False)
    material.save()
    _touch(event)
    return material


def _check_link(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or any(c.isspace() for c in url):
        raise ValidationError("Give a full web address starting with https:// (or http://).")
    if len(url) > 500:
        raise ValidationError("The address is too long (at most 500 characters).")
    return url


@transaction.atomic
def add_material_link(*, entry: Entry, url: str, title: str) -> Material:
    """Link slides, a notebook on SWAN or a recording kept elsewhere."""
    event = _lock(entry.event)
    url = _check_link(url)
    title = _single_line("Title", title, 200) or urlsplit(url).netloc
    material = Material.objects.create(entry=entry, title=title, url=url)
    _touch(event)
    return material


@transaction.atomic
def remove_material(*, material: Material) -> None:
    event = _lock(material.entry.event)
    _delete_files_after_commit([material])
    material.delete()
    _touch(event)


def reschedule_agenda(*, event: Event, previous_start: datetime, previous_time_zone: str) -> int:
    """Keep the agenda's shape when its event moves: each entry keeps its local clock distance
    from the event's start. Refuses (ValidationError) when entries would fall outside the event,
    so the move is rolled back with them. Called inside the move's transaction."""
    entries = list(Entry.objects.filter(event=event))
    if not entries:
        return 0
    old_zone = zoneinfo.ZoneInfo(previous_time_zone)
    old_origin = previous_start.astimezone(old_zone).replace(tzinfo=None)
    new_origin = event.start.astimezone(event.zone).replace(tzinfo=None)

    def moved(moment: datetime) -> datetime:
        offset = moment.astimezone(old_zone).replace(tzinfo=None) - old_origin
        return (new_origin + offset).replace(tzinfo=event.zone)

    for entry in entries:
        entry.start, entry.end = moved(entry.start), moved(entry.end)
    problems = agenda_problems(
        event, [Slot(e.pk, e.title, e.start, e.end, e.session_id) for e in entries]
    )
    if problems:
        outside = [entry.title for entry in entries if entry.pk in problems]
        raise ValidationError(
            f"The agenda does not fit the new dates: {len(outside)} of its entries "
            f"(“{outside[0]}”{', …' if len(outside) > 1 else ''}) would fall outside the event. "
            "Shorten, move or delete them on the Agenda page first."
        )
    now = timezone.now()
    for entry in entries:
        entry.updated_at = now
    Entry.objects.bulk_update(entries, ["start", "end", "updated_at"])
    return len(entries)
