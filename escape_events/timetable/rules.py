"""What an agenda must respect, checked before anything is stored; these read, never write.

Entries lie inside their event (multi-day events: any of its days); entries of one session follow
each other (entries outside any session form the main programme, one track too); sessions may run
in parallel. Texts that reach calendars and mails stay on one line, as everywhere on the site.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from escape_events.core.headers import is_control
from escape_events.events.models import Event
from escape_events.events.when import clock_range_text, describe_span

from .models import Audience, Entry, EntryKind, Folder, Session

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


def _span_text(slot: Slot, event: Event) -> str:
    zone = event.zone
    return clock_range_text(
        slot.start.astimezone(zone), slot.end.astimezone(zone), with_day=event.is_multi_day
    )


def _overlap(slot: Slot, other: Slot, event: Event, sessions: dict[int, str]) -> str:
    values = {"title": other.title, "span": _span_text(other, event)}
    if slot.session_id is None:
        return (
            gettext(
                "It overlaps “%(title)s” (%(span)s) in the main programme (entries outside any "
                "session): entries of one session follow each other; put parallel items in another "
                "session."
            )
            % values
        )
    return gettext(
        "It overlaps “%(title)s” (%(span)s) in the session “%(session)s”: entries of one session "
        "follow each other; put parallel items in another session."
    ) % {**values, "session": sessions.get(slot.session_id, "")}


def agenda_problems(event: Event, placed: Sequence[Slot]) -> dict[object, list[str]]:
    """What is wrong with placing these slots in the event's agenda, by slot key (empty: fine).

    Other stored entries stay where they are; a placed key that is a stored entry's pk stands
    for that entry at its new place.
    """
    problems: dict[object, list[str]] = {}
    sessions = dict(Session.objects.filter(event=event).values_list("pk", "title"))
    inside = gettext("The event runs %(span)s: entries must lie within it.") % {
        "span": describe_span(event)
    }
    for slot in placed:
        if slot.end <= slot.start:
            problems.setdefault(slot.key, []).append(gettext("The end must be after the start."))
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
                problems.setdefault(slot.key, []).append(_overlap(slot, other, event, sessions))
                break
    return problems


def clean_line(label: str, value: str, limit: int) -> str:
    """`label`: the field's name as the form shows it (translated by the caller)."""
    value = (value or "").strip()
    if any(is_control(character) for character in value):
        raise ValidationError(
            # Translators: %(label)s is a field's name, e.g. "Title".
            gettext("%(label)s: keep it on one line, without tabs or control characters.")
            % {"label": label}
        )
    if len(value) > limit:
        raise ValidationError(
            gettext("%(label)s: at most %(limit)s characters (this has %(length)s).")
            % {"label": label, "limit": limit, "length": len(value)}
        )
    return value


# Per role ("speaker", "convener"), as the services name it.
_NEEDS_A_NAME = {
    "speaker": _("Each speaker needs a name (or a registered participant)."),
    "convener": _("Each convener needs a name (or a registered participant)."),
}
_NAME_LABEL = {"speaker": _("Speaker's name"), "convener": _("Convener's name")}


def clean_people(people: Iterable[Person], label: str) -> list[Person]:
    cleaned = []
    for person in people:
        name = person.name.strip() or (person.user.display_name if person.user else "")
        affiliation = person.affiliation.strip() or getattr(person.user, "affiliation", "") or ""
        if not name:
            raise ValidationError(str(_NEEDS_A_NAME[label]))
        cleaned.append(
            Person(
                name=clean_line(str(_NAME_LABEL[label]), name, 200),
                affiliation=clean_line(gettext("Affiliation"), affiliation, 200),
                user=person.user,
            )
        )
    return cleaned


def clean_entry_values(event: Event, values: dict) -> dict:
    cleaned = dict(values)
    if "title" in cleaned:
        cleaned["title"] = clean_line(gettext("Title"), cleaned["title"], TEXT_LIMITS["title"])
        if not cleaned["title"]:
            raise ValidationError(gettext("Give the entry a title."))
    if "location" in cleaned:
        cleaned["location"] = clean_line(gettext("Room or place"), cleaned["location"], 200)
    if "description" in cleaned:
        cleaned["description"] = (cleaned["description"] or "").replace("\r\n", "\n").strip()
        if len(cleaned["description"]) > TEXT_LIMITS["description"]:
            raise ValidationError(
                gettext("Description: at most %(limit)s characters.")
                % {"limit": TEXT_LIMITS["description"]}
            )
    if "kind" in cleaned and cleaned["kind"] not in EntryKind.values:
        raise ValidationError(
            gettext("Unknown kind of entry “%(kind)s”.") % {"kind": cleaned["kind"]}
        )
    session = cleaned.get("session")
    if session is not None and session.event_id != event.pk:
        raise ValidationError(gettext("That session belongs to another event."))
    return cleaned


def clean_session_values(event: Event, values: dict, session: Session | None = None) -> dict:
    cleaned = {
        "title": clean_line(gettext("Title"), values.get("title", ""), 200),
        "location": clean_line(gettext("Room or place"), values.get("location", ""), 200),
    }
    if not cleaned["title"]:
        raise ValidationError(gettext("Give the session a title."))
    taken = Session.objects.filter(event=event, title__iexact=cleaned["title"])
    if session is not None:
        taken = taken.exclude(pk=session.pk)
    if taken.exists():
        raise ValidationError(
            gettext("This event already has a session “%(title)s”.") % {"title": cleaned["title"]}
        )
    return cleaned


def clean_link(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or any(c.isspace() for c in url):
        raise ValidationError(
            gettext("Give a full web address starting with https:// (or http://).")
        )
    if len(url) > 500:
        raise ValidationError(gettext("The address is too long (at most 500 characters)."))
    return url


def clean_audience(value: str) -> str:
    if value not in Audience.values:
        raise ValidationError(
            gettext("Unknown audience “%(value)s”: pick who may open it from the list.")
            % {"value": value}
        )
    return value


def clean_folder_title(event: Event, entry: Entry | None, title: str, folder=None) -> str:
    title = clean_line(gettext("Folder name"), title, 200)
    if not title:
        raise ValidationError(gettext("Give the folder a name."))
    taken = Folder.objects.filter(event=event, entry=entry, title__iexact=title)
    if folder is not None:
        taken = taken.exclude(pk=folder.pk)
    if taken.exists():
        if entry:
            message = gettext("The entry “%(entry)s” already has a folder “%(title)s”.")
        else:
            message = gettext("The event already has a folder “%(title)s”.")
        raise ValidationError(message % {"entry": entry.title if entry else "", "title": title})
    return title
