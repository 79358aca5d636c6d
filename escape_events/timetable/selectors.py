"""Reads of agendas, each in a fixed number of queries whatever the number of entries."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from escape_events.events.models import Event, Series

from .agenda import Agenda, lay_out
from .minutes import minutes_by_entry
from .models import Convener, Entry, Material, Speaker


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


def agenda_for(event: Event, *, with_materials: bool = True, with_minutes: bool = False) -> Agenda:
    """The event's agenda laid out by day: 1 query when empty, else 3 to 6 (speakers,
    materials, minutes, and conveners when there are sessions). With minutes, each entry
    carries its own as `entry.minutes` (None when it has none)."""
    entries = _entries().filter(event=event)
    if with_materials:
        entries = entries.prefetch_related(Prefetch("materials", queryset=Material.objects.all()))
    entries = list(entries)
    if with_minutes and entries:
        minutes = minutes_by_entry(event)
        for entry in entries:
            entry.minutes = minutes.get(entry.pk)
    return lay_out(event, entries)


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
    meetings = list(
        Event.objects.filter(series=series).filter(with_entries).order_by("-start")[:limit]
    )
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
