from datetime import UTC, date, datetime

from django.core.management import call_command

from escape_events.events.models import Attachment, Event, MeetingAttendance, Series, Venue
from escape_events.events.seeding import load_seeds
from escape_events.events.selectors import occurrences_between


def snapshot():
    return {
        "events": sorted(
            Event.objects.values_list("slug", "start", "end", "all_day", "title", "venue__name")
        ),
        "series": list(Series.objects.values_list("slug", "rrule", "first_start")),
        "venues": Venue.objects.count(),
        "attachments": Attachment.objects.count(),
        "present": MeetingAttendance.objects.count(),
        "colocated": sorted(
            Event.colocated_with.through.objects.values_list("from_event__slug", "to_event__slug")
        ),
    }


def test_loading_twice_gives_the_same_data(db):
    load_seeds(today=date(2026, 11, 25))
    first = snapshot()
    load_seeds(today=date(2027, 3, 1))  # later day: demo dates stay as first set
    assert snapshot() == first


def test_seed_holds_the_events_the_minutes_mention(db):
    load_seeds(today=date(2026, 11, 25))
    hands_on = Event.objects.get(slug="swan-hands-on-2019")
    assert hands_on.local_start.date() == date(2019, 10, 14)
    assert hands_on.local_start.strftime("%A") == "Monday"
    assert hands_on.venue.name == "CERN"
    assert "hard to follow remotely" in hands_on.remote_note
    assert list(hands_on.colocated_with.values_list("slug", flat=True)) == [
        "rucio-coding-camp-2019"
    ]
    workshop = Event.objects.get(slug="swan-users-workshop-2019")
    assert workshop.all_day and workshop.last_day == date(2019, 10, 11)
    assert workshop.data_note  # assumptions are labelled
    leaders = Event.objects.get(slug="escape-wp2-task-leaders-2019-09-11")
    assert leaders.local_start.date() == date(2019, 9, 11)


def test_first_wp2_meeting_has_minutes_and_attendance(db):
    load_seeds(today=date(2026, 11, 25))
    series = Series.objects.get(slug="escape-wp2-meeting")
    meeting = series.occurrences.get()
    assert meeting.local_start.date() == date(2019, 9, 4)
    minutes = meeting.attachments.get()
    assert minutes.kind == Attachment.Kind.MINUTES
    assert b"There will be a hands-on session for SWAN" in minutes.file.read()
    names = set(meeting.attendance.values_list("name", flat=True))
    assert {"Simone", "Pandey", "Ghita", "Rosie", "Chen"} <= names
    assert len(names) == 22  # "Jurgen" is listed twice in the minutes


def test_series_continues_from_25_september_2019_into_the_future(db):
    load_seeds(today=date(2026, 11, 25))
    series = Series.objects.get(slug="escape-wp2-meeting")
    autumn = occurrences_between(
        datetime(2019, 9, 1, tzinfo=UTC), datetime(2019, 10, 1, tzinfo=UTC), [series]
    )
    assert [occ.local_start.date() for occ in autumn] == [date(2019, 9, 4), date(2019, 9, 25)]
    future = occurrences_between(
        datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC), [series]
    )
    assert [occ.local_start.day for occ in future] == [13, 27]


def test_demo_editions_are_future_and_labelled(db):
    load_seeds(today=date(2026, 11, 25))
    demo = Event.objects.get(slug="swan-hands-on-demo")
    assert demo.local_start.date() > date(2026, 11, 25)
    assert demo.local_start.weekday() == 0
    assert "demo" in demo.title.lower() and "not a real event" in demo.data_note.lower()


def test_command_prints_counts_and_demo_login(db, capsys):
    call_command("load_seeds", "--demo-organiser")
    out = capsys.readouterr().out
    assert "2 series, 6 events" in out
    assert "organiser@example.org" in out
    organiser = Event.objects.get(slug="swan-hands-on-demo").organisers.get()
    assert organiser.email == "organiser@example.org"
    assert organiser.has_perm("events.add_event")  # may create events of their own


def test_every_seeded_entry_says_what_the_minutes_do_not(db):
    """Nothing beyond the minutes without a label: times, formats, CERN's address, demo dates."""
    load_seeds(today=date(2026, 11, 25))
    series = Series.objects.get(slug="escape-wp2-meeting")
    assert "video conference" in series.remote_note and "video-conference" in series.data_note
    for event in Event.objects.all():
        assert event.data_note, event.slug
        invented = event.data_note.startswith("Demo edition")  # wholly invented, and says so
        if event.venue and event.venue.address and not invented:
            assert "address" in event.data_note, event.slug
    meeting = series.occurrences.get()
    assert "Jurgen" in meeting.data_note and "placeholder" in meeting.data_note


def test_reloading_keeps_a_stored_meeting_and_its_attendance_as_changed(db):
    load_seeds(today=date(2026, 11, 25))
    meeting = Event.objects.get(series__slug="escape-wp2-meeting")
    Event.objects.filter(pk=meeting.pk).update(data_note="edited")
    meeting.attendance.filter(name__startswith="J").delete()
    kept = sorted(meeting.attendance.values_list("name", flat=True))
    reloaded = load_seeds(today=date(2026, 11, 25))
    meeting.refresh_from_db()
    assert meeting.data_note == "edited"
    assert sorted(meeting.attendance.values_list("name", flat=True)) == kept
    assert meeting.attachments.count() == 1
    assert reloaded.new_events == reloaded.new_series == frozenset()


def test_reloading_keeps_an_edited_event_and_venue(db):
    load_seeds(today=date(2026, 11, 25))
    Event.objects.filter(slug="swan-users-workshop-2019").update(title="Renamed", venue=None)
    Venue.objects.update(address="Moved")
    load_seeds(today=date(2026, 11, 25))
    workshop = Event.objects.get(slug="swan-users-workshop-2019")
    assert (workshop.title, workshop.venue) == ("Renamed", None)
    assert set(Venue.objects.values_list("address", flat=True)) == {"Moved"}


def test_a_deleted_seeded_event_is_made_again(db):
    first = load_seeds(today=date(2026, 11, 25))
    assert "swan-hands-on-2019" in first.new_events
    Event.objects.filter(slug="swan-hands-on-2019").delete()
    again = load_seeds(today=date(2026, 11, 25))
    assert again.new_events == {"swan-hands-on-2019"}
    held_alongside = Event.objects.get(slug="swan-hands-on-2019").colocated_with.all()
    assert [event.slug for event in held_alongside] == ["rucio-coding-camp-2019"]


def test_the_demo_series_was_edited_as_in_the_organiser_area(db):
    load_seeds(today=date(2026, 11, 25))
    demo = Series.objects.get(slug="data-lake-office-hours-demo")
    assert demo.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"  # changed after it was created
    assert demo.sequence == 1
    assert demo.describe_schedule().startswith("Every 2 weeks on Thursday, 16:00–17:00")
    stored = list(demo.occurrences.order_by("start"))
    assert [item.is_moved for item in stored] == [False, True]
    extra, moved = stored
    assert not demo.rule_includes(extra.recurrence_id)  # an extra meeting, 4 Dec 2026
    assert extra.local_start.date() == date(2026, 12, 4)
    assert moved.local_start.weekday() == 4  # a Thursday meeting held on the Friday
    assert "Demo edition" in demo.data_note


def test_reloading_keeps_what_was_changed_in_the_organiser_area(db):
    load_seeds(today=date(2026, 11, 25))
    Series.objects.filter(slug="escape-wp2-meeting").update(rrule="FREQ=WEEKLY;BYDAY=MO")
    load_seeds(today=date(2027, 1, 1))
    assert Series.objects.get(slug="escape-wp2-meeting").rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert Series.objects.get(slug="data-lake-office-hours-demo").occurrences.count() == 2
