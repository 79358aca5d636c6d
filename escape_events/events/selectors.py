"""Reads for the public pages: events and series occurrences in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from .models import Event, Series, dated_title, reads_translations

# Dates a meeting address may carry: beyond them a date is a typo or a probe, and turning it into
# local time would overflow near years 1 and 9999. The rule itself is expanded only inside each
# series' meeting window (Series.meeting_window).
OCCURRENCE_YEARS = range(1900, 2200)


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series: computed from the rule, or taken from its stored override."""

    series: Series
    recurrence_id: datetime
    start: datetime
    end: datetime
    override: Event | None = None

    @property
    def title(self) -> str:
        return self.override.title if self.override else self.series.title

    @property
    def is_cancelled(self) -> bool:
        return bool(self.override and self.override.is_cancelled)

    @property
    def is_moved(self) -> bool:
        return self.start != self.recurrence_id

    @property
    def is_extra(self) -> bool:
        """Added by hand outside the rule (an RDATE in calendars)."""
        return self.override is not None and not self.series.rule_includes(self.recurrence_id)

    @property
    def display_title(self) -> str:
        return dated_title(self.title, self.local_start)

    @property
    def localized_title(self) -> str:
        """The title in the reader's language: the meeting's own translation when it was given
        its own title, else the series'."""
        if self.override and self.override.title != self.series.title:
            return self.override.title_in()
        return self.series.title_in()

    @property
    def localized_display_title(self) -> str:
        return dated_title(self.localized_title, self.local_start)

    @property
    def venue(self):
        return (
            self.override.venue if self.override and self.override.venue_id else self.series.venue
        )

    @property
    def time_zone(self) -> str:
        return self.series.time_zone

    @property
    def summary(self) -> str:
        return self.override.summary if self.override else self.series.summary

    @property
    def kind(self) -> str:
        return self.series.kind

    def get_kind_display(self) -> str:
        return self.series.get_kind_display()

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.series.zone)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.series.zone)

    def get_absolute_url(self) -> str:
        """The meeting's page: its series' page and the day (the site's URLs say so), or the
        opened event's own page."""
        if self.override:
            return self.override.get_absolute_url()
        local = self.recurrence_id.astimezone(self.series.zone)
        return f"{self.series.get_absolute_url()}{local.date().isoformat()}/"


def with_translations(queryset: QuerySet, *lookups: str) -> QuerySet:
    """The queryset with its translations (and those along `lookups`, e.g. "series__translations")
    prefetched when the reader's language needs them: one query per list, none per item."""
    if not reads_translations():
        return queryset
    return queryset.prefetch_related("translations", *lookups)


def prefetch_translations(items: Iterable, *lookups: str) -> None:
    """The same for instances already fetched (series handed in as a list)."""
    if reads_translations():
        prefetch_related_objects(list(items), *(lookups or ("translations",)))


def _localise(naive: datetime, series: Series) -> datetime:
    return naive.replace(tzinfo=series.zone)


def expand_series(
    series: Series, after: datetime, before: datetime, overrides: Iterable[Event] = ()
) -> list[Occurrence]:
    """Occurrences overlapping [after, before), with overrides (moved, cancelled, extra) applied.

    `overrides` must hold every stored occurrence whose original or actual start may fall in the
    range; callers fetch them in one query (see `occurrences_between`).
    """
    by_recurrence_id = {event.recurrence_id: event for event in overrides}
    zone = series.zone
    first, last = series.meeting_window()
    start, end = max(after - series.duration, first), min(before, last)
    ruled = []
    if start <= end:  # the rule is only ever expanded inside the series' meeting window
        local_after = start.astimezone(zone).replace(tzinfo=None)
        local_before = end.astimezone(zone).replace(tzinfo=None)
        ruled = series.rule().between(local_after, local_before, inc=True)
    found: list[Occurrence] = []
    for naive in ruled:
        recurrence_id = _localise(naive, series)
        override = by_recurrence_id.pop(recurrence_id, None)
        if override:
            found.append(Occurrence(series, recurrence_id, override.start, override.end, override))
        else:
            found.append(
                Occurrence(series, recurrence_id, recurrence_id, recurrence_id + series.duration)
            )
    # Overrides not produced by the rule here: moved in from outside the range, or extra dates.
    for recurrence_id, override in by_recurrence_id.items():
        found.append(Occurrence(series, recurrence_id, override.start, override.end, override))
    return sorted(
        (occ for occ in found if occ.end > after and occ.start < before),
        key=lambda occ: (occ.start, occ.series.title),
    )


def _overrides_query(after: datetime, before: datetime, longest: timedelta) -> Q:
    return Q(start__lt=before, end__gt=after) | Q(
        recurrence_id__gte=after - longest, recurrence_id__lt=before
    )


def _translations_fetched(item) -> bool:
    return "translations" in getattr(item, "_prefetched_objects_cache", {})


def occurrences_between(
    after: datetime, before: datetime, series: Iterable[Series] | None = None
) -> list[Occurrence]:
    """Occurrences of every listed series (or of the given ones) in two queries."""
    if series is None:
        series = list(Series.objects.filter(is_listed=True).select_related("venue"))
    else:
        series = list(series)
    if not series:
        return []
    prefetch_translations([item for item in series if not _translations_fetched(item)])
    longest = max(item.duration for item in series)
    overrides: dict[int, list[Event]] = defaultdict(list)
    query = Event.objects.filter(series__in=[item.pk for item in series]).filter(
        _overrides_query(after, before, longest)
    )
    for event in with_translations(query.select_related("venue")):
        overrides[event.series_id].append(event)
    occurrences: list[Occurrence] = []
    for item in series:
        occurrences.extend(expand_series(item, after, before, overrides[item.pk]))
    occurrences.sort(key=lambda occ: (occ.start, occ.series.title))
    return occurrences


def next_occurrences(series: Series, count: int, now: datetime | None = None) -> list[Occurrence]:
    """The next `count` occurrences, looking far enough ahead for a monthly rule."""
    now = now or timezone.now()
    horizon = now + timedelta(days=max(62, 31 * count))
    return occurrences_between(now, horizon, [series])[:count]


def find_occurrence(series: Series, recurrence_id: datetime) -> Occurrence | None:
    """The meeting that originally starts at `recurrence_id`, or None if the series has none
    there (neither the rule nor a stored extra date): URLs and forms carry this value."""
    override = (
        Event.objects.filter(series=series, recurrence_id=recurrence_id)
        .select_related("venue")
        .first()
    )
    if override is not None:
        return Occurrence(series, recurrence_id, override.start, override.end, override)
    if series.rule_includes(recurrence_id):
        return Occurrence(series, recurrence_id, recurrence_id, recurrence_id + series.duration)
    return None


def colocated_pairs(event_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(event, partner) pairs of events held alongside each other, among these events."""
    ids = list(event_ids)
    through = Event.colocated_with.through.objects
    return set(
        through.filter(from_event_id__in=ids, to_event_id__in=ids).values_list(
            "from_event_id", "to_event_id"
        )
    )


def standalone_events() -> QuerySet[Event]:
    """Listed events that are not occurrences of a series, with what listings show."""
    return with_translations(Event.objects.listed().filter(series__isnull=True)).select_related(
        "venue"
    )


def listed_events() -> QuerySet[Event]:
    """Every listed stored event, including series occurrences that carry their own data."""
    return with_translations(Event.objects.listed(), "series__translations").select_related(
        "venue", "series"
    )


def search_events(queryset: QuerySet, *, kind: str = "", text: str = "") -> QuerySet:
    """Events or series of a kind, or with the text in their title or summary."""
    if kind:
        queryset = queryset.filter(kind=kind)
    if text:
        queryset = queryset.filter(Q(title__icontains=text) | Q(summary__icontains=text))
    return queryset


def events_for_page() -> QuerySet[Event]:
    """Events with their venue and series, for one query per page. `has_colocated_with` says
    whether events are held alongside one: the registration box asks only then which of them
    take registrations too, and most events have none."""
    return (
        with_translations(Event.objects.all())
        .select_related("venue", "series")
        .annotate(
            has_colocated_with=Exists(
                Event.colocated_with.through.objects.filter(from_event=OuterRef("pk"))
            )
        )
    )


def upcoming_matches(
    *, now: datetime, until: datetime, kind: str = "", text: str = "", limit: int = 50
) -> list[Event | Occurrence]:
    """What a search on the home page finds: upcoming events, and the meetings of matching
    series until `until`, in the order they happen (three queries)."""
    events = list(search_events(standalone_events().upcoming(now), kind=kind, text=text)[:limit])
    series = search_events(Series.objects.filter(is_listed=True), kind=kind, text=text)
    meetings = occurrences_between(now, until, series.select_related("venue"))
    found = sorted([*events, *meetings], key=lambda item: item.start)
    return found[:limit]
