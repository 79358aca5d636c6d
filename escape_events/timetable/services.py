"""Writes on agendas. Views, the CSV import, seeds and the event's own moves all call these.

Each write locks the event's row, so two organisers editing at once cannot both slip an entry
into the same free slot, then checks the agenda as it would be: every entry inside the event,
no two entries of one session at the same time (entries outside any session form the main
programme, which is one track too; sessions may run in parallel). The event's `updated_at` is
touched, since calendars show its agenda in the event's description.
"""

import zoneinfo
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from escape_events.events import locking
from escape_events.events.attachments import validate_upload
from escape_events.events.models import Event
from escape_events.events.services import with_description_text

from .models import AgendaPerson, Convener, Entry, Folder, Material, Session, Speaker
from .rules import (
    CALENDAR_FIELDS,
    Person,
    Slot,
    agenda_problems,
    clean_audience,
    clean_entry_values,
    clean_folder_title,
    clean_line,
    clean_link,
    clean_people,
    clean_session_values,
)


def _touch(event: Event) -> None:
    """The event's description in calendars carries the agenda: its feeds must refresh."""
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())


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


def _set_people(model: type[AgendaPerson], owner: dict, people: list[Person]) -> None:
    model.objects.filter(**owner).delete()
    model.objects.bulk_create(
        model(**owner, **vars(person), position=position) for position, person in enumerate(people)
    )


@transaction.atomic
def add_entry(*, event: Event, values: dict, speakers: Iterable[Person] = ()) -> Entry:
    """A new entry from `values` (start, end, title; kind, description, location, session)."""
    event = locking.lock_event(event.pk)
    values = with_description_text(clean_entry_values(event, values))
    people = clean_people(speakers, "speaker")
    entry = Entry(event=event, **values)
    _require_fits(event, [Slot(None, entry.title, entry.start, entry.end, entry.session_id)])
    entry.save()
    _set_people(Speaker, {"entry": entry}, people)
    _touch(event)
    return entry


@transaction.atomic
def update_entry(*, entry: Entry, values: dict, speakers: Iterable[Person] | None = None) -> Entry:
    """Change an entry; its SEQUENCE grows when calendars must notice (time, title, place)."""
    event = locking.lock_event(entry.event_id)
    current = Entry.objects.get(pk=entry.pk, event=event)
    values = with_description_text(clean_entry_values(event, values))
    people = None if speakers is None else clean_people(speakers, "speaker")
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
    event = locking.lock_event(event.pk)
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
            event_id=target.event_id,
            entry=target,
            title=material.title,
            audience=material.audience,
            from_start=material.from_start,
            position=material.position,
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
    event = locking.lock_event(entry.event_id)
    source = Entry.objects.get(pk=entry.pk, event=event)
    copy = Entry(
        event=event,
        session=source.session,
        start=start,
        end=start + (source.end - source.start),
        title=source.title,
        kind=source.kind,
        description=source.description,
        description_text=source.description_text,
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
    event = locking.lock_event(entry.event_id)
    _delete_files_after_commit(Material.objects.filter(entry=entry))
    Entry.objects.filter(pk=entry.pk, event=event).delete()
    _touch(event)


@transaction.atomic
def add_session(*, event: Event, values: dict, conveners: Iterable[Person] = ()) -> Session:
    event = locking.lock_event(event.pk)
    values = clean_session_values(event, values)
    people = clean_people(conveners, "convener")
    session = Session.objects.create(event=event, **values)
    _set_people(Convener, {"session": session}, people)
    _touch(event)
    return session


@transaction.atomic
def update_session(
    *, session: Session, values: dict, conveners: Iterable[Person] | None = None
) -> Session:
    event = locking.lock_event(session.event_id)
    current = Session.objects.get(pk=session.pk, event=event)
    values = clean_session_values(event, values, current)
    people = None if conveners is None else clean_people(conveners, "convener")
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
    event = locking.lock_event(session.event_id)
    entries = Entry.objects.filter(session=session, event=event)
    count = entries.count()
    _delete_files_after_commit(Material.objects.filter(entry__in=entries))
    Session.objects.filter(pk=session.pk, event=event).delete()
    _touch(event)
    return count


def _owner(event: Event | None, entry: Entry | None) -> tuple[Event, Entry | None]:
    """Materials and folders belong to an entry, or to the event as a whole (no entry)."""
    if entry is not None:
        if event is not None and entry.event_id != event.pk:
            raise ValidationError(gettext("That agenda entry belongs to another event."))
        return locking.lock_event(entry.event_id), entry
    if event is None:
        raise ValidationError(gettext("Say which event or agenda entry it belongs to."))
    return locking.lock_event(event.pk), None


def _next_position(rows) -> int:
    last = rows.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _access_values(event: Event, entry: Entry | None, access: dict) -> dict:
    """Who may open it, whether it waits for the start, and its folder: checked (the folder must
    be of the same event and entry, so what it restricts and when it opens are the same)."""
    cleaned = {}
    if "audience" in access:
        cleaned["audience"] = clean_audience(access["audience"])
    if "from_start" in access:
        cleaned["from_start"] = bool(access["from_start"])
    if "folder" in access:
        folder = access["folder"]
        if folder is not None and (
            folder.event_id != event.pk or folder.entry_id != (entry.pk if entry else None)
        ):
            if entry:
                message = gettext("Pick a folder of “%(entry)s”; that one is elsewhere.") % {
                    "entry": entry.title
                }
            else:
                message = gettext("Pick a folder of the event as a whole; that one is elsewhere.")
            raise ValidationError(message)
        cleaned["folder"] = folder
    return cleaned


def _without_folder(access: dict) -> dict:
    """A folder holds materials, not other folders."""
    return {key: value for key, value in access.items() if key != "folder"}


def _save(row: Material | Folder, values: dict) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    row.save()


@transaction.atomic
def add_material_file(
    *, uploaded_file, title: str, entry: Entry | None = None, event: Event | None = None, **access
) -> Material:
    """Attach an upload to an entry or to the event, checked by the same rules as event
    attachments (type, bytes, size). `access`: audience, from_start, folder."""
    event, entry = _owner(event, entry)
    content_type = validate_upload(uploaded_file)  # and the upload's name made clean
    title = clean_line(gettext("Title"), title, 200) or uploaded_file.name[:200]
    material = Material(
        event=event,
        entry=entry,
        title=title,
        content_type=content_type,
        size=uploaded_file.size,
        position=_next_position(Material.objects.filter(event=event, entry=entry)),
        **_access_values(event, entry, access),
    )
    material.file.save(uploaded_file.name, uploaded_file, save=False)
    material.save()
    _touch(event)
    return material


@transaction.atomic
def add_material_link(
    *, url: str, title: str, entry: Entry | None = None, event: Event | None = None, **access
) -> Material:
    """Link slides, a notebook on SWAN or a recording kept elsewhere."""
    event, entry = _owner(event, entry)
    url = clean_link(url)
    title = clean_line(gettext("Title"), title, 200) or urlsplit(url).netloc
    material = Material.objects.create(
        event=event,
        entry=entry,
        title=title,
        url=url,
        position=_next_position(Material.objects.filter(event=event, entry=entry)),
        **_access_values(event, entry, access),
    )
    _touch(event)
    return material


@transaction.atomic
def update_material(*, material: Material, title: str, **access) -> Material:
    """Rename it, change who may open it and when, or file it in another folder (None: out of
    any folder)."""
    event = locking.lock_event(material.event_id)
    current = Material.objects.select_related("entry").get(pk=material.pk, event=event)
    values = _access_values(event, current.entry, access)
    values["title"] = clean_line(gettext("Title"), title, 200) or current.title
    _save(current, values)
    _touch(event)
    return current


@transaction.atomic
def remove_material(*, material: Material) -> None:
    event = locking.lock_event(material.event_id)
    _delete_files_after_commit([material])
    material.delete()
    _touch(event)


@transaction.atomic
def add_folder(
    *, title: str, entry: Entry | None = None, event: Event | None = None, **access
) -> Folder:
    """A folder of the event, or of one agenda entry; its audience and hold apply to all in it."""
    event, entry = _owner(event, entry)
    title = clean_folder_title(event, entry, title)
    values = _access_values(event, entry, _without_folder(access))
    folder = Folder.objects.create(
        event=event,
        entry=entry,
        title=title,
        position=_next_position(Folder.objects.filter(event=event, entry=entry)),
        **values,
    )
    _touch(event)
    return folder


@transaction.atomic
def update_folder(*, folder: Folder, title: str, **access) -> Folder:
    event = locking.lock_event(folder.event_id)
    current = Folder.objects.select_related("entry").get(pk=folder.pk, event=event)
    values = _access_values(event, current.entry, _without_folder(access))
    values["title"] = clean_folder_title(event, current.entry, title, current)
    _save(current, values)
    _touch(event)
    return current


@transaction.atomic
def remove_folder(*, folder: Folder) -> int:
    """Delete a folder; what it held stays, out of any folder (and so under its own setting).
    Returns how many materials it held."""
    event = locking.lock_event(folder.event_id)
    count = Material.objects.filter(folder=folder).update(folder=None)
    Folder.objects.filter(pk=folder.pk, event=event).delete()
    _touch(event)
    return count


@transaction.atomic
def move_in_order(*, item: Material | Folder, by: int) -> None:
    """Move a material among the materials of its place (same entry and folder), or a folder
    among its entry's (or the event's) folders, one step up (-1) or down (+1)."""
    if by not in (-1, 1):
        raise ValidationError(gettext("Move one step up or down."))
    event = locking.lock_event(item.event_id)
    model = type(item)
    siblings = model.objects.filter(event=event, entry_id=item.entry_id)
    if model is Material:
        siblings = siblings.filter(folder_id=item.folder_id)
    ordered = list(siblings.order_by("position", "pk"))
    index = next((number for number, row in enumerate(ordered) if row.pk == item.pk), None)
    if index is None:
        raise ValidationError(gettext("It was deleted meanwhile."))
    other = index + by
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, row in enumerate(ordered):
        row.position = position
    model.objects.bulk_update(ordered, ["position"])
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
        named = f"“{outside[0]}”{', …' if len(outside) > 1 else ''}"
        raise ValidationError(
            ngettext(
                "The agenda does not fit the new dates: %(count)s of its entries (%(named)s) "
                "would fall outside the event. Shorten, move or delete it on the Agenda page "
                "first.",
                "The agenda does not fit the new dates: %(count)s of its entries (%(named)s) "
                "would fall outside the event. Shorten, move or delete them on the Agenda page "
                "first.",
                len(outside),
            )
            % {"count": len(outside), "named": named}
        )
    now = timezone.now()
    for entry in entries:
        entry.updated_at = now
    Entry.objects.bulk_update(entries, ["start", "end", "updated_at"])
    return len(entries)
