"""Agendas of the seeded events (the `agenda` blocks of seeds/escape.json).

An entry's `day` counts from the event's first day (1) in its own zone, so the same placeholder
agenda fits an event and its demo edition. Entries, and the agenda block itself (the event's
own), may carry `folders` and `materials` (links, or files under seeds/materials/) with who may
open them. An agenda is created once, when its event has none: loading again, or after
organisers edited it, changes nothing. Minutes (`minutes_file`, of the agenda for the whole
meeting or of an entry) are given to a meeting or item that has none yet, so a database loaded
before they were in the seeds gets them, and written minutes stay.
"""

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from django.core.files import File
from django.db import transaction

from escape_events.events.models import Event, Series
from escape_events.events.seeding import SEED_FILE, SEEDS_DIR

from . import services
from .minutes import save_minutes
from .models import Entry, Minutes, Session


def _moment(event: Event, day: int, clock: str) -> datetime:
    first = event.local_start.date() + timedelta(days=day - 1)
    return datetime.combine(first, time.fromisoformat(clock), event.zone)


def _people(specs: list[dict]) -> list[services.Person]:
    return [services.Person(spec["name"], spec.get("affiliation", "")) for spec in specs]


def _load_agenda(event: Event, spec: dict) -> bool:
    if Entry.objects.filter(event=event).exists():
        return False
    sessions: dict[str, Session] = {}
    for item in spec.get("sessions", []):
        values = {"title": item["title"], "location": item.get("location", "")}
        sessions[item["title"]] = services.add_session(
            event=event, values=values, conveners=_people(item.get("conveners", []))
        )
    for item in spec["entries"]:
        entry = services.add_entry(
            event=event,
            values={
                "start": _moment(event, item["day"], item["start"]),
                "end": _moment(event, item["day"], item["end"]),
                "title": item["title"],
                "kind": item.get("kind", "talk"),
                "description": item.get("description", ""),
                "location": item.get("location", ""),
                "session": sessions.get(item.get("session", "")),
            },
            speakers=_people(item.get("speakers", [])),
        )
        _load_materials(event, entry, item)
    _load_materials(event, None, spec)
    return True


def _access(spec: dict) -> dict:
    return {key: spec[key] for key in ("audience", "from_start") if key in spec}


def _load_materials(event: Event, entry: Entry | None, spec: dict) -> None:
    """Folders and materials of an entry (or, with no entry, of the event): links, or files
    kept beside the seed file (seeds/materials/), uploaded through the same checks."""
    folders = {
        item["title"]: services.add_folder(
            event=event, entry=entry, title=item["title"], **_access(item)
        )
        for item in spec.get("folders", [])
    }
    for item in spec.get("materials", []):
        access = {**_access(item), "folder": folders.get(item.get("folder", ""))}
        owner = {"event": event, "entry": entry, "title": item["title"]}
        if "file" in item:
            path = SEED_FILE.parent / item["file"]
            with path.open("rb") as stored:
                services.add_material_file(
                    uploaded_file=File(stored, name=path.name), **owner, **access
                )
        else:
            services.add_material_link(url=item["url"], **owner, **access)


def _give_minutes(event: Event, entry: Entry | None, name: str) -> None:
    if Minutes.objects.filter(event=event, entry=entry).exists():
        return
    text = (SEEDS_DIR / name).read_text(encoding="utf-8")
    save_minutes(event=event, entry=entry, text=text, base_revision=0, by=None)


def _load_minutes(event: Event, spec: dict) -> None:
    if spec.get("minutes_file"):
        _give_minutes(event, None, spec["minutes_file"])
    for item in spec["entries"]:
        if not item.get("minutes_file"):
            continue
        start = _moment(event, item["day"], item["start"])
        entry = Entry.objects.filter(event=event, title=item["title"], start=start).first()
        if entry is not None:  # an organiser may have renamed or moved it
            _give_minutes(event, entry, item["minutes_file"])


@transaction.atomic
def load_agenda_seeds(path: Path = SEED_FILE) -> int:
    """Give every seeded event and meeting with an `agenda` block its agenda; returns how many
    were created now (events already loaded by events.seeding.load_seeds)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    for spec in data.get("series", []):
        series = Series.objects.get(slug=spec["slug"])
        for occurrence in spec.get("occurrences", []):
            if "agenda" not in occurrence:
                continue
            start = datetime.fromisoformat(occurrence["recurrence_id"]).replace(tzinfo=series.zone)
            event = Event.objects.get(series=series, recurrence_id=start)
            created += _load_agenda(event, occurrence["agenda"])
            _load_minutes(event, occurrence["agenda"])
    for spec in data.get("events", []) + data.get("demo_events", []):
        if "agenda" in spec:
            event = Event.objects.get(slug=spec["slug"])
            created += _load_agenda(event, spec["agenda"])
            _load_minutes(event, spec["agenda"])
    return created
