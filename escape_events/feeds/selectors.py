"""Reads for feeds: what a feed holds, in a fixed number of queries, and a cheap fingerprint of it.

The fingerprint (for ETag and the body cache) costs three small aggregate queries and no
serialising, so a conditional GET of a feed with thousands of events answers 304 quickly.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from escape_events.calendars.ics import SeriesEntry
from escape_events.events.models import Event, Series, Venue
from escape_events.registrations.models import Registration
from escape_events.timetable.agenda import Agenda
from escape_events.timetable.selectors import agendas_for

# Bump when the output format changes, so cached bodies and client ETags are not reused.
FORMAT_VERSION = "1"


def window_start(today: date) -> datetime:
    """Feeds keep past events this far back (FEEDS_PAST_MONTHS), from a day boundary."""
    first_day = today - relativedelta(months=settings.FEEDS_PAST_MONTHS)
    return datetime.combine(first_day, time.min, UTC)


@dataclass(frozen=True)
class FeedScope:
    """Which standalone events and which series (with all their stored occurrences) a feed holds."""

    events: QuerySet[Event]
    series: QuerySet[Series]


def all_scope(since: datetime) -> FeedScope:
    return FeedScope(
        events=Event.objects.listed().filter(series__isnull=True, end__gte=since),
        series=Series.objects.filter(is_listed=True),
    )


def kind_scope(kind: str, since: datetime) -> FeedScope:
    scope = all_scope(since)
    return FeedScope(events=scope.events.filter(kind=kind), series=scope.series.filter(kind=kind))


def series_scope(series: Series) -> FeedScope:
    return FeedScope(events=Event.objects.none(), series=Series.objects.filter(pk=series.pk))


@dataclass(frozen=True)
class Fingerprint:
    digest: str
    last_modified: datetime | None


def _latest(*moments: datetime | None) -> datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def scope_fingerprint(scope: FeedScope, *, today: date, extra: str = "") -> Fingerprint:
    """Changes whenever anything the feed shows changes: rows added, removed, edited, venues.

    Last-Modified is the newest edit anywhere (an event unlisted or moved out of this feed
    still counts), never before the day began, since the window moves daily: clients that send
    only If-Modified-Since then refetch whenever the ETag would have changed (hard deletions
    aside; organisers cancel events, they do not delete them).
    """
    in_feed = Q(pk__in=scope.events.values("pk"))
    stored = Q(series__in=scope.series.values("pk"))
    events = Event.objects.aggregate(
        count=Count("pk", filter=in_feed),
        latest=Max("updated_at", filter=in_feed),
        stored_count=Count("pk", filter=stored),
        stored_latest=Max("updated_at", filter=stored),
        anywhere=Max("updated_at"),
    )
    in_scope = Q(pk__in=scope.series.values("pk"))
    series = Series.objects.aggregate(
        count=Count("pk", filter=in_scope),
        latest=Max("updated_at", filter=in_scope),
        anywhere=Max("updated_at"),
    )
    # Venues are few, so their content goes into the fingerprint.
    venues = list(
        Venue.objects.order_by("pk").values_list(
            "pk", "name", "room", "address", "latitude", "longitude", "updated_at"
        )
    )
    material = repr((FORMAT_VERSION, extra, today, settings.SITE_URL, events, series, venues))
    return Fingerprint(
        digest=hashlib.sha256(material.encode()).hexdigest()[:40],
        last_modified=_latest(
            events["anywhere"],
            series["anywhere"],
            *(venue[-1] for venue in venues),
            datetime.combine(today, time.min, UTC),
        ),
    )


def _still_running(series: Series, occurrences: list[Event], since: datetime) -> bool:
    """Whether a series has anything on or after `since` (an ended rule may drop out)."""
    local_since = since.astimezone(series.zone).replace(tzinfo=None)
    if series.rule().after(local_since, inc=True) is not None:
        return True
    return any(occurrence.end >= since for occurrence in occurrences)


def scope_content(scope: FeedScope, since: datetime) -> tuple[list[Event], list[SeriesEntry]]:
    """The events and series entries of a feed, in three queries whatever their number."""
    events = list(scope.events.select_related("venue").order_by("start", "pk"))
    series_list = list(scope.series.select_related("venue").order_by("pk"))
    by_series: dict[int, list[Event]] = {item.pk: [] for item in series_list}
    if series_list:
        stored = (
            Event.objects.filter(series__in=list(by_series))
            .select_related("venue")
            .order_by("recurrence_id", "pk")
        )
        for occurrence in stored:
            by_series[occurrence.series_id].append(occurrence)
    entries = [
        SeriesEntry(series=item, occurrences=by_series[item.pk])
        for item in series_list
        if _still_running(item, by_series[item.pk], since)
    ]
    return events, entries


def scope_agendas(
    scope: FeedScope, events: list[Event], entries: list[SeriesEntry]
) -> dict[int, Agenda]:
    """Agendas of a feed's events and stored meetings, in at most three queries."""
    shown = [*events, *(meeting for entry in entries for meeting in entry.occurrences)]
    ids = Event.objects.filter(
        Q(pk__in=scope.events.values("pk")) | Q(series__in=scope.series.values("pk"))
    ).values("pk")
    return agendas_for(shown, ids)


@dataclass(frozen=True)
class PersonalContent:
    """The registrations a personal feed shows, and when what it shows last changed."""

    registrations: list[Registration]
    last_modified: datetime | None


def personal_content(*, user_id: int, since: datetime) -> PersonalContent:
    """The user's active registrations for events not older than the window, in one query.

    Cancelled and rejected ones are read too: they are not shown, but the moment one dropped
    out is a change of the feed, so Last-Modified must not go back to an older moment (a client
    asking If-Modified-Since would be told 304 and keep the cancelled event).
    """
    rows = list(
        Registration.objects.filter(user_id=user_id, event__end__gte=since)
        .select_related("event__venue", "event__series")
        .order_by("event__start", "pk")
    )
    moments = [row.status_changed_at for row in rows]
    moments += [row.event.updated_at for row in rows if row.is_active]
    return PersonalContent(
        registrations=[row for row in rows if row.is_active],
        last_modified=max(moments, default=None),
    )
