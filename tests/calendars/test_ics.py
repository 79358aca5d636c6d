"""What the calendars module writes: zones, dates, the series rule, identity, metadata."""

from datetime import datetime, timedelta

import pytest
from icalendar import Calendar

from escape_events.calendars.ics import (
    Attendance,
    CalendarInfo,
    SeriesEntry,
    build_calendar,
    render_calendar,
)
from escape_events.calendars.timezones import vtimezone
from escape_events.events.models import Event, Venue
from escape_events.events.services import cancel_event, materialise_occurrence

from .parsers import read_with_icalendar
from .scenarios import ZURICH, wp2_with_exceptions

pytestmark = pytest.mark.django_db
INFO = CalendarInfo(name="Test feed", url="https://events.example.org/", source="https://x/y.ics")


def vevents(body: bytes):
    return Calendar.from_ical(body).walk("VEVENT")


def test_timed_event_has_its_zone_and_a_matching_vtimezone(make_event):
    make_event(time_zone="America/Chicago", start=datetime(2030, 3, 4, 9, 0, tzinfo=ZURICH))
    body = render_calendar(INFO, events=Event.objects.select_related("venue", "series"))
    assert b"DTSTART;TZID=America/Chicago:20300304T020000" in body
    assert b"DTEND;TZID=America/Chicago:20300304T040000" in body
    calendar = read_with_icalendar(body)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    assert b"X-WR-TIMEZONE" not in body


def test_no_floating_times_anywhere(make_event, wp2_series):
    make_event()
    wp2_with_exceptions(wp2_series)
    body = render_calendar(
        INFO,
        events=Event.objects.filter(series__isnull=True).select_related("venue"),
        series=[SeriesEntry(wp2_series, list(wp2_series.occurrences.all()))],
    )
    for event in vevents(body):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if name in event:
                assert event[name].dt.tzinfo is not None, (name, event[name].dt)


def test_multi_day_all_day_event_is_dates_with_exclusive_end(make_event):
    make_event(
        start=datetime(2019, 10, 14, tzinfo=ZURICH),
        end=datetime(2019, 10, 17, tzinfo=ZURICH),
        all_day=True,
    )
    body = render_calendar(INFO, events=Event.objects.all())
    assert b"DTSTART;VALUE=DATE:20191014\r\n" in body
    assert b"DTEND;VALUE=DATE:20191017\r\n" in body  # covers 14, 15 and 16 October
    assert b"BEGIN:VTIMEZONE" not in body  # dates need no zone


def test_wp2_series_is_one_rule_with_extra_date_exception_and_override(wp2_series):
    stored = wp2_with_exceptions(wp2_series)
    body = render_calendar(
        INFO, series=[SeriesEntry(wp2_series, list(wp2_series.occurrences.all()))]
    )
    master, *overrides = vevents(body)
    uid = f"series-{wp2_series.pk}@127.0.0.1"
    assert master["UID"] == uid
    assert master["RRULE"].to_ical() == b"FREQ=MONTHLY;BYDAY=2WE,4WE"
    assert b"RRULE:FREQ=MONTHLY;BYDAY=2WE,4WE\r\n" in body
    assert b"DTSTART;TZID=Europe/Zurich:20190925T140000" in body
    assert b"RDATE;TZID=Europe/Zurich:20190904T140000" in body
    assert b"EXDATE;TZID=Europe/Zurich:20191113T140000" in body
    assert {override["UID"] for override in overrides} == {uid}
    recurrence_ids = sorted(override["RECURRENCE-ID"].dt for override in overrides)
    assert recurrence_ids == [stored["extra"].recurrence_id, stored["moved"].recurrence_id]
    moved = next(o for o in overrides if o["SUMMARY"] == "WP2 meeting (moved to Thursday)")
    assert moved["DTSTART"].dt == datetime(2019, 10, 24, 15, tzinfo=ZURICH)
    assert moved["SEQUENCE"] == 2


def test_same_data_gives_byte_identical_bodies_with_stamps_from_the_data(make_event, wp2_series):
    event = make_event()
    wp2_with_exceptions(wp2_series)

    def build():
        return render_calendar(
            INFO,
            events=Event.objects.filter(series__isnull=True).select_related("venue"),
            series=[SeriesEntry(wp2_series, list(wp2_series.occurrences.order_by("pk")))],
        )

    first = build()
    assert build() == first
    (vevent,) = [v for v in vevents(first) if v["UID"].startswith("event-")]
    assert vevent["DTSTAMP"].dt == event.updated_at.replace(microsecond=0)
    assert vevent["LAST-MODIFIED"].dt == event.updated_at.replace(microsecond=0)


def test_uid_of_an_event_is_the_same_in_feed_and_download(make_event, wp2_series):
    event = make_event()
    stored = wp2_with_exceptions(wp2_series)
    feed = render_calendar(
        INFO,
        events=[event],
        series=[SeriesEntry(wp2_series, list(wp2_series.occurrences.all()))],
    )
    download = build_calendar([event], name=event.title)
    assert f"UID:event-{event.pk}@127.0.0.1".encode() in feed
    assert f"UID:event-{event.pk}@127.0.0.1".encode() in download
    # An occurrence on its own keeps its series' UID and its RECURRENCE-ID.
    (alone,) = vevents(build_calendar([stored["moved"]], name="moved"))
    (in_feed,) = [v for v in vevents(feed) if v.get("SUMMARY") == stored["moved"].title]
    assert alone["UID"] == in_feed["UID"] == f"series-{wp2_series.pk}@127.0.0.1"
    assert alone["RECURRENCE-ID"].dt == in_feed["RECURRENCE-ID"].dt


def test_cancelling_or_adding_a_meeting_grows_the_series_sequence_and_stamps(wp2_series):
    """An EXDATE or RDATE more changes the rule's VEVENT: clients must see a newer version."""

    def master():
        entry = SeriesEntry(wp2_series, list(wp2_series.occurrences.all()))
        return vevents(render_calendar(INFO, series=[entry]))[0]

    before = master()
    meeting = materialise_occurrence(
        series=wp2_series, recurrence_id=datetime(2019, 11, 13, 14, tzinfo=ZURICH)
    )
    cancel_event(event=meeting)
    # Saved a second later than the series (auto_now would give the same second here).
    Event.objects.filter(pk=meeting.pk).update(updated_at=meeting.updated_at + timedelta(hours=1))
    cancelled = master()
    assert b"EXDATE" in cancelled.to_ical()
    assert cancelled["SEQUENCE"] > before["SEQUENCE"]
    assert cancelled["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert cancelled["DTSTAMP"].dt == cancelled["LAST-MODIFIED"].dt

    materialise_occurrence(series=wp2_series, recurrence_id=datetime(2019, 9, 4, 14, tzinfo=ZURICH))
    extra = master()
    assert b"RDATE" in extra.to_ical()
    assert extra["SEQUENCE"] > cancelled["SEQUENCE"]


def test_cancelled_event_stays_with_status_cancelled_and_its_sequence(make_event):
    make_event(status=Event.Status.CANCELLED, sequence=3)
    (vevent,) = vevents(render_calendar(INFO, events=Event.objects.all()))
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == 3
    assert vevent["TRANSP"] == "TRANSPARENT"


def test_calendar_metadata_names_refresh_and_links():
    body = render_calendar(INFO)
    for line in (
        b"NAME:Test feed",
        b"X-WR-CALNAME:Test feed",
        b"REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        b"X-PUBLISHED-TTL:PT1H",
        b"URL:https://events.example.org/",
        b"SOURCE;VALUE=URI:https://x/y.ics",
        b"PRODID:-//escape_events//Event calendar//EN",
        b"VERSION:2.0",
    ):
        assert line + b"\r\n" in body


def test_place_and_page_link(make_event):
    venue = Venue.objects.create(
        name="CERN", room="Room 1", address="Meyrin", latitude="46.2333", longitude="6.0557"
    )
    event = make_event(venue=venue)
    (vevent,) = vevents(render_calendar(INFO, events=Event.objects.select_related("venue")))
    assert vevent["LOCATION"] == "CERN, Room 1, Meyrin"
    assert (vevent["GEO"].latitude, vevent["GEO"].longitude) == (46.2333, 6.0557)
    assert vevent["URL"] == f"http://127.0.0.1:8000{event.get_absolute_url()}"


def test_public_output_has_no_attendees_or_remote_link(make_event):
    make_event(online_url="https://zoom.example/j/123", contact_email="chair@example.org")
    body = render_calendar(INFO, events=Event.objects.all())
    assert b"ATTENDEE" not in body
    assert b"ORGANIZER" not in body
    assert b"zoom.example" not in body
    assert b"chair@example.org" not in body


def test_attendance_makes_it_tentative_and_carries_the_remote_link(make_event):
    event = make_event(online_url="https://zoom.example/j/123")
    attendance = {
        event.pk: Attendance(
            tentative=True, note="You are on the waiting list.", remote_url=event.online_url
        )
    }
    (vevent,) = vevents(build_calendar([event], name="Mine", attendance=attendance))
    assert vevent["STATUS"] == "TENTATIVE"
    assert "You are on the waiting list." in vevent["DESCRIPTION"]
    assert "Join remotely: https://zoom.example/j/123" in vevent["DESCRIPTION"]
    assert vevent["CONFERENCE"] == "https://zoom.example/j/123"
    assert vevent["CONFERENCE"].params["FEATURE"] == ["AUDIO", "VIDEO"]


def test_vtimezone_is_built_once_per_zone_and_span(make_event):
    make_event()
    vtimezone.cache_clear()
    for _ in range(3):
        render_calendar(INFO, events=Event.objects.all())
    info = vtimezone.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_open_ended_series_spells_out_zone_rules_years_ahead(wp2_series):
    body = render_calendar(
        INFO, series=[SeriesEntry(wp2_series)], today=datetime(2026, 11, 25).date()
    )
    assert b"20360330T030000" in body  # DST start in 2036 is in the VTIMEZONE
