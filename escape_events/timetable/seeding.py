"""Agendas of the seeded events (the `agenda` blocks of seeds/escape.json).

An entry's `day` counts from the event's first day (1) in its own zone, so the same placeholder
agenda fits an event and its demo edition. An agenda is created once, when its event has none:
loading again, or after organisers edited it, changes nothing.
"""

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction

from escape_events.events.models import Event, Series
from escape_events.events.seeding import SEED_FILE

from . import services
from .models import Entry, Session


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
        for material in item.get("materials", []):
            services.add_material_link(entry=entry, url=material["url"], title=material["title"])
    return True


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
    for spec in data.get("events", []) + data.get("demo_events", []):
        if "agenda" in spec:
            created += _load_agenda(Event.objects.get(slug=spec["slug"]), spec["agenda"])
    return created
