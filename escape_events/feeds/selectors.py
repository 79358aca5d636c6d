"""Reads for feeds: what a feed holds, in a fixed number of queries, and a cheap fingerprint of it.

The fingerprint (for ETag and the body cache) is made from a content version (one primary-key
query, see core.content_version) and no serialising, so a conditional or cached GET of a feed
with thousands of events answers in the same time as one with ten.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from escape_events.calendars.ics import Attendance, SeriesEntry
from escape_events.core.content_version import Version
from escape_events.events.models import Event, Series
from escape_events.registrations.models import Registration, SeriesFollower
from escape_events.timetable.agenda import Agenda
from escape_events.timetable.selectors import agendas_for

# Public feeds never show these: not even loaded, so a link or an address cannot leak into
# them, and thousands of rows load faster.
NOT_IN_PUBLIC_FEEDS = (
    "online_url",
    "contact_name",
    "contact_email",
    "audience_note",
    "data_note",
)
# Feeds show the description's stored plain text; its Markdown is not even loaded.
NOT_READ_BY_FEEDS = (*NOT_IN_PUBLIC_FEEDS, "description")


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


def fingerprint(
    version: Version, *, today: date, extra: str, last_modified: datetime | None = None
) -> Fingerprint:
    """Changes whenever anything a feed shows changes (the content `version` the feed is kept
    under), the day (the window moves), the site's address and the release of the code.

    Last-Modified is when the version last changed (or `last_modified`, when later), never
    before the day began, so clients that send only If-Modified-Since refetch whenever the
    ETag would have changed.
    """
    material = repr(
        (
            settings.RELEASE_ID,  # a new release may write the same content differently
            extra,
            today,
            settings.SITE_URL,
            settings.CALENDAR_UID_DOMAIN,
            version.token,
        )
    )
    return Fingerprint(
        digest=hashlib.sha256(material.encode()).hexdigest()[:40],
        last_modified=_latest(
            version.changed_at, last_modified, datetime.combine(today, time.min, UTC)
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
    events = list(
        scope.events.select_related("venue").defer(*NOT_READ_BY_FEEDS).order_by("start", "pk")
    )
    series_list = list(scope.series.select_related("venue").order_by("pk"))
    by_series: dict[int, list[Event]] = {item.pk: [] for item in series_list}
    if series_list:
        stored = (
            Event.objects.filter(series__in=list(by_series))
            .select_related("venue")
            .defer(*NOT_READ_BY_FEEDS)
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
    """The registrations and followed series a personal feed shows, when what it shows last
    changed, and a key that changes whenever the feed's body would (with the site's content
    version, which covers the series and their meetings)."""

    registrations: list[Registration]
    followed: list[int]  # series ids
    last_modified: datetime | None
    key: str


def personal_content(*, user_id: int, since: datetime) -> PersonalContent:
    """The user's active registrations for events not older than the window, and the series
    they follow, in two queries.

    Cancelled and rejected ones are read too: they are not shown, but the moment one dropped
    out is a change of the feed, so Last-Modified must not go back to an older moment (a client
    asking If-Modified-Since would be told 304 and keep the cancelled event). Unfollowing
    leaves no row: it changes the key (so the ETag) and no moment.
    """
    rows = list(
        Registration.objects.filter(user_id=user_id, event__end__gte=since)
        .select_related("event__venue", "event__series")
        .order_by("event__start", "pk")
    )
    follows = list(
        SeriesFollower.objects.filter(user_id=user_id)
        .order_by("series_id")
        .values_list("series_id", "created_at")
    )
    active = [row for row in rows if row.is_active]
    moments = [row.status_changed_at for row in rows]
    moments += [row.event.updated_at for row in active]
    moments += [created for _, created in follows]
    shown = [(row.pk, row.event_id, row.status, row.mode) for row in active]
    followed = [series_id for series_id, _ in follows]
    return PersonalContent(
        registrations=active,
        followed=followed,
        last_modified=_latest(*moments),
        key=repr((shown, followed)),
    )


def followed_content(
    content: PersonalContent, since: datetime
) -> tuple[list[SeriesEntry], list[Event]]:
    """The followed series still running, each with its stored meetings (the registered ones
    left to the registrations: `written_apart`), and those meetings, in two queries."""
    if not content.followed:
        return [], []
    scope = FeedScope(
        events=Event.objects.none(), series=Series.objects.filter(pk__in=content.followed)
    )
    _, entries = scope_content(scope, since)
    registered = frozenset(row.event_id for row in content.registrations)
    followed = [
        SeriesEntry(
            series=entry.series,
            occurrences=entry.occurrences,
            attendance=_following(entry.series),
            written_apart=registered,
        )
        for entry in entries
    ]
    meetings = [
        meeting
        for entry in followed
        for meeting in entry.occurrences
        if meeting.pk not in registered
    ]
    return followed, meetings


def _following(series: Series) -> Attendance:
    return Attendance(
        tentative=True,
        note=_("You follow this series: its meetings are marked tentative."),
        remote_url=series.online_url,
    )
