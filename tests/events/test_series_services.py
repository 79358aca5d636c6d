"""Creating and changing a series, and adding a meeting, through events.services."""

import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from escape_events.events.models import Event, Series
from escape_events.events.selectors import next_occurrences
from escape_events.events.services import (
    add_extra_meeting,
    create_series,
    materialise_occurrence,
    move_occurrence,
    update_series,
)
from escape_events.registrations.models import Registration

pytestmark = pytest.mark.django_db

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
NOW = datetime(2030, 1, 1, 9, tzinfo=ZURICH)  # a Tuesday
MONDAYS = "FREQ=WEEKLY;BYDAY=MO"


@pytest.fixture
def weekly(db):
    """Every Monday 10:00-11:00 Zurich from 7 Jan 2030."""
    return create_series(
        values={
            "title": "Data-lake office hours",
            "rrule": MONDAYS,
            "first_start": datetime(2030, 1, 7, 10, tzinfo=ZURICH),
            "duration": timedelta(hours=1),
            "time_zone": "Europe/Zurich",
        }
    )


def registrant(event, email="ada@example.org"):
    user = get_user_model().objects.create_user(username=email, email=email)
    return Registration.objects.create(event=event, user=user, mode="remote", status="confirmed")


def open_meeting(series, day: date) -> Event:
    start = series.rule().after(datetime.combine(day, datetime.min.time()), inc=True)
    return materialise_occurrence(series=series, recurrence_id=start.replace(tzinfo=series.zone))


def master_of(client, series):
    body = client.get(reverse("feeds:series", kwargs={"slug": series.slug})).content
    events = Calendar.from_ical(body).walk("VEVENT")
    return next(event for event in events if "RRULE" in event), events


def test_a_new_series_starts_on_the_first_day_its_rule_gives(django_user_model):
    organiser = django_user_model.objects.create_user(username="o", email="o@example.org")
    series = create_series(
        values={
            "title": "WP2 meeting",
            "rrule": "FREQ=MONTHLY;BYDAY=2WE,4WE",
            "first_start": datetime(2030, 1, 1, 14, tzinfo=ZURICH),  # a Tuesday
            "duration": timedelta(minutes=90),
            "time_zone": "Europe/Zurich",
        },
        organisers=[organiser],
    )
    assert series.slug == "wp2-meeting"
    assert series.first_start == datetime(2030, 1, 9, 14, tzinfo=ZURICH)  # the 2nd Wednesday
    assert list(series.organisers.all()) == [organiser]
    again = create_series(values={**_values(series), "slug": ""})
    assert again.slug == "wp2-meeting-2"


def _values(series: Series) -> dict:
    names = ("title", "rrule", "first_start", "duration", "time_zone")
    return {name: getattr(series, name) for name in names}


def test_a_rule_that_gives_no_meeting_is_refused(db):
    with pytest.raises(ValidationError, match="no meeting"):
        create_series(
            values={
                "title": "Never",
                "rrule": "FREQ=WEEKLY;BYDAY=MO;UNTIL=20291231T225959Z",
                "first_start": datetime(2030, 1, 7, 10, tzinfo=ZURICH),
                "duration": timedelta(hours=1),
                "time_zone": "Europe/Zurich",
            }
        )
    assert not Series.objects.exists()


def test_only_calendar_changes_raise_the_sequence(weekly):
    assert update_series(series=weekly, values={"description": "Bring questions."}, now=NOW) == []
    weekly.refresh_from_db()
    assert weekly.sequence == 0
    changed = update_series(series=weekly, values={"rrule": "FREQ=WEEKLY;BYDAY=TH"}, now=NOW)
    weekly.refresh_from_db()
    assert changed == ["rrule", "first_start"]  # Thursday 10 Jan is the new first meeting
    assert weekly.sequence == 1
    assert weekly.first_start == datetime(2030, 1, 10, 10, tzinfo=ZURICH)


def test_a_new_time_moves_opened_meetings_and_tells_their_registrants(
    weekly, django_capture_on_commit_callbacks
):
    meeting = open_meeting(weekly, date(2030, 1, 14))
    registration = registrant(meeting)
    values = {"first_start": datetime(2030, 1, 7, 15, tzinfo=ZURICH)}
    with django_capture_on_commit_callbacks(execute=True):
        update_series(series=weekly, values=values, now=NOW)
    meeting.refresh_from_db()
    assert meeting.start == datetime(2030, 1, 14, 15, tzinfo=ZURICH)
    assert meeting.recurrence_id == meeting.start  # still a meeting of the rule, not moved
    assert meeting.sequence == 1
    assert [message.to for message in mail.outbox] == [[registration.user.email]]
    assert mail.outbox[0].subject.startswith("Changed:")


def test_a_meeting_on_a_day_the_new_rule_drops_is_cancelled_and_registrants_told(
    weekly, django_capture_on_commit_callbacks
):
    meeting = open_meeting(weekly, date(2030, 1, 14))
    registrant(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        update_series(series=weekly, values={"rrule": "FREQ=WEEKLY;BYDAY=TH"}, now=NOW)
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert mail.outbox[0].subject.startswith("Cancelled:")
    weekly.refresh_from_db()
    meetings = next_occurrences(weekly, 4, NOW)
    held = [item.local_start.date() for item in meetings if not item.is_cancelled]
    assert held == [date(2030, 1, 10), date(2030, 1, 17), date(2030, 1, 24)]  # Thursdays now


def test_a_meeting_moved_by_hand_keeps_its_time_when_the_series_time_changes(weekly):
    original = datetime(2030, 1, 14, 10, tzinfo=ZURICH)
    moved_to = datetime(2030, 1, 15, 16, tzinfo=ZURICH)
    move_occurrence(
        series=weekly, recurrence_id=original, start=moved_to, end=moved_to + timedelta(hours=1),
        venue=None,
    )  # fmt: skip
    update_series(
        series=weekly, values={"first_start": datetime(2030, 1, 7, 9, tzinfo=ZURICH)}, now=NOW
    )
    meeting = Event.objects.get(series=weekly)
    assert meeting.start == moved_to
    assert meeting.recurrence_id == datetime(2030, 1, 14, 9, tzinfo=ZURICH)  # the new slot


def test_past_meetings_keep_their_date_and_own_titles_stay(weekly):
    past = open_meeting(weekly, date(2030, 1, 7))
    special = open_meeting(weekly, date(2030, 1, 21))
    Event.objects.filter(pk=special.pk).update(title="Office hours: Rucio special")
    follows = open_meeting(weekly, date(2030, 1, 28))
    update_series(
        series=weekly,
        values={
            "title": "Data-lake help desk",
            "first_start": datetime(2030, 1, 7, 11, tzinfo=ZURICH),
        },
        now=datetime(2030, 1, 8, 9, tzinfo=ZURICH),
    )
    past.refresh_from_db()
    special.refresh_from_db()
    follows.refresh_from_db()
    assert (past.title, past.local_start.hour) == ("Data-lake office hours", 10)
    assert special.title == "Office hours: Rucio special"
    assert (follows.title, follows.local_start.hour) == ("Data-lake help desk", 11)


def test_the_feed_follows_a_rule_change_with_a_higher_sequence(client, weekly):
    meeting = open_meeting(weekly, date(2030, 1, 14))
    master_before, _ = master_of(client, weekly)
    update_series(series=weekly, values={"rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"}, now=NOW)
    master, events = master_of(client, weekly)
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    assert master["SEQUENCE"] > master_before["SEQUENCE"]
    meeting.refresh_from_db()
    assert meeting.is_cancelled  # 14 Jan is not in the fortnightly rule from 7 Jan
    assert not [event for event in events if "RECURRENCE-ID" in event]


def test_an_extra_meeting_is_stored_once_and_becomes_an_rdate(client, weekly):
    start = datetime(2030, 1, 9, 18, tzinfo=ZURICH)  # a Wednesday evening
    extra = add_extra_meeting(series=weekly, start=start, end=start + timedelta(hours=2))
    assert (extra.start, extra.end, extra.recurrence_id) == (
        start,
        start + timedelta(hours=2),
        start,
    )
    master, _ = master_of(client, weekly)
    assert [moment.dt for moment in master["RDATE"].dts] == [start]
    with pytest.raises(ValidationError, match="already has a meeting"):
        add_extra_meeting(series=weekly, start=start, end=start + timedelta(hours=1))
    with pytest.raises(ValidationError, match="already has a meeting"):
        monday = datetime(2030, 1, 14, 10, tzinfo=ZURICH)
        add_extra_meeting(series=weekly, start=monday, end=monday + timedelta(hours=1))
    assert Event.objects.filter(series=weekly).count() == 1


def test_two_meetings_on_one_day_get_their_own_pages(weekly):
    monday = open_meeting(weekly, date(2030, 1, 14))
    evening = datetime(2030, 1, 14, 18, tzinfo=ZURICH)
    extra = add_extra_meeting(series=weekly, start=evening, end=evening + timedelta(hours=1))
    assert monday.slug == "data-lake-office-hours-2030-01-14"
    assert extra.slug == "data-lake-office-hours-2030-01-14-2"
