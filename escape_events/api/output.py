"""Models and selector results turned into the plain values the schemas describe."""

from collections.abc import Mapping
from datetime import UTC

from django.conf import settings
from django.urls import reverse

from escape_events.events.models import Event, Series, Venue
from escape_events.events.selectors import Occurrence
from escape_events.organisers.selectors import ModeCounts, answer_column
from escape_events.registrations import question_kinds
from escape_events.registrations.models import Question, Registration
from escape_events.timetable.models import Entry

Status = Registration.Status


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def venue(item: Venue | None) -> dict | None:
    if item is None:
        return None
    return {
        "name": item.name,
        "room": item.room,
        "address": item.address,
        "latitude": float(item.latitude) if item.latitude is not None else None,
        "longitude": float(item.longitude) if item.longitude is not None else None,
    }


def event(item: Event) -> dict:
    """Needs `venue` and `series` selected with the event."""
    return {
        "slug": item.slug,
        "title": item.title,
        "kind": item.kind,
        "summary": item.summary,
        "start": item.start,
        "end": item.end,
        "all_day": item.all_day,
        "time_zone": item.time_zone,
        "status": item.status,
        "series": item.series.slug if item.series_id else None,
        "is_moved": item.is_moved,
        "venue": venue(item.venue),
        "url": absolute(item.get_absolute_url()),
        "ics_url": absolute(reverse("feeds:event", kwargs={"slug": item.slug})),
    }


def translations(item: Event) -> dict[str, dict]:
    """The organisers' translations by language: {"fr": {"title": …, "description": …}}. A
    meeting without its own translation into a language takes its series' (as the pages do).
    Needs `translations` and `series__translations` prefetched."""
    found = {}
    if item.series_id and item.title == item.series.title:
        found = {row.language: row for row in item.series.translations.all()}
    found |= {row.language: row for row in item.translations.all()}
    return {
        language: {"title": row.title, "description": row.description}
        for language, row in sorted(found.items())
    }


def event_ref(item: Event) -> dict:
    return {
        "slug": item.slug,
        "title": item.title,
        "start": item.start,
        "end": item.end,
        "status": item.status,
        "url": absolute(item.get_absolute_url()),
    }


def question(item: Question, free: Mapping[int, Mapping[str, int]] | None = None) -> dict:
    """`free`: `availability.options_free` of the event's questions (left per limited option)."""
    return {
        "id": item.pk,
        "label": item.label,
        "kind": item.kind,
        "choices": [str(choice) for choice in item.choices or []],
        "required": item.required,
        "help_text": item.help_text,
        "min_value": item.min_value,
        "max_value": item.max_value,
        "option_limits": dict(item.option_limits or {}),
        "options_left": dict((free or {}).get(item.pk, {})),
        "shown_if": item.shown_if_id,
        "shown_if_value": item.shown_if_value,
    }


def series(item: Series) -> dict:
    return {
        "slug": item.slug,
        "title": item.title,
        "kind": item.kind,
        "summary": item.summary,
        "schedule": item.describe_schedule(),
        "rrule": item.rrule,
        "first_start": item.first_start,
        "duration_minutes": int(item.duration.total_seconds() // 60),
        "time_zone": item.time_zone,
        "venue": venue(item.venue),
        "url": absolute(item.get_absolute_url()),
        "ics_url": absolute(reverse("feeds:series", kwargs={"slug": item.slug})),
    }


def occurrence(item: Occurrence) -> dict:
    """Times in UTC like every other time of the API (computed meetings carry the series' zone)."""
    return {
        "series": item.series.slug,
        "title": item.title,
        "recurrence_id": item.recurrence_id.astimezone(UTC),
        "start": item.start.astimezone(UTC),
        "end": item.end.astimezone(UTC),
        "is_moved": item.is_moved,
        "is_cancelled": item.is_cancelled,
        "event": item.override.slug if item.override else None,
        "venue": venue(item.venue),
        "url": absolute(item.get_absolute_url()),
    }


def my_registration(item: Registration) -> dict:
    """`waiting_position` and `switch_to` come from the selector that read the row, if any."""
    return {
        "id": item.pk,
        "event": event_ref(item.event),
        "mode": item.mode,
        "status": item.status,
        "waiting_for_mode": item.waiting_for_mode,
        "waiting_position": getattr(item, "waiting_position", None),
        "switch_to": getattr(item, "switch_to", ""),
        "join_line": getattr(item, "join_line", ""),
        "modify_until": getattr(item, "modify_until", None),
        "consent_to_list": item.consent_to_list,
        "created_at": item.created_at,
        "status_changed_at": item.status_changed_at,
        "checked_in_at": item.checked_in_at,
        "check_in_code": item.check_in_code,
    }


def mode_counts(item: ModeCounts) -> dict:
    places = item.places
    return {
        "mode": item.mode,
        "label": item.label,
        "offered": item.offered,
        "capacity": places.capacity,
        "places_left": places.free,
        "in_line": places.waiting,
        "checked_in": item.checked_in,
        **{status: item.count(status) for status in Status.values},
    }


def participant(row: Registration, questions: list[Question]) -> dict:
    """A row of `organisers.selectors.participants` (answers are annotated columns)."""
    user = row.user
    return {
        "id": row.pk,
        "name": user.display_name,
        "email": user.email,
        "affiliation": user.affiliation,
        "mode": row.mode,
        "status": row.status,
        "waiting_for_mode": row.waiting_for_mode,
        "consent_to_list": row.consent_to_list,
        "registered_at": row.created_at,
        "status_changed_at": row.status_changed_at,
        "checked_in_at": row.checked_in_at,
        "answers": [
            {
                "question": item.pk,
                "label": item.label,
                "value": value,
                "display": question_kinds.display(item, value),
            }
            for item in questions
            if (value := getattr(row, answer_column(item)))
        ],
    }


def _person(item) -> dict:
    return {"name": item.name, "affiliation": item.affiliation}


def agenda_entry(item: Entry) -> dict:
    """Needs the entry's session, conveners and speakers fetched with it, and its shelf."""
    session = item.session
    return {
        "id": item.pk,
        "title": item.title,
        "kind": item.kind,
        "start": item.start,
        "end": item.end,
        "place": item.place,
        "description": item.description,
        "session": {
            "title": session.title,
            "location": session.location,
            "conveners": [_person(person) for person in session.conveners.all()],
        }
        if session
        else None,
        "speakers": [_person(person) for person in item.speakers.all()],
        "materials": materials(item.shelf),
    }


def materials(shelf) -> list[dict]:
    """What a shelf (timetable.selectors.agenda_for with a reader and a time) lists: only what
    the caller may open then. A restricted link goes through our address, which checks again."""
    return [
        {
            "title": shown.material.title,
            "url": absolute(href) if (href := shown.material.href).startswith("/") else href,
            "is_link": shown.material.is_link,
            "folder": shown.material.folder.title if shown.material.folder_id else None,
        }
        for shown in shelf.shown
    ]
