"""The one module that knows iCalendar (RFC 5545, RFC 7986): events and series in, bytes out.

Everything here is derived from the data passed in (no "now"), so unchanged data gives
byte-identical output. Identity: a standalone event is `event-<pk>@<domain>`; a series is
`series-<pk>@<domain>`, and each stored occurrence of it is that UID plus its RECURRENCE-ID, in
every feed and download. Callers say what a registration means; this module never asks.
"""

import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext
from icalendar import (
    Calendar,
    vCategory,
    vDDDTypes,
    vDuration,
    vGeo,
    vInt,
    vRecur,
    vText,
    vUri,
)
from icalendar import Event as VEvent

from escape_events.events.models import Event, Series, reads_translations
from escape_events.timetable.agenda import Agenda, agenda_text, speakers_line
from escape_events.timetable.models import Entry, EntryKind
from escape_events.timetable.selectors import agendas_for

from .timezones import vtimezone

PRODID = "-//escape_events//Event calendar//EN"
# Stands in for a slug when the writer reverses an item's URL once (see _Writer.page).
_SLUG_MARK = "escape-events-slug-mark"
# How far ahead an open-ended series needs its time zone rules spelled out.
OPEN_RULE_YEARS = 10

# Properties are stored typed, as `Component.add` would store them, without its per-call type
# lookup: at thousands of events `add` was a third of building the components.
_CONSTANT = {
    value: vText(value)
    for value in ("CONFIRMED", "TENTATIVE", "CANCELLED", "OPAQUE", "TRANSPARENT", "PUBLIC")
}


def _moment(value: date | datetime) -> vDDDTypes:
    """A DATE or DATE-TIME value as `add` stores it (a datetime's TZID comes from its zone)."""
    prop = vDDDTypes(value)
    if not isinstance(value, datetime):
        prop.params["VALUE"] = "DATE"
    return prop


_STATUS = {
    Event.Status.SCHEDULED: "CONFIRMED",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.CANCELLED: "CANCELLED",
}


@dataclass(frozen=True)
class Attendance:
    """What the caller says about the user's registration for one event (personal feeds)."""

    tentative: bool
    note: str
    remote_url: str = ""


@dataclass(frozen=True)
class SeriesEntry:
    """A series and its stored occurrences (moved, cancelled, extra dates, or with own notes).

    Personal feeds only: `attendance` is what the caller says of the person following it (a
    tentative one marks every meeting TENTATIVE), and `written_apart` the stored meetings the
    caller writes itself as events (those the person registered for), left out here so that no
    meeting is written twice."""

    series: Series
    occurrences: Sequence[Event] = ()
    attendance: Attendance | None = None
    written_apart: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CalendarInfo:
    """Calendar-level metadata: the name clients show, where it lives, how often to refresh."""

    name: str
    description: str = ""
    url: str = ""
    source: str = ""
    refresh: timedelta = timedelta(hours=1)


def event_uid(event_pk: int, domain: str) -> str:
    return f"event-{event_pk}@{domain}"


def series_uid(series_pk: int, domain: str) -> str:
    return f"series-{series_pk}@{domain}"


def entry_uid(entry_pk: int, domain: str) -> str:
    return f"entry-{entry_pk}@{domain}"


@dataclass
class _Writer:
    site_url: str
    domain: str
    today: date | None
    agendas: Mapping[int, Agenda] = field(default_factory=dict)
    zone_years: dict[str, list[int]] = field(default_factory=dict)
    zones: dict[str, zoneinfo.ZoneInfo] = field(default_factory=dict)
    pages: dict[type, str] = field(default_factory=dict)
    categories: dict[tuple[type, str], vCategory] = field(default_factory=dict)

    def local(self, moment: datetime, tzid: str, *, with_tzid: bool = True) -> datetime:
        zone = self.zones.get(tzid)
        if zone is None:
            zone = self.zones[tzid] = zoneinfo.ZoneInfo(tzid)
        local = moment.astimezone(zone)
        if with_tzid:
            self.note_year(tzid, local.year)
        return local

    def note_year(self, tzid: str, year: int) -> None:
        years = self.zone_years.get(tzid)
        if years is None:
            self.zone_years[tzid] = [year, year]
        elif year < years[0]:
            years[0] = year
        elif year > years[1]:
            years[1] = year

    def timezones(self) -> list:
        return [
            vtimezone(tzid, first, last + 1)
            for tzid, (first, last) in sorted(self.zone_years.items())
        ]

    def absolute(self, path: str) -> str:
        return f"{self.site_url}{path}"

    def page(self, item: Event | Series) -> str:
        """The item's page. URLs differ only by slug (never quoted), so one reverse() per kind
        of item gives the rest: reversing thousands of times was a tenth of a feed's build."""
        template = self.pages.get(type(item))
        if template is None:
            template = self.absolute(type(item)(slug=_SLUG_MARK).get_absolute_url())
            self.pages[type(item)] = template
        return template.replace(_SLUG_MARK, item.slug, 1)

    def category(self, item: Event | Series) -> vCategory:
        """The item's kind as CATEGORIES, made once per kind: Django's get_FOO_display()
        flattens the choices on every call, thousands of times in a feed."""
        key = (type(item), item.kind)
        category = self.categories.get(key)
        if category is None:
            category = self.categories[key] = vCategory([item.get_kind_display()])
        return category

    # One VEVENT with everything events and series share.
    def component(
        self,
        item,
        *,
        uid: str,
        status: str,
        page: str,
        attendance=None,
        sequence: int | None = None,
        modified: datetime | None = None,
    ) -> VEvent:
        modified = _moment((modified or item.updated_at).astimezone(UTC))
        vevent = VEvent()
        vevent["UID"] = vText(uid)
        vevent["DTSTAMP"] = modified
        vevent["CREATED"] = _moment(item.created_at.astimezone(UTC))
        vevent["LAST-MODIFIED"] = modified
        vevent["SEQUENCE"] = vInt(item.sequence if sequence is None else sequence)
        translated = _translation(item)
        summary = vText(translated.title if translated else item.title)
        if translated:  # the original's language is not recorded; a translation's is
            summary.params["LANGUAGE"] = translated.language
        vevent["SUMMARY"] = summary
        vevent["STATUS"] = _CONSTANT[status]
        vevent["TRANSP"] = _CONSTANT["TRANSPARENT" if status == "CANCELLED" else "OPAQUE"]
        vevent["CLASS"] = _CONSTANT["PUBLIC"]
        vevent["CATEGORIES"] = self.category(item)
        vevent["URL"] = vUri(page)
        venue = item.venue
        if venue is not None:
            vevent["LOCATION"] = vText(venue.location_line)
            if venue.latitude is not None and venue.longitude is not None:
                vevent["GEO"] = vGeo((float(venue.latitude), float(venue.longitude)))
        remote_url = attendance.remote_url if attendance else ""
        agenda = self.agendas.get(item.pk) if isinstance(item, Event) else None
        description = vText(_description(item, page, attendance, agenda, translated))
        if translated:
            description.params["LANGUAGE"] = translated.language
        vevent["DESCRIPTION"] = description
        if remote_url:
            conference = vUri(remote_url)
            conference.params["VALUE"] = "URI"
            conference.params["FEATURE"] = ["AUDIO", "VIDEO"]
            conference.params["LABEL"] = gettext("Join remotely")
            vevent.add("conference", conference)
        return vevent

    def add_times(self, vevent: VEvent, event: Event) -> None:
        if event.all_day:
            # Dates need no VTIMEZONE: the end is the local midnight after the last day.
            start = self.local(event.start, event.time_zone, with_tzid=False).date()
            end = self.local(event.end, event.time_zone, with_tzid=False).date()
        else:
            start = self.local(event.start, event.time_zone)
            end = self.local(event.end, event.time_zone)
        vevent["DTSTART"] = _moment(start)
        vevent["DTEND"] = _moment(end)

    def event(
        self, event: Event, attendance: Attendance | None = None, series_tzid: str = ""
    ) -> VEvent:
        """A standalone event, or a stored occurrence (its series' UID and RECURRENCE-ID).

        An occurrence shown alone needs `event.series` loaded, for the zone of its RECURRENCE-ID.
        """
        status = _STATUS[event.status]
        if attendance and attendance.tentative and status == "CONFIRMED":
            status = "TENTATIVE"
        page = self.page(event)
        if event.series_id is None:
            uid = event_uid(event.pk, self.domain)
        else:
            uid = series_uid(event.series_id, self.domain)
        vevent = self.component(event, uid=uid, status=status, page=page, attendance=attendance)
        self.add_times(vevent, event)
        if event.series_id is not None:
            tzid = series_tzid or event.series.time_zone
            vevent["RECURRENCE-ID"] = _moment(self.local(event.recurrence_id, tzid))
        return vevent

    def series(self, entry: SeriesEntry) -> list[VEvent]:
        """The master VEVENT with its rule, extra dates and exceptions, then one per override."""
        series = entry.series
        tzid = series.time_zone
        zone = series.zone
        page = self.page(series)
        stored = sorted(entry.occurrences, key=lambda occurrence: occurrence.recurrence_id)
        attendance = entry.attendance
        master = self.component(
            series,
            uid=series_uid(series.pk, self.domain),
            status="TENTATIVE" if attendance and attendance.tentative else "CONFIRMED",
            page=page,
            attendance=attendance,
            sequence=_master_sequence(series, stored),
            modified=max([series.updated_at, *(occurrence.updated_at for occurrence in stored)]),
        )
        start = self.local(series.first_start, tzid)
        naive_start = start.replace(tzinfo=None)
        master.add("dtstart", start)
        master.add("dtend", (naive_start + series.duration).replace(tzinfo=zone))
        recur = vRecur.from_ical(series.rrule)
        master.add("rrule", recur)
        rule = series.rule()
        if "COUNT" in recur or "UNTIL" in recur:
            self.note_year(tzid, list(rule)[-1].year)
        elif self.today is not None:
            self.note_year(tzid, self.today.year + OPEN_RULE_YEARS)

        local_ids = [self.local(occurrence.recurrence_id, tzid) for occurrence in stored]
        ruled = set()
        if local_ids:
            earliest = local_ids[0].replace(tzinfo=None)
            latest = local_ids[-1].replace(tzinfo=None)
            ruled = set(rule.between(earliest, latest, inc=True))
        rdates, exdates, overrides = [], [], []
        for occurrence, local_id in zip(stored, local_ids, strict=True):
            in_rule = local_id.replace(tzinfo=None) in ruled
            if occurrence.is_cancelled:
                if in_rule:
                    exdates.append(local_id)
                continue
            if not in_rule:
                rdates.append(local_id)
            if occurrence.pk not in entry.written_apart:
                overrides.append(self.event(occurrence, attendance, series_tzid=tzid))
        if rdates:
            master.add("rdate", rdates)
        if exdates:
            master.add("exdate", exdates)
        return [master, *overrides]


def _master_sequence(series: Series, stored: Sequence[Event]) -> int:
    """The rule's VEVENT changes with its meetings: a cancelled one adds an EXDATE, an extra one
    an RDATE (RFC 5546 counts both as significant). Stored meetings only gain rows and their own
    SEQUENCE only grows, so the series' own plus one more than each meeting's never goes down.
    """
    return series.sequence + sum(occurrence.sequence + 1 for occurrence in stored)


def _translation(item):
    """The organisers' translation of the item into the active language (a meeting without
    its own takes its series'), or None: then the original is written, without LANGUAGE."""
    if not reads_translations():
        return None
    found = item.translation_in()
    meeting = isinstance(item, Event) and item.series_id is not None
    if found is None and meeting and item.title == item.series.title:
        found = item.series.translation_in()
    return found


def _prefetch_translations(events: list[Event], series: list["SeriesEntry"]) -> None:
    """One query per kind for a calendar in another language than the original's."""
    if not reads_translations():
        return
    prefetch_related_objects(events, "translations", "series__translations")
    prefetch_related_objects([entry.series for entry in series], "translations")
    stored = []
    for entry in series:
        for occurrence in entry.occurrences:
            if not Event.series.is_cached(occurrence):  # a meeting falls back to its series'
                Event.series.field.set_cached_value(occurrence, entry.series)
            stored.append(occurrence)
    prefetch_related_objects(stored, "translations")


def _description(
    item, page: str, attendance: Attendance | None, agenda: Agenda | None, translated=None
) -> str:
    """Plain text (calendars show Markdown's `**` literally): notes, texts, agenda, link."""
    parts = []
    if attendance:
        parts.append(attendance.note)
    if item.summary:
        parts.append(item.summary)
    # The description is stored as plain text with the Markdown: a build converts nothing.
    description_text = item.description_text
    if translated and translated.description_text:
        description_text = translated.description_text
    if description_text:
        parts.append(description_text)
    if agenda:
        parts.append(agenda_text(agenda))
    if item.remote_note:
        parts.append(item.remote_note)
    if attendance and attendance.remote_url:
        parts.append(gettext("Join remotely: %(url)s") % {"url": attendance.remote_url})
    parts.append(gettext("Details: %(url)s") % {"url": page})
    return "\n\n".join(parts)


def render_calendar(
    info: CalendarInfo,
    *,
    events: Iterable[Event] = (),
    series: Iterable[SeriesEntry] = (),
    attendance: Mapping[int, Attendance] | None = None,
    agendas: Mapping[int, Agenda] | None = None,
    today: date | None = None,
    site_url: str | None = None,
    uid_domain: str | None = None,
) -> bytes:
    """Serialise events and series into one VCALENDAR.

    `events` are standalone events or stored occurrences shown alone (downloads, personal feed);
    they need `venue` and `series` loaded. `attendance` maps event pk to what the user's
    registration says (personal feeds only). `agendas` maps event pk (standalone or stored
    occurrence) to its agenda, written as plain text into the event's DESCRIPTION. `today`
    extends time zone rules for open-ended series; pass a value that changes rarely (a day) so
    bodies stay stable. Links and UIDs use SITE_URL and CALENDAR_UID_DOMAIN unless given.
    """
    writer = _writer(today, site_url, uid_domain, agendas)
    attendance = attendance or {}
    events, series = list(events), list(series)
    _prefetch_translations(events, series)
    components: list[VEvent] = []
    for entry in series:
        components.extend(writer.series(entry))
    for event in events:
        components.append(writer.event(event, attendance.get(event.pk)))
    return _serialise(info, writer, components)


def _writer(today, site_url, uid_domain, agendas=None) -> _Writer:
    return _Writer(
        site_url=(site_url or settings.SITE_URL).rstrip("/"),
        domain=uid_domain or settings.CALENDAR_UID_DOMAIN,
        today=today,
        agendas=agendas or {},
    )


def _serialise(info: CalendarInfo, writer: _Writer, components: list[VEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", vText(info.name))  # vText escapes line breaks; a bare str does not
    calendar.add("x-wr-calname", vText(info.name))
    if info.description:
        calendar.add("description", info.description)
        calendar.add("x-wr-caldesc", vText(info.description))
    if info.url:
        calendar.add("url", info.url)
    if info.source:
        source = vUri(info.source)
        source.params["VALUE"] = "URI"
        calendar.add("source", source)
    refresh = vDuration(info.refresh)
    refresh.params["VALUE"] = "DURATION"
    calendar.add("refresh-interval", refresh)
    calendar.add("x-published-ttl", vDuration(info.refresh))
    for timezone in writer.timezones():
        calendar.add_component(timezone)
    for component in components:
        calendar.add_component(component)
    return calendar.to_ical()


def build_calendar(
    events: Iterable[Event], *, name: str, attendance: Mapping[int, Attendance] | None = None
) -> bytes:
    """A small calendar of a few events, e.g. the .ics attached to a confirmation mail, with
    their agendas (fetched here, in three queries).

    Occurrences of a series need `series` loaded (or it is fetched per event).
    """
    events = list(events)
    return render_calendar(
        CalendarInfo(name=name),
        events=events,
        attendance=attendance,
        agendas=agendas_for(events),
    )


def _entry_description(entry: Entry, event: Event, page: str, absolute) -> str:
    parts = []
    speakers = speakers_line(entry.speakers.all())
    if speakers:
        parts.append(gettext("Speakers: %(names)s") % {"names": speakers})
    if entry.session_id:
        conveners = speakers_line(entry.session.conveners.all())
        values = {"session": entry.session.title, "names": conveners}
        if conveners:
            parts.append(gettext("Session: %(session)s (conveners: %(names)s)") % values)
        else:
            parts.append(gettext("Session: %(session)s") % values)
    if entry.description_text:
        parts.append(entry.description_text)
    # A feed is cached and shared: only what anyone may open, now and later, is linked.
    links = [
        f"- {material.title}: {material.url or absolute(material.href)}"
        for shown in entry.shelf.shown
        if (material := shown.material).is_public
    ]
    if links:
        parts.append(gettext("Materials:") + "\n" + "\n".join(links))
    parts.append(gettext("Part of: %(title)s") % {"title": event.title})
    parts.append(gettext("Details: %(url)s") % {"url": page})
    return "\n\n".join(parts)


def render_timetable(
    info: CalendarInfo,
    *,
    agenda: Agenda,
    site_url: str | None = None,
    uid_domain: str | None = None,
) -> bytes:
    """One VEVENT per agenda entry (an opt-in feed for people who want every talk).

    Each entry has its own UID, `RELATED-TO` its event's UID (a series' UID for a meeting),
    its event's status, and a SEQUENCE that grows with its own changes and its event's.
    `agenda` needs its event's `venue` loaded, and speakers, sessions and the entries' shelves
    (timetable.selectors.agenda_for with a reader).
    """
    writer = _writer(None, site_url, uid_domain)
    event = agenda.event
    if event.series_id is None:
        parent = event_uid(event.pk, writer.domain)
    else:
        parent = series_uid(event.series_id, writer.domain)
    status = _STATUS[event.status]
    event_page = writer.absolute(event.get_absolute_url())
    components = []
    for entry in agenda.entries:
        page = f"{event_page}#{entry.anchor}"
        modified = max(entry.updated_at, event.updated_at).astimezone(UTC)
        vevent = VEvent()
        vevent.add("uid", entry_uid(entry.pk, writer.domain))
        vevent.add("dtstamp", modified)
        vevent.add("created", entry.created_at.astimezone(UTC))
        vevent.add("last-modified", modified)
        vevent.add("sequence", entry.sequence + event.sequence)
        vevent.add("summary", entry.title)
        vevent.add("status", status)
        free = status == "CANCELLED" or entry.kind == EntryKind.BREAK
        vevent.add("transp", "TRANSPARENT" if free else "OPAQUE")
        vevent.add("class", "PUBLIC")
        vevent.add("categories", [entry.get_kind_display()])
        vevent.add("url", page)
        vevent.add("related-to", parent)
        venue = event.venue
        place = [entry.place, venue.location_line if venue else ""]
        if any(place):
            vevent.add("location", ", ".join(part for part in place if part))
        if venue is not None and venue.latitude is not None and venue.longitude is not None:
            vevent.add("geo", vGeo((float(venue.latitude), float(venue.longitude))))
        vevent.add("description", _entry_description(entry, event, page, writer.absolute))
        vevent.add("dtstart", writer.local(entry.start, event.time_zone))
        vevent.add("dtend", writer.local(entry.end, event.time_zone))
        components.append(vevent)
    return _serialise(info, writer, components)
