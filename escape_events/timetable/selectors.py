"""Reads of agendas, each in a fixed number of queries whatever the number of entries."""

import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from escape_events.events.models import Event, Series
from escape_events.events.selectors import with_translations

from .access import Reader
from .agenda import Agenda, lay_out
from .bundles import Member, safe_part, unique_paths
from .minutes import minutes_by_entry
from .models import Convener, Entry, Folder, Material, Speaker
from .shelves import Shelf, shelves


def _entries(*, conveners: bool = True) -> QuerySet[Entry]:
    """Entries with what views of them show: session (and its conveners), speakers."""
    entries = Entry.objects.select_related("session").prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.order_by("position", "pk"))
    )
    if conveners:
        entries = entries.prefetch_related(
            Prefetch("session__conveners", queryset=Convener.objects.order_by("position", "pk"))
        )
    return entries


def agenda_for(
    event: Event,
    *,
    reader: Reader | None = None,
    now=None,
    with_materials: bool = True,
    with_minutes: bool = False,
) -> Agenda:
    """The event's agenda laid out by day: 1 query when empty, else 3 to 6 (speakers,
    materials, minutes, and conveners when there are sessions).

    Without a reader, every material of each entry (`entry.materials`: the organiser's side;
    none with `with_materials=False`); with one, what that reader may see (`entry.shelf`, and the
    event's own in `agenda.shelf`), judged at `now` (None: listed as if every hold were over, see
    shelves). With minutes, each entry carries its own as `entry.minutes` (None when it has
    none)."""
    entries = _entries().filter(event=event)
    if reader is None and with_materials:
        materials = Material.objects.select_related("folder")
        entries = entries.prefetch_related(Prefetch("materials", queryset=materials))
    entries = list(entries)
    if with_minutes and entries:
        minutes = minutes_by_entry(event)
        for entry in entries:
            entry.minutes = minutes.get(entry.pk)
    agenda = lay_out(event, entries)
    if reader is None:
        return agenda
    found = material_shelves(event, reader, now)
    for entry in agenda.entries:
        entry.shelf = found.get(entry.pk, Shelf())
    agenda.shelf = found.get(None, Shelf())
    return agenda


def event_materials(event: Event) -> list[Material]:
    """Every material of the event with its folder, as the access rule reads them: 1 query."""
    materials = Material.objects.filter(event=event).select_related("folder__entry", "entry")
    materials = list(materials)
    for material in materials:
        material.event = event  # no query: the rule and the links read its zone and slug
    return materials


def material_shelves(event: Event, reader: Reader, now=None) -> dict[int | None, Shelf]:
    """The event's materials as `reader` sees them, by entry id (None: the event's own)."""
    return shelves(event_materials(event), reader, now)


def agendas_for(
    events: Iterable[Event], event_ids: QuerySet | None = None, *, conveners: bool = True
) -> dict[int, Agenda]:
    """Agendas of many events (calendar feeds) in at most three queries.

    `event_ids` is a queryset of the same events' primary keys, so that a feed of thousands of
    events filters by subquery rather than by a list of thousands of parameters.
    """
    events = {event.pk: event for event in events}
    if not events:
        return {}
    wanted = event_ids if event_ids is not None else list(events)
    by_event: dict[int, list[Entry]] = defaultdict(list)
    for entry in _entries(conveners=conveners).filter(event__in=wanted):
        if entry.event_id in events:
            by_event[entry.event_id].append(entry)
    return {pk: lay_out(events[pk], entries) for pk, entries in by_event.items()}


def recent_agendas(series: Series, limit: int = 5) -> list[Agenda]:
    """The latest meetings of a series that have an agenda, newest first, in three queries
    (their titles and speakers; conveners are for the meeting's own page)."""
    with_entries = Exists(Entry.objects.filter(event=OuterRef("pk")))
    meetings = Event.objects.filter(series=series).filter(with_entries).order_by("-start")
    # Their titles in the reader's language: one more query outside the original language.
    meetings = list(with_translations(meetings, "series__translations")[:limit])
    agendas = agendas_for(meetings, conveners=False)
    return [agendas[meeting.pk] for meeting in meetings if meeting.pk in agendas]


def agenda_roles(user) -> list[dict]:
    """Where the person is named on an agenda (speaker or convener), for their data export: 2
    queries."""
    speaking = Speaker.objects.filter(user=user).select_related("entry__event")
    convening = Convener.objects.filter(user=user).select_related("session__event")
    return [
        *(
            {
                "role": "speaker",
                "name_as_written": person.name,
                "affiliation_as_written": person.affiliation,
                "event": person.entry.event.title,
                "entry": person.entry.title,
                "start": person.entry.start.isoformat(),
            }
            for person in speaking
        ),
        *(
            {
                "role": "convener",
                "name_as_written": person.name,
                "affiliation_as_written": person.affiliation,
                "event": person.session.event.title,
                "session": person.session.title,
            }
            for person in convening
        ),
    ]


def _member_name(material: Material) -> str:
    extension = material.extension.lower()
    title = safe_part(material.title)
    return title if title.lower().endswith(f".{extension}") else f"{title}.{extension}"


def zip_members(event: Event, reader: Reader, now) -> list[Member]:
    """Every file `reader` may open at `now`, placed as the page shows them (the event's own at
    the top, then one folder per agenda entry, folders inside), with the open links in
    links.txt: 3 queries (entries, materials, folders), files read only while the ZIP is sent."""
    found = material_shelves(event, reader, now)
    entries = {}
    for entry in Entry.objects.filter(event=event).only("title", "start", "end", "event"):
        entry.event = event  # its local time needs the zone; no query
        entries[entry.pk] = entry
    paths: list[str] = []
    files: list[Material] = []
    links: list[str] = []
    for key, shelf in sorted(found.items(), key=lambda item: _shelf_order(item[0], entries)):
        base = "" if key is None else f"{_entry_folder(entries[key])}/"
        groups = [("", shelf.loose)] + [
            (f"{safe_part(group.folder.title)}/", group.items) for group in shelf.folders
        ]
        for folder, items in groups:
            for shown in items:
                material = shown.material
                if material.is_link:
                    links.append(f"{base}{folder}{material.title}: {material.url}")
                else:
                    paths.append(f"{base}{folder}{_member_name(material)}")
                    files.append(material)
    members = [
        Member(path, material.size or material.file.size, material.created_at, _opener(material))
        for path, material in zip(unique_paths(paths), files, strict=True)
    ]
    if links:
        text = ("\n".join(links) + "\n").encode()
        members.append(Member("links.txt", len(text), now, lambda: io.BytesIO(text)))
    return members


def _opener(material: Material):
    return lambda: material.file.open("rb")


def _shelf_order(key, entries):
    return (0, 0, 0) if key is None else (1, entries[key].start, key)


def _entry_folder(entry: Entry) -> str:
    return safe_part(f"{entry.local_start:%Y-%m-%d %H%M} {entry.title}")


@dataclass
class Place:
    """The event itself (entry None) or one agenda entry, with its folders and materials in
    their order: what the organiser's materials page lists."""

    entry: Entry | None
    loose: list[Material] = field(default_factory=list)
    folders: list[tuple[Folder, list[Material]]] = field(default_factory=list)


def organiser_materials(event: Event) -> list[Place]:
    """Every folder and material of the event by place, the event first then the entries in
    time order (entries without any shown too, so one can be filled): 3 queries."""
    entries = list(Entry.objects.filter(event=event).order_by("start", "end", "pk"))
    places = {None: Place(None)} | {entry.pk: Place(entry) for entry in entries}
    for entry in entries:
        entry.event = event
    in_folder: dict[int, list[Material]] = {}
    for folder in Folder.objects.filter(event=event).order_by("position", "pk"):
        in_folder[folder.pk] = []
        places[folder.entry_id].folders.append((folder, in_folder[folder.pk]))
    for material in event_materials(event):
        if material.folder_id:
            in_folder[material.folder_id].append(material)
        else:
            places[material.entry_id].loose.append(material)
    return list(places.values())
