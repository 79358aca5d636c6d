"""The one helper that writes an event's span, as mails, reminders, calendars and pages show it."""

import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.utils import translation

from escape_events.events import when
from escape_events.events.models import Event, dated_title
from escape_events.events.when import (
    describe_moment,
    describe_span,
    describe_start,
    list_text,
    long_day_text,
)

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")


def event(start, end, *, zone="Europe/Zurich", all_day=False):
    return Event(title="SWAN hands-on", start=start, end=end, time_zone=zone, all_day=all_day)


def at(*parts, zone=ZURICH):
    return datetime(*parts, tzinfo=zone)


def test_a_same_day_event_names_its_date_once():
    span = describe_span(event(at(2027, 1, 25, 14, 0), at(2027, 1, 25, 17, 30)))
    assert span == "Mon 25 Jan 2027, 14:00–17:30 CET"


def test_an_event_ending_at_midnight_stays_on_its_day():
    span = describe_span(event(at(2027, 1, 25, 20, 0), at(2027, 1, 26, 0, 0)))
    assert span == "Mon 25 Jan 2027, 20:00–00:00 CET"


def test_a_timed_event_over_several_days_names_both_dates():
    span = describe_span(event(at(2027, 1, 25, 9, 0), at(2027, 1, 27, 17, 30)))
    assert span == "Mon 25 Jan 2027, 09:00 – Wed 27 Jan 2027, 17:30 CET"


def test_an_all_day_event_of_one_day_is_that_day():
    span = describe_span(event(at(2027, 1, 25, 0, 0), at(2027, 1, 26, 0, 0), all_day=True))
    assert span == "Mon 25 Jan 2027"


def test_an_all_day_event_of_three_days_ends_on_its_last_day_not_the_stored_end():
    camp = event(at(2027, 1, 25, 0, 0), at(2027, 1, 28, 0, 0), all_day=True)
    assert describe_span(camp) == "Mon 25 – Wed 27 Jan 2027"


@pytest.mark.parametrize(
    ("first", "end", "expected"),
    [
        ((2027, 1, 30), (2027, 2, 2), "Sat 30 Jan – Mon 1 Feb 2027"),
        ((2027, 12, 30), (2028, 1, 2), "Thu 30 Dec 2027 – Sat 1 Jan 2028"),
    ],
)
def test_all_day_spans_across_months_and_years_say_what_differs(first, end, expected):
    assert describe_span(event(at(*first), at(*end), all_day=True)) == expected


def test_a_span_across_the_change_to_summer_time_names_both_zones():
    night = event(at(2027, 3, 28, 1, 0), at(2027, 3, 28, 4, 0))
    assert describe_span(night) == "Sun 28 Mar 2027, 01:00 CET–04:00 CEST"
    weekend = event(at(2027, 3, 27, 9, 0), at(2027, 3, 29, 17, 0))
    assert describe_span(weekend) == "Sat 27 Mar 2027, 09:00 CET – Mon 29 Mar 2027, 17:00 CEST"


def test_an_event_in_another_zone_is_told_in_its_own_zone():
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    start = datetime(2030, 3, 13, 10, 0, tzinfo=chicago)
    remote = event(start, start + timedelta(hours=6), zone="America/Chicago")
    assert describe_span(remote) == "Wed 13 Mar 2030, 10:00–16:00 CDT"
    # The same moments stored for a Tokyo event read as the next day's evening there.
    tokyo = event(start, start + timedelta(hours=6), zone="Asia/Tokyo")
    assert describe_span(tokyo) == "Thu 14 Mar 2030, 00:00–06:00 JST"


@pytest.mark.parametrize(
    ("language", "same_day", "three_days"),
    [
        ("en-gb", "Mon 25 Jan 2027, 14:00–17:30 CET", "Mon 25 – Wed 27 Jan 2027"),
        ("fr", "lun. 25 janv. 2027, 14:00–17:30 CET", "lun. 25\u2009–\u2009mer. 27 janv. 2027"),
        ("de", "Mo., 25. Jan. 2027, 14:00–17:30 CET", "Mo., 25.\u2009–\u2009Mi., 27. Jan. 2027"),
        ("it", "lun 25 gen 2027, 14:00–17:30 CET", "lun 25\u2009–\u2009mer 27 gen 2027"),
        ("es", "lun, 25 ene 2027, 14:00–17:30 CET", "lun, 25 ene\u2009–\u2009mié, 27 ene 2027"),
    ],
)
def test_day_and_month_names_follow_the_active_language(language, same_day, three_days):
    """Other languages take CLDR's range patterns (thin spaces around the dash)."""
    workshop = event(at(2027, 1, 25, 14, 0), at(2027, 1, 25, 17, 30))
    camp = event(at(2027, 1, 25, 0, 0), at(2027, 1, 28, 0, 0), all_day=True)
    with translation.override(language):
        assert describe_span(workshop) == same_day
        assert describe_span(camp) == three_days


def test_lists_and_long_days_follow_the_active_language():
    with translation.override("de"):
        assert list_text(["Mo", "Di", "Mi"]) == "Mo, Di und Mi"
        assert long_day_text(date(2027, 1, 25)) == "Montag, 25. Januar 2027"
    with translation.override("fr"):
        assert list_text(["lundi", "mardi"]) == "lundi et mardi"
        assert long_day_text(date(2027, 1, 25)) == "lundi 25 janvier 2027"
    assert long_day_text(date(2027, 1, 25)) == "Monday 25 January 2027"


def test_the_start_is_told_in_the_readers_language():
    """Needs the compiled catalogues (French msgids of when.py)."""
    workshop = event(at(2027, 1, 25, 14, 0), at(2027, 1, 25, 17, 30))
    with translation.override("fr"):
        told = describe_start(workshop, workshop.start - timedelta(hours=24 * 7))
    assert told == "dans 7 jours, le lun. 25 janv. 2027 à 14:00 CET"


def test_a_moment_is_told_in_the_given_zone():
    moment = datetime(2027, 1, 15, 13, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert describe_moment(moment, "Europe/Zurich") == "Fri 15 Jan 2027, 14:00 CET"


@pytest.mark.parametrize(
    ("hours_before", "expected"),
    [
        (2, "today at 14:00 CET"),
        (24, "tomorrow, Mon 25 Jan 2027 at 14:00 CET"),
        (24 * 7, "in 7 days, on Mon 25 Jan 2027 at 14:00 CET"),
    ],
)
def test_the_start_is_told_as_a_day_and_an_hour_never_soon(hours_before, expected):
    workshop = event(at(2027, 1, 25, 14, 0), at(2027, 1, 25, 17, 30))
    assert describe_start(workshop, workshop.start - timedelta(hours=hours_before)) == expected


def test_an_all_day_start_names_the_day_only():
    camp = event(at(2027, 1, 25, 0, 0), at(2027, 1, 28, 0, 0), all_day=True)
    assert describe_start(camp, at(2027, 1, 24, 0, 0)) == "tomorrow, Mon 25 Jan 2027"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en-gb", "Tue 15 Oct 14:00"),
        ("fr", "mar. 15 oct., 14:00"),
        ("de", "Di., 15. Okt., 14:00"),
    ],
)
def test_a_day_and_its_clock_read_as_each_language_joins_them(language, expected):
    moment = datetime(2030, 10, 15, 14, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich"))
    with translation.override(language):
        assert when.day_and_clock_text(moment) == expected


def test_a_clock_range_names_the_day_only_when_asked():
    zone = zoneinfo.ZoneInfo("Europe/Zurich")
    start = datetime(2030, 10, 15, 14, 0, tzinfo=zone)
    end = datetime(2030, 10, 15, 15, 30, tzinfo=zone)
    with translation.override("en-gb"):
        assert when.clock_range_text(start, end) == "14:00–15:30"
        assert when.clock_range_text(start, end, with_day=True) == "Tue 15 Oct 14:00–15:30"
        assert when.in_zone_text("Tue 15 Oct 14:00", start) == "Tue 15 Oct 14:00 (Europe/Zurich)"


def test_a_meeting_title_already_dated_in_the_sites_language_is_not_dated_again():
    start = datetime(2019, 9, 4, 14, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Zurich"))
    with translation.override("de"):
        assert dated_title("ESCAPE WP2 meeting, 4 Sep 2019", start) == (
            "ESCAPE WP2 meeting, 4 Sep 2019"
        )
        assert dated_title("ESCAPE WP2 meeting", start) == "ESCAPE WP2 meeting, 4. Sept. 2019"
