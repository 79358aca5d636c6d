"""The agenda on public pages: by day, in the event's zone, with speakers and materials, in a
fixed number of queries; meetings show agenda and minutes side by side; series list agendas."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from escape_events.events.selectors import next_occurrences
from escape_events.events.services import cancel_event, materialise_occurrence
from escape_events.timetable import services
from escape_events.timetable.minutes import save_minutes
from escape_events.timetable.seeding import load_agenda_seeds

from .conftest import at

pytestmark = pytest.mark.django_db


def html_of(client, event):
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_one_day_event_shows_its_timetable_with_speakers_and_materials(client, hands_on, add):
    entry = services.add_entry(
        event=hands_on,
        values={
            "start": at(1, "14:00"),
            "end": at(1, "14:20"),
            "title": "Welcome",
            "description": "Bring a **laptop**.",
        },
        speakers=[services.Person("Simone", "CERN")],
    )
    services.add_material_link(entry=entry, url="https://swan.cern.ch", title="SWAN")
    services.add_material_file(
        entry=entry, uploaded_file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 x"), title="Slides"
    )
    add(hands_on, at(1, "14:20"), at(1, "14:40"), title="Coffee", kind="break")
    html = html_of(client, hands_on)
    assert '<h2 id="agenda-heading">Timetable</h2>' in html
    assert "agenda-day" not in html  # one day: no day headings
    assert 'datetime="2030-10-14T14:00:00+02:00"' in html and ">14:00–14:20</time>" in html
    assert 'Simone <span class="muted">(CERN)</span>' in html
    assert "<strong>laptop</strong>" in html
    assert 'href="https://swan.cern.ch" rel="noopener noreferrer nofollow"' in html
    assert "PDF · " in html
    assert html.index("Welcome") < html.index("Coffee")
    assert 'id="entry-' in html
    assert "/feeds/events/event-1/timetable.ics" in html


def test_a_multi_day_event_has_a_heading_per_day_and_sessions_under_them(client, camp, add):
    internals = services.add_session(
        event=camp, values={"title": "Rucio internals"}, conveners=[services.Person("Martin")]
    )
    add(camp, at(1, "09:00"), at(1, "10:00"), title="Opening")
    add(camp, at(2, "09:00"), at(2, "10:00"), title="Daemons", session=internals)
    add(camp, at(3, "16:00"), at(3, "17:00"), title="Wrap-up")
    html = html_of(client, camp)
    days = re.findall(r'<h3 id="day-([\d-]+)" class="agenda-day">([^<]+)</h3>', html)
    assert days == [
        ("2030-10-14", "Monday 14 October 2030"),
        ("2030-10-15", "Tuesday 15 October 2030"),
        ("2030-10-16", "Wednesday 16 October 2030"),
    ]
    assert '<h4 class="agenda-session-title">Rucio internals</h4>' in html
    assert "conveners: Martin" in html
    assert 'href="#day-2030-10-15"' in html  # jump links per day


def test_a_cancelled_event_shows_its_programme_cancelled(client, hands_on, add):
    add(hands_on, at(1, "14:00"), at(1, "14:20"), title="Welcome")
    cancel_event(event=hands_on)
    html = html_of(client, hands_on)
    assert "cancelled, and its programme with it" in html
    assert 'class="agenda-list is-cancelled"' in html


def test_an_event_without_agenda_shows_no_timetable(client, hands_on):
    assert "agenda-heading" not in html_of(client, hands_on)


def test_event_page_agenda_queries_are_fixed(client, camp, give_agenda, django_assert_num_queries):
    """Same page, 1 then 20 more entries: exactly as many queries."""
    give_agenda(camp, 1)
    with CaptureQueriesContext(connection) as one:
        html_of(client, camp)
    for day in (2, 3):
        for hour in range(9, 19):
            services.add_entry(
                event=camp,
                values={
                    "start": at(day, f"{hour}:00"),
                    "end": at(day, f"{hour}:30"),
                    "title": f"Talk {day}-{hour}",
                },
                speakers=[services.Person("A"), services.Person("B")],
            )
    with django_assert_num_queries(len(one)):
        html_of(client, camp)


def test_a_meeting_shows_agenda_and_minutes_side_by_side(client, wp2_series, add):
    meeting = next_occurrences(wp2_series, 1)[0]
    event = materialise_occurrence(series=wp2_series, recurrence_id=meeting.recurrence_id)
    save_minutes(event=event, text="Agreed to meet fortnightly.", base_revision=0, by=None)
    add(event, event.start, event.start + timedelta(minutes=10), title="Coordination")
    html = html_of(client, event)
    record = html[html.index('<div class="meeting-record">') :]
    assert record.index('id="agenda-heading">Agenda<') < record.index('id="minutes-heading"')
    assert "Agreed to meet fortnightly." in record
    assert "Show the minutes" not in html  # side by side, not folded away


def test_series_page_lists_recent_agendas(client, wp2_series, add):
    meetings = [item.recurrence_id for item in next_occurrences(wp2_series, 3)]
    for number, recurrence_id in enumerate(meetings[:2]):
        event = materialise_occurrence(series=wp2_series, recurrence_id=recurrence_id)
        add(event, event.start, event.start + timedelta(minutes=10), title=f"Item {number}")
    materialise_occurrence(series=wp2_series, recurrence_id=meetings[2])  # no agenda
    html = client.get(wp2_series.get_absolute_url()).content.decode()
    section = html[html.index('id="recent-agendas-heading"') :]
    assert section.index("Item 1") < section.index("Item 0")  # newest first
    assert section.count('class="recent-agenda-title"') == 2


def test_material_files_are_served_safely_and_only_under_their_event(client, hands_on, camp, add):
    entry = add(hands_on, at(1, "14:00"), at(1, "14:20"))
    material = services.add_material_file(
        entry=entry, uploaded_file=SimpleUploadedFile("run.ipynb", b'{"cells": []}'), title="NB"
    )
    response = client.get(material.href)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    wrong = material.href.replace(hands_on.slug, camp.slug)
    assert client.get(wrong).status_code == 404
    # A link's own address on our site checks access, then sends the reader on.
    link = services.add_material_link(entry=entry, url="https://swan.cern.ch", title="SWAN")
    response = client.get(f"/events/{hands_on.slug}/agenda/materials/{link.pk}/")
    assert (response.status_code, response["Location"]) == (302, "https://swan.cern.ch")


def test_seeded_meeting_and_hands_on_show_their_agendas(client):
    from escape_events.events.seeding import load_seeds

    load_seeds()
    assert load_agenda_seeds() == 5
    assert load_agenda_seeds() == 0  # idempotent
    meeting = client.get("/events/escape-wp2-meeting-2019-09-04/").content.decode()
    for title in (
        "Coordination",
        "News: status of the deliverable",
        "Interfaces between WP2 and WP5: SWAN",
        "Status of the pilot and next steps",
        "IAM integration with experiment-specific authorisation",
    ):
        assert title in meeting
    assert "the length of each agenda item" in meeting  # said to be assumed
    hands_on = client.get("/events/swan-hands-on-2019/").content.decode()
    assert "Exercise 1: your first notebook on SWAN" in hands_on
    assert "the whole timetable (items, times, speakers) are placeholders" in hands_on
    camp = client.get("/events/rucio-coding-camp-2019/").content.decode()
    assert camp.count('class="agenda-day"') == 3
    assert "the whole timetable are placeholders" in camp
