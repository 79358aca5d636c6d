"""An agenda laid out as people read it: by day in the event's zone, sessions grouped.

Pure: built from entries already fetched (see selectors), used by the pages, the organiser's
side and the plain-text agenda that calendars put in an event's description.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext

from escape_events.events.models import Event
from escape_events.events.when import clock_range_text, day_text

from .models import Entry, Session
from .shelves import Shelf


@dataclass
class SessionBlock:
    """The entries of one session on one day."""

    session: Session
    entries: list[Entry] = field(default_factory=list)

    @property
    def start(self) -> datetime:
        return self.entries[0].start

    @property
    def end(self) -> datetime:
        return max(entry.end for entry in self.entries)

    @property
    def local_start(self) -> datetime:
        return self.entries[0].local_start

    @property
    def local_end(self) -> datetime:
        return max(entry.local_end for entry in self.entries)

    @property
    def time_zone(self) -> str:
        return self.entries[0].time_zone

    is_session = True


@dataclass
class Day:
    day: date
    items: list = field(default_factory=list)  # Entry or SessionBlock, in time order

    @property
    def heading_id(self) -> str:
        return f"day-{self.day.isoformat()}"


@dataclass
class Agenda:
    event: Event
    entries: list[Entry]
    days: list[Day]
    shelf: Shelf = field(default_factory=Shelf)  # the event's own materials (selectors)

    @property
    def is_multi_day(self) -> bool:
        return len(self.days) > 1 or self.event.is_multi_day

    def __bool__(self) -> bool:
        return bool(self.entries)

    @property
    def has_materials(self) -> bool:
        """Whether the reader it was built for sees any material (see selectors.agenda_for)."""
        return bool(self.shelf) or any(getattr(entry, "shelf", None) for entry in self.entries)


def lay_out(event: Event, entries: list[Entry]) -> Agenda:
    """Group entries by their local start day, and within a day a session's entries together,
    placed at the time of its first entry; entries outside a session stand alone."""
    zone = event.zone
    days: dict[date, Day] = {}
    blocks: dict[tuple[date, int], SessionBlock] = {}
    for entry in sorted(entries, key=lambda item: (item.start, item.end, item.pk)):
        entry.event = event  # shown with the event's zone; no query
        day = entry.start.astimezone(zone).date()
        current = days.setdefault(day, Day(day))
        if entry.session_id is None:
            current.items.append(entry)
            continue
        key = (day, entry.session_id)
        if key not in blocks:
            blocks[key] = SessionBlock(entry.session)
            current.items.append(blocks[key])
        blocks[key].entries.append(entry)
    return Agenda(event=event, entries=entries, days=[days[day] for day in sorted(days)])


def speakers_line(people) -> str:
    return ", ".join(str(person) for person in people)


def _entry_line(entry: Entry, indent: str) -> str:
    start, end = entry.local_start, entry.local_end
    line = f"{indent}{clock_range_text(start, end)}  {entry.title}"
    if entry.kind != "talk":
        line += f" ({entry.get_kind_display().lower()})"
    speakers = speakers_line(entry.speakers.all())
    if speakers:
        line += f" — {speakers}"
    if entry.location:
        line += f"; {entry.location}"
    return line


def agenda_text(agenda: Agenda) -> str:
    """The agenda as plain text, one line per entry, for calendar descriptions."""
    if not agenda:
        return ""
    lines = [gettext("Agenda (times in %(zone)s):") % {"zone": agenda.event.time_zone}]
    for day in agenda.days:
        lines.append("")
        lines.append(day_text(day.day))
        for item in day.items:
            if isinstance(item, SessionBlock):
                title = item.session.title
                conveners = speakers_line(item.session.conveners.all())
                if conveners:
                    heading = gettext("Session: %(title)s (conveners: %(conveners)s)") % {
                        "title": title,
                        "conveners": conveners,
                    }
                else:
                    heading = gettext("Session: %(title)s") % {"title": title}
                if item.session.location:
                    heading += f"; {item.session.location}"
                lines.append(heading)
                lines.extend(_entry_line(entry, "  ") for entry in item.entries)
            else:
                lines.append(_entry_line(item, ""))
    return "\n".join(lines)
