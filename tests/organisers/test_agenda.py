"""The organiser's Agenda tab: entries, speakers from participants, materials, moves, sessions,
and the CSV import whose preview stores nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escape_events.timetable import services
from escape_events.timetable.models import Entry, Material, Session

pytestmark = pytest.mark.django_db


def url(name, event, **kwargs):
    return reverse(f"organisers:{name}", kwargs={"slug": event.slug, **kwargs})


def entry_data(event, start="10:00", end="10:30", title="Welcome", **extra):
    day = event.local_start.date().isoformat()
    data = {
        "day": day,
        "start_time": start,
        "end_time": end,
        "title": title,
        "kind": "talk",
        "session": "",
        "location": "",
        "description": "",
        "speakers-TOTAL_FORMS": "2",
        "speakers-INITIAL_FORMS": "0",
        "speakers-0-name": "",
        "speakers-0-affiliation": "",
        "speakers-0-participant": "",
        "speakers-1-name": "",
        "speakers-1-affiliation": "",
        "speakers-1-participant": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def day_event(hands_on):
    """The hands-on from 09:00 to 17:00 local time, so entries have room."""
    local = hands_on.local_start.replace(hour=9, minute=0)
    hands_on.start, hands_on.end = local, local + timedelta(hours=8)
    hands_on.save()
    return hands_on


def test_organiser_adds_an_entry_with_a_registered_participant_as_speaker(
    client, organiser, day_event, register, make_person
):
    speaker = make_person(first_name="Ada", last_name="Lovelace", affiliation="PIC")
    register(day_event, person=speaker)
    client.force_login(organiser)
    page = client.get(url("agenda_entry_add", day_event)).content.decode()
    assert "Ada Lovelace (PIC)" in page  # offered as a participant
    data = entry_data(
        day_event,
        **{
            "speakers-0-participant": str(speaker.pk),
            "speakers-1-name": "Simone",
            "speakers-1-affiliation": "CERN",
        },
    )
    response = client.post(url("agenda_entry_add", day_event), data)
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.local_start.strftime("%H:%M") == "10:00"
    assert [(s.name, s.affiliation, s.user_id) for s in entry.speakers.all()] == [
        ("Ada Lovelace", "PIC", speaker.pk),
        ("Simone", "CERN", None),
    ]
    agenda = client.get(url("agenda", day_event)).content.decode()
    assert "Welcome" in agenda and "Ada Lovelace (PIC)" in agenda


def test_someone_not_registered_cannot_be_picked(client, organiser, day_event, make_person):
    stranger = make_person()
    client.force_login(organiser)
    data = entry_data(day_event, **{"speakers-0-participant": str(stranger.pk)})
    assert client.post(url("agenda_entry_add", day_event), data).status_code == 400
    assert not Entry.objects.exists()


def test_an_overlap_is_explained_on_the_form_and_nothing_is_stored(client, organiser, day_event):
    client.force_login(organiser)
    client.post(url("agenda_entry_add", day_event), entry_data(day_event))
    response = client.post(
        url("agenda_entry_add", day_event), entry_data(day_event, "10:15", "10:45", "Clash")
    )
    assert response.status_code == 400
    assert "It overlaps “Welcome” (10:00–10:30) in the main programme" in response.content.decode()
    assert Entry.objects.count() == 1
    bad = client.post(url("agenda_entry_add", day_event), entry_data(day_event, "11:00", "10:00"))
    assert bad.status_code == 400 and "The end must be after the start." in bad.content.decode()


def test_edit_move_duplicate_and_delete(client, organiser, day_event):
    client.force_login(organiser)
    client.post(url("agenda_entry_add", day_event), entry_data(day_event))
    entry = Entry.objects.get()
    client.post(
        url("agenda_entry_edit", day_event, pk=entry.pk),
        entry_data(day_event, title="Welcome and introduction"),
    )
    assert Entry.objects.get().title == "Welcome and introduction"
    response = client.post(url("agenda_entry_move", day_event, pk=entry.pk), {"by": "30"})
    assert response.status_code == 302
    assert Entry.objects.get().local_start.strftime("%H:%M") == "10:30"
    assert (
        client.post(url("agenda_entry_move", day_event, pk=entry.pk), {"by": "7"}).status_code
        == 400
    )
    day = day_event.local_start.date().isoformat()
    copy = client.post(
        url("agenda_entry_duplicate", day_event, pk=entry.pk), {"day": day, "start_time": "14:00"}
    )
    assert copy.status_code == 302
    assert sorted(e.local_start.strftime("%H:%M") for e in Entry.objects.all()) == [
        "10:30",
        "14:00",
    ]
    assert client.get(url("agenda_entry_delete", day_event, pk=entry.pk)).status_code == 405
    client.post(url("agenda_entry_delete", day_event, pk=entry.pk))
    assert Entry.objects.count() == 1


def test_moving_with_the_following_entries_keeps_the_day_together(client, organiser, day_event):
    client.force_login(organiser)
    for start, end, title in [
        ("09:00", "10:00", "A"),
        ("10:00", "11:00", "B"),
        ("11:00", "12:00", "C"),
    ]:
        client.post(url("agenda_entry_add", day_event), entry_data(day_event, start, end, title))
    first = Entry.objects.get(title="A")
    response = client.post(
        url("agenda_entry_move", day_event, pk=first.pk), {"by": "15", "following": "on"}
    )
    assert response.status_code == 302
    assert [e.local_start.strftime("%H:%M") for e in Entry.objects.order_by("start")] == [
        "09:15",
        "10:15",
        "11:15",
    ]


def test_materials_upload_checked_and_links(client, organiser, day_event):
    client.force_login(organiser)
    client.post(url("agenda_entry_add", day_event), entry_data(day_event))
    entry = Entry.objects.get()
    add = url("agenda_material_add", day_event, pk=entry.pk)
    evil = client.post(add, {"title": "x", "file": SimpleUploadedFile("x.pdf", b"<html>")})
    assert evil.status_code == 400 and "does not look like a .pdf" in evil.content.decode()
    both = client.post(
        add, {"title": "x", "url": "https://a.example", "file": SimpleUploadedFile("a.txt", b"a")}
    )
    assert both.status_code == 400
    assert not Material.objects.exists()
    client.post(add, {"title": "Slides", "file": SimpleUploadedFile("s.pdf", b"%PDF-1.7")})
    client.post(add, {"title": "Notebook", "url": "https://swan.cern.ch"})
    assert sorted(Material.objects.values_list("title", flat=True)) == ["Notebook", "Slides"]
    notebook = Material.objects.get(title="Notebook")
    client.post(url("agenda_material_delete", day_event, pk=notebook.pk))
    assert list(Material.objects.values_list("title", flat=True)) == ["Slides"]


def test_sessions_with_conveners(client, organiser, day_event):
    client.force_login(organiser)
    data = {
        "title": "Exercises",
        "location": "Room 1",
        "conveners-TOTAL_FORMS": "1",
        "conveners-INITIAL_FORMS": "0",
        "conveners-0-name": "Enric",
        "conveners-0-affiliation": "CERN",
        "conveners-0-participant": "",
    }
    assert client.post(url("agenda_session_add", day_event), data).status_code == 302
    session = Session.objects.get()
    assert [str(c) for c in session.conveners.all()] == ["Enric (CERN)"]
    again = client.post(url("agenda_session_add", day_event), data)
    assert again.status_code == 400 and "already has a session" in again.content.decode()
    client.post(url("agenda_session_delete", day_event, pk=session.pk))
    assert not Session.objects.exists()


CSV = """date,time,title,speakers,kind,session
{day},09:00-09:30,Welcome,Simone (CERN),talk,
{day},09:30-10:30,First notebook,Enric (CERN); Aris,hands-on exercise,Exercises
{day},10:30-10:45,Coffee,,break,
"""


def test_csv_import_previews_without_storing_then_imports_on_confirmation(
    client, organiser, day_event
):
    client.force_login(organiser)
    text = CSV.format(day=day_event.local_start.date().isoformat())
    preview = client.post(
        url("agenda_import", day_event),
        {"file": SimpleUploadedFile("a.csv", text.encode("utf-8-sig"))},
    )
    html = preview.content.decode()
    assert preview.status_code == 200 and "Ready to import 3 entries" in html
    assert "Enric (CERN), Aris" in html and ">new</span>" in html
    assert not Entry.objects.exists() and not Session.objects.exists()
    done = client.post(url("agenda_import", day_event), {"text": text})
    assert done.status_code == 302
    assert list(Entry.objects.values_list("title", "kind", "session__title")) == [
        ("Welcome", "talk", None),
        ("First notebook", "hands_on", "Exercises"),
        ("Coffee", "break", None),
    ]


def test_csv_import_says_why_each_bad_row_is_bad_and_stores_nothing(client, organiser, day_event):
    client.force_login(organiser)
    day = day_event.local_start.date().isoformat()
    text = (
        "date;start;end;title;kind\n"
        f"{day};09:00;09:30;Fine;talk\n"
        f"{day};09:15;09:45;Clash;talk\n"
        f"{day};18:00;19:00;Evening;talk\n"
        f"{day};10:00;10:30;;talk\n"
        f"{day};10:00;10:30;Odd;lecture\n"
        f"2030-13-01;10:00;10:30;Bad date;talk\n"
        f"{day};ten;10:30;Bad time;talk\n"
    )
    response = client.post(
        url("agenda_import", day_event), {"file": SimpleUploadedFile("a.csv", text.encode())}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "6 of 7 rows cannot be imported" in html
    assert "It overlaps “Fine”" in html
    assert "entries must lie within it" in html
    assert "The title is missing." in html
    assert "Unknown kind “lecture”" in html
    assert "is not a date such as 2019-10-14" in html
    assert "“ten” is not a time" in html
    confirmed = client.post(url("agenda_import", day_event), {"text": text})
    assert confirmed.status_code == 400
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title,when\nA,now\n", "Unknown column “when”"),
        (b"title\nA\n", "at least title and either start and end or time"),
        ("title,time\nÉté,10:00-11:00\n".encode("latin-1"), "not UTF-8"),
        (b"title,time\n", "no rows below its header"),
    ],
)
def test_csv_files_that_cannot_be_read_say_why(client, organiser, day_event, content, message):
    client.force_login(organiser)
    response = client.post(
        url("agenda_import", day_event), {"file": SimpleUploadedFile("a.csv", content)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_agenda_page_queries_do_not_grow(
    client, organiser, day_event, give_agenda, django_assert_num_queries
):
    client.force_login(organiser)
    give_agenda(day_event, 2)
    client.get("/")  # the menu's "Organise" check is asked on the first page, then cached
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("agenda", day_event)).status_code == 200
    for number in range(20):
        start = day_event.start + timedelta(hours=2, minutes=10 * number)
        entry = services.add_entry(
            event=day_event,
            values={"start": start, "end": start + timedelta(minutes=10), "title": f"T{number}"},
            speakers=[services.Person("A")],
        )
        services.add_material_link(entry=entry, url="https://swan.cern.ch", title="SWAN")
    with django_assert_num_queries(len(few)):
        assert client.get(url("agenda", day_event)).status_code == 200
