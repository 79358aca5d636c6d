"""The rules of an agenda, kept by the services whoever calls them."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from escape_events.events.models import Event
from escape_events.events.selectors import next_occurrences
from escape_events.events.services import materialise_occurrence, move_occurrence, update_event
from escape_events.timetable import services
from escape_events.timetable.models import Entry, Material, Session, Speaker
from tests.conftest import ZURICH

from .conftest import at

pytestmark = pytest.mark.django_db


def test_entries_must_lie_inside_the_event(hands_on, add):
    add(hands_on, at(1, "14:00"), at(1, "14:30"))
    with pytest.raises(ValidationError) as refused:
        add(hands_on, at(1, "13:30"), at(1, "14:15"), title="Too early")
    assert "The event runs Mon 14 Oct 2030, 14:00–17:30 CEST" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        add(hands_on, at(1, "17:00"), at(1, "17:45"), title="Too late")
    with pytest.raises(ValidationError, match="end must be after the start"):
        add(hands_on, at(1, "15:00"), at(1, "15:00"))
    assert list(Entry.objects.values_list("title", flat=True)) == ["Talk"]


def test_a_multi_day_event_takes_entries_on_any_of_its_days(camp, add):
    for day in (1, 2, 3):
        add(camp, at(day, "09:00"), at(day, "10:30"), title=f"Day {day}")
    with pytest.raises(ValidationError, match="runs Mon 14 – Wed 16 Oct 2030"):
        add(camp, at(4, "09:00"), at(4, "10:00"), title="Thursday")
    assert Entry.objects.filter(event=camp).count() == 3


def test_overlaps_inside_a_session_are_refused_but_parallel_sessions_are_allowed(camp, add):
    internals = services.add_session(event=camp, values={"title": "Rucio internals"})
    clients = services.add_session(event=camp, values={"title": "Rucio clients"})
    add(camp, at(2, "09:00"), at(2, "10:00"), title="Daemons", session=internals)
    add(camp, at(2, "10:00"), at(2, "10:30"), title="Coffee", session=internals)  # touching: fine
    add(camp, at(2, "09:30"), at(2, "10:15"), title="Client API", session=clients)  # parallel
    with pytest.raises(ValidationError) as refused:
        add(camp, at(2, "09:45"), at(2, "10:15"), title="Transfers", session=internals)
    (message,) = refused.value.messages
    assert message.startswith("It overlaps “Daemons” (Tue 15 Oct 09:00–10:00)")
    assert "in the session “Rucio internals”" in message
    # Outside any session is the main programme: one track too.
    add(camp, at(2, "12:30"), at(2, "14:00"), title="Lunch")
    with pytest.raises(ValidationError, match="in the main programme"):
        add(camp, at(2, "13:00"), at(2, "13:30"), title="Poster")
    assert Entry.objects.filter(event=camp).count() == 4


def test_a_session_of_another_event_is_refused(hands_on, camp, add):
    other = services.add_session(event=camp, values={"title": "Day 1"})
    with pytest.raises(ValidationError, match="another event"):
        add(hands_on, at(1, "14:00"), at(1, "14:30"), session=other)


def test_speakers_keep_their_order_and_a_participant_fills_in_the_blanks(
    hands_on, django_user_model
):
    ada = django_user_model.objects.create_user(
        username="ada",
        email="ada@example.org",
        first_name="Ada",
        last_name="Lovelace",
        affiliation="PIC",
    )
    entry = services.add_entry(
        event=hands_on,
        values={"start": at(1, "14:00"), "end": at(1, "14:30"), "title": "Welcome"},
        speakers=[services.Person("Simone", "CERN"), services.Person(user=ada)],
    )
    assert [str(s) for s in entry.speakers.all()] == ["Simone (CERN)", "Ada Lovelace (PIC)"]
    assert entry.speakers.get(user=ada).name == "Ada Lovelace"
    with pytest.raises(ValidationError, match="needs a name"):
        services.update_entry(entry=entry, values={}, speakers=[services.Person(" ")])
    assert Speaker.objects.filter(entry=entry).count() == 2


def test_sequence_grows_only_for_what_calendars_show(hands_on, add):
    entry = add(hands_on, at(1, "14:00"), at(1, "14:30"))
    entry = services.update_entry(entry=entry, values={"description": "Bring a laptop."})
    assert entry.sequence == 0
    entry = services.update_entry(
        entry=entry, values={"start": at(1, "14:10"), "end": at(1, "14:40")}
    )
    assert entry.sequence == 1
    entry = services.update_entry(entry=entry, values={"title": "Welcome"})
    assert entry.sequence == 2


def test_every_agenda_change_marks_the_event_changed_for_calendars(hands_on, add):
    before = Event.objects.get(pk=hands_on.pk).updated_at
    entry = add(hands_on, at(1, "14:00"), at(1, "14:30"))
    touched = Event.objects.get(pk=hands_on.pk).updated_at
    assert touched > before
    services.remove_entry(entry=entry)
    assert Event.objects.get(pk=hands_on.pk).updated_at > touched


def test_shifting_moves_entries_by_local_clock_and_checks_the_result(camp, add):
    first = add(camp, at(1, "09:00"), at(1, "10:00"), title="First")
    second = add(camp, at(1, "10:00"), at(1, "11:00"), title="Second")
    services.shift_entries(event=camp, entries=[first, second], by=timedelta(minutes=30))
    assert [(e.local_start.hour, e.local_start.minute) for e in Entry.objects.all()] == [
        (9, 30),
        (10, 30),
    ]
    with pytest.raises(ValidationError, match="overlaps “Second”"):
        services.shift_entries(event=camp, entries=[first], by=timedelta(minutes=45))
    with pytest.raises(ValidationError, match="must lie within"):
        services.shift_entries(event=camp, entries=[first], by=timedelta(hours=-10))
    assert Entry.objects.get(pk=first.pk).local_start.hour == 9


def test_duplicating_copies_speakers_and_materials_at_the_new_time(camp, add):
    entry = services.add_entry(
        event=camp,
        values={"start": at(1, "09:00"), "end": at(1, "10:30"), "title": "Exercise"},
        speakers=[services.Person("Martin", "CERN")],
    )
    services.add_material_link(entry=entry, url="https://swan.cern.ch", title="Notebook")
    services.add_material_file(
        entry=entry, uploaded_file=SimpleUploadedFile("notes.txt", b"Step 1"), title="Notes"
    )
    copy = services.duplicate_entry(entry=entry, start=at(2, "09:00"))
    assert (copy.local_start.day, copy.local_end.hour, copy.local_end.minute) == (15, 10, 30)
    assert [str(s) for s in copy.speakers.all()] == ["Martin (CERN)"]
    files = {m.title: m for m in copy.materials.all()}
    assert files["Notebook"].url == "https://swan.cern.ch"
    assert files["Notes"].file.read() == b"Step 1"
    assert files["Notes"].file.name != entry.materials.get(title="Notes").file.name
    with pytest.raises(ValidationError, match="overlaps"):
        services.duplicate_entry(entry=entry, start=at(1, "10:00"))


def test_materials_follow_the_upload_rules_and_links_must_be_web_addresses(hands_on, add):
    entry = add(hands_on, at(1, "14:00"), at(1, "14:30"))
    with pytest.raises(ValidationError, match="not accepted"):
        services.add_material_file(
            entry=entry, uploaded_file=SimpleUploadedFile("x.html", b"<script>"), title="Page"
        )
    with pytest.raises(ValidationError, match=r"does not look like a \.pdf"):
        services.add_material_file(
            entry=entry, uploaded_file=SimpleUploadedFile("s.pdf", b"<html>"), title="Slides"
        )
    for bad in ("javascript:alert(1)", "swan.cern.ch", "ftp://files.example.org/x"):
        with pytest.raises(ValidationError, match="full web address"):
            services.add_material_link(entry=entry, url=bad, title="Bad")
    assert not Material.objects.exists()


def test_removing_a_session_removes_its_entries_and_their_files(
    hands_on, add, django_capture_on_commit_callbacks
):
    session = services.add_session(event=hands_on, values={"title": "Exercises"})
    entry = add(hands_on, at(1, "14:00"), at(1, "15:00"), session=session)
    material = services.add_material_file(
        entry=entry, uploaded_file=SimpleUploadedFile("a.txt", b"x"), title="A"
    )
    storage, name = material.file.storage, material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remove_session(session=session) == 1
    assert not Entry.objects.exists() and not Session.objects.exists()
    assert not storage.exists(name)


def test_session_titles_are_unique_per_event(hands_on, camp):
    services.add_session(event=hands_on, values={"title": "Day 1"})
    services.add_session(event=camp, values={"title": "Day 1"})
    with pytest.raises(ValidationError, match="already has a session “day 1”"):
        services.add_session(event=hands_on, values={"title": "day 1"})


def test_moving_an_event_moves_its_agenda_by_local_clock(camp, add):
    """Moved by a week across the end of summer time: 09:00 stays 09:00."""
    add(camp, at(1, "09:00"), at(1, "10:00"), title="Opening")
    add(camp, at(3, "16:00"), at(3, "17:30"), title="Closing")
    week = timedelta(weeks=2)
    update_event(event=camp, values={"start": camp.start + week, "end": camp.end + week})
    opening, closing = Entry.objects.order_by("start")
    assert opening.local_start.strftime("%a %d %b %H:%M %Z") == "Mon 28 Oct 09:00 CET"
    assert closing.local_end.strftime("%a %d %b %H:%M %Z") == "Wed 30 Oct 17:30 CET"


def test_a_move_that_would_leave_entries_outside_is_refused_whole(camp, add):
    add(camp, at(3, "09:00"), at(3, "10:00"), title="Last day")
    with pytest.raises(ValidationError, match=r"does not fit the new dates.*“Last day”"):
        update_event(event=camp, values={"end": camp.end - timedelta(days=1)})
    camp.refresh_from_db()
    assert camp.end == datetime(2030, 10, 17, tzinfo=ZURICH)
    assert Entry.objects.get().local_start.day == 16


def test_a_moved_meeting_keeps_and_moves_its_agenda(wp2_series, add):
    meeting = next_occurrences(wp2_series, 1)[0]
    event = materialise_occurrence(series=wp2_series, recurrence_id=meeting.recurrence_id)
    add(event, event.start, event.start + timedelta(minutes=20), title="Coordination")
    new_start = event.start + timedelta(days=1, hours=1)
    move_occurrence(
        series=wp2_series,
        recurrence_id=meeting.recurrence_id,
        start=new_start,
        end=new_start + timedelta(minutes=90),
        venue=None,
    )
    (entry,) = Entry.objects.filter(event__series=wp2_series)
    assert entry.event_id == event.pk
    assert entry.start == new_start


def test_a_time_zone_correction_keeps_the_agenda_at_the_same_local_times(hands_on, add):
    add(hands_on, at(1, "15:00"), at(1, "15:30"))
    london = hands_on.local_start.replace(tzinfo=None)
    zone = zoneinfo.ZoneInfo("Europe/London")
    update_event(
        event=hands_on,
        values={
            "time_zone": "Europe/London",
            "start": london.replace(tzinfo=zone),
            "end": (london + timedelta(hours=3.5)).replace(tzinfo=zone),
        },
    )
    entry = Entry.objects.get()
    assert entry.start.astimezone(zone).strftime("%H:%M") == "15:00"


@pytest.mark.parametrize("breaker", ["\n", "\t", "\u2028", "\u0085", "\x0b", "\u202e"])
def test_titles_and_names_keep_to_one_line_by_the_site_wide_rule(hands_on, add, breaker):
    """The same control characters the site refuses in mail subjects (core.headers)."""
    with pytest.raises(ValidationError, match="one line"):
        add(hands_on, at(1, "14:00"), at(1, "14:30"), title=f"Intro{breaker}duction")
    with pytest.raises(ValidationError, match="one line"):
        services.add_session(event=hands_on, values={"title": f"Day{breaker}one"})
    with pytest.raises(ValidationError, match="one line"):
        services.add_entry(
            event=hands_on,
            values={"start": at(1, "14:00"), "end": at(1, "14:30"), "title": "Intro"},
            speakers=[services.Person(f"Ada{breaker}Lovelace")],
        )
    assert not Entry.objects.exists()
