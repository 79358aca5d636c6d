"""Load the real ESCAPE events from seeds/escape.json.

Seeds create what is missing and never overwrite: a venue, series, meeting or event that exists
is left as it is, whatever organisers changed in it since. Only `reset_demo` (the command's
`--reset-demo`) throws the demo edition away so that it is made again.
"""

import json
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Attachment, Event, MeetingAttendance, Series, Venue
from .selectors import next_occurrences
from .services import (
    add_attachment,
    add_extra_meeting,
    create_series,
    materialise_occurrence,
    move_occurrence,
    update_event,
    update_series,
    with_description_text,
)

SEEDS_DIR = settings.BASE_DIR / "seeds"
SEED_FILE = SEEDS_DIR / "escape.json"


def _local(value: str, zone: zoneinfo.ZoneInfo) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=zone)


def _span(spec: dict, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime, bool]:
    """Start and end of an event; all-day events end at midnight after their last day."""
    if spec.get("all_day"):
        first = date.fromisoformat(spec["start"])
        last = date.fromisoformat(spec["end"])
        start = datetime.combine(first, time(), zone)
        return start, datetime.combine(last + timedelta(days=1), time(), zone), True
    return _local(spec["start"], zone), _local(spec["end"], zone), False


def _demo_span(spec: dict, zone: zoneinfo.ZoneInfo, today: date) -> tuple[datetime, datetime, bool]:
    day = today + timedelta(days=spec["days_from_now"])
    day += timedelta(days=(spec["weekday"] - day.weekday()) % 7)
    if spec.get("all_day"):
        start = datetime.combine(day, time(), zone)
        return start, start + timedelta(days=spec["length_days"]), True
    start = datetime.combine(day, time.fromisoformat(spec["start_time"]), zone)
    end = datetime.combine(day, time.fromisoformat(spec["end_time"]), zone)
    return start, end, False


COMMON_FIELDS = (
    "title", "kind", "summary", "description", "time_zone", "online_url", "remote_note",
    "contact_name", "contact_email", "audience_note", "data_note",
)  # fmt: skip


def _common(spec: dict, venues: dict[str, Venue]) -> dict:
    values = {field: spec.get(field, "") for field in COMMON_FIELDS}
    values["venue"] = venues.get(spec.get("venue", ""))
    return with_description_text(values)


def _load_venues(specs: list[dict]) -> dict[str, Venue]:
    venues = {}
    for spec in specs:
        venue, _ = Venue.objects.get_or_create(
            name=spec["name"],
            room=spec.get("room", ""),
            defaults={
                "address": spec.get("address", ""),
                "latitude": Decimal(spec["latitude"]) if spec.get("latitude") else None,
                "longitude": Decimal(spec["longitude"]) if spec.get("longitude") else None,
            },
        )
        venues[spec["key"]] = venue
    return venues


def _attach_minutes(event: Event, path: Path) -> None:
    """The minutes as they were written, attached as a file; their text goes under the agenda
    items (timetable.seeding)."""
    text = path.read_text(encoding="utf-8")
    add_attachment(
        event=event,
        uploaded_file=ContentFile(text.encode("utf-8"), name=path.name),
        title=f"Minutes, {event.local_start:%d %b %Y}",
        kind=Attachment.Kind.MINUTES,
    )


@dataclass(frozen=True)
class LoadedSeeds:
    """What a load found in the seed file, and the slugs of what it had to create."""

    venues: int
    series: int
    events: int
    new_series: frozenset[str]
    new_events: frozenset[str]


def _load_series(spec: dict, venues: dict[str, Venue]) -> tuple[Series, bool]:
    """Created once, then kept: changes made in the organiser area survive the next load.
    A seeded meeting is given its labels, minutes and attendance when its row is made."""
    zone = zoneinfo.ZoneInfo(spec["time_zone"])
    series, created = Series.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            **_common(spec, venues),
            "first_start": _local(spec["first_start"], zone),
            "duration": timedelta(minutes=spec["duration_minutes"]),
            "rrule": spec["rrule"],
        },
    )
    for occurrence in spec.get("occurrences", []):
        recurrence_id = _local(occurrence["recurrence_id"], zone)
        if Event.objects.filter(series=series, recurrence_id=recurrence_id).exists():
            continue
        event = materialise_occurrence(series=series, recurrence_id=recurrence_id)
        Event.objects.filter(pk=event.pk).update(
            title=occurrence.get("title", series.title),
            summary=occurrence.get("summary", series.summary),
            data_note=occurrence.get("data_note", series.data_note),
        )
        if occurrence.get("minutes_file"):
            _attach_minutes(event, SEEDS_DIR / occurrence["minutes_file"])
        for name in occurrence.get("present", []):
            MeetingAttendance.objects.create(event=event, name=name)
    return series, created


def _load_demo_series(spec: dict, venues: dict[str, Venue], today: date) -> tuple[Series, bool]:
    """A series made, once, as an organiser makes one: created with a rule, the rule then
    changed, one meeting moved and an extra one added, all through events.services."""
    existing = Series.objects.filter(slug=spec["slug"]).first()
    if existing:
        return existing, False
    zone = zoneinfo.ZoneInfo(spec["time_zone"])
    day = today + timedelta(days=spec["first_day_from_first_load"])
    start = datetime.combine(day, time.fromisoformat(spec["start_time"]), zone)
    end = datetime.combine(day, time.fromisoformat(spec["end_time"]), zone)
    values = {**_common(spec, venues), "slug": spec["slug"], "rrule": spec["rrule"]}
    series = create_series(values={**values, "first_start": start, "duration": end - start})
    now = datetime.combine(today, time(), zone)
    update_series(series=series, values={"rrule": spec["edited_rrule"]}, now=now)
    series.refresh_from_db()
    moved = spec["moved_meeting"]
    meeting = next_occurrences(series, moved["nth_upcoming"], now)[-1]
    shift = timedelta(days=moved["days_later"])
    move_occurrence(
        series=series, recurrence_id=meeting.recurrence_id, start=meeting.start + shift,
        end=meeting.end + shift, venue=None,
    )  # fmt: skip
    extra = spec["extra_meeting"]
    extra_day = today + timedelta(days=extra["days_from_first_load"])
    add_extra_meeting(
        series=series,
        start=datetime.combine(extra_day, time.fromisoformat(extra["start_time"]), zone),
        end=datetime.combine(extra_day, time.fromisoformat(extra["end_time"]), zone),
    )
    return series, True


def _load_event(spec: dict, venues: dict[str, Venue], span) -> tuple[Event, bool]:
    start, end, all_day = span
    return Event.objects.get_or_create(
        slug=spec["slug"],
        defaults={**_common(spec, venues), "start": start, "end": end, "all_day": all_day},
    )


@transaction.atomic
def load_seeds(path: Path = SEED_FILE, today: date | None = None) -> LoadedSeeds:
    """Create every seeded venue, series, meeting and event that is missing; keep the rest."""
    data = json.loads(path.read_text(encoding="utf-8"))
    today = today or timezone.localdate()
    venues = _load_venues(data.get("venues", []))
    series = [_load_series(spec, venues) for spec in data.get("series", [])]
    series += [_load_demo_series(spec, venues, today) for spec in data.get("demo_series", [])]
    events, new_events = {}, set()
    for spec in data.get("events", []):
        zone = zoneinfo.ZoneInfo(spec["time_zone"])
        events[spec["slug"]], created = _load_event(spec, venues, _span(spec, zone))
        if created:
            new_events.add(spec["slug"])
    for spec in data.get("demo_events", []):
        existing = Event.objects.filter(slug=spec["slug"]).first()
        if existing:  # demo dates are set once, relative to the first load, then kept
            events[spec["slug"]] = existing
            continue
        zone = zoneinfo.ZoneInfo(spec["time_zone"])
        events[spec["slug"]], _ = _load_event(spec, venues, _demo_span(spec, zone, today))
        new_events.add(spec["slug"])
    for spec in data.get("events", []) + data.get("demo_events", []):
        if spec.get("colocated_with") and spec["slug"] in new_events:
            event = events[spec["slug"]]
            partners = [events[slug] for slug in spec["colocated_with"]]
            update_event(
                event=event, values={}, colocated_with=[*event.colocated_with.all(), *partners]
            )
    return LoadedSeeds(
        venues=len(venues),
        series=len(series),
        events=len(events),
        new_series=frozenset(item.slug for item, created in series if created),
        new_events=frozenset(new_events),
    )


def demo_slugs(path: Path = SEED_FILE) -> tuple[list[str], list[str]]:
    """The slugs of the demo edition's events and series (invented, made relative to today)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return (
        [spec["slug"] for spec in data.get("demo_events", [])],
        [spec["slug"] for spec in data.get("demo_series", [])],
    )
