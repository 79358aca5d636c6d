"""Agendas in calendars: the event keeps one VEVENT whose plain-text DESCRIPTION carries the
agenda, and the opt-in timetable feed has one VEVENT per entry, read alike by every parser."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from escape_events.events.services import cancel_event, update_event, update_series
from escape_events.timetable import services
from tests.calendars.parsers import (
    expand_with_recurring_ical_events,
    read_with_icalendar,
    read_with_icaljs,
    read_with_vobject,
)

pytestmark = pytest.mark.django_db

DESCRIPTION = "Bring a **laptop** and see [SWAN](https://swan.cern.ch).\n\n- one\n- two"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def programme(world):
    """The hands-on of the feed world with a session, three entries, speakers and materials."""
    event = world["upcoming"]
    start = event.start
    session = services.add_session(
        event=event,
        values={"title": "Exercises", "location": "Room 40-S2"},
        conveners=[services.Person("Enric", "CERN")],
    )
    welcome = services.add_entry(
        event=event,
        values={
            "start": start,
            "end": start + timedelta(minutes=15),
            "title": "Welcome",
            "description": "Hello **everyone**.",
        },
        speakers=[services.Person("Simone", "CERN"), services.Person("Aris", "PIC")],
    )
    exercise = services.add_entry(
        event=event,
        values={
            "start": start + timedelta(minutes=15),
            "end": start + timedelta(minutes=75),
            "title": "First notebook",
            "kind": "hands_on",
            "session": session,
        },
    )
    services.add_material_link(entry=exercise, url="https://swan.cern.ch", title="SWAN")
    coffee = services.add_entry(
        event=event,
        values={
            "start": start + timedelta(minutes=75),
            "end": start + timedelta(minutes=90),
            "title": "Coffee",
            "kind": "break",
        },
    )
    event.refresh_from_db()
    return {"event": event, "welcome": welcome, "exercise": exercise, "coffee": coffee}


def timetable_url(event):
    return reverse("feeds:timetable", kwargs={"slug": event.slug})


def test_feeds_keep_one_vevent_per_event_with_the_agenda_in_plain_text(client, world, programme):
    event = programme["event"]
    update_event(event=event, values={"description": DESCRIPTION})
    for url in (reverse("feeds:all"), reverse("feeds:event", kwargs={"slug": event.slug})):
        calendar = read_with_icalendar(client.get(url).content)
        mine = [e for e in calendar.walk("VEVENT") if e["SUMMARY"] == event.title]
        assert len(mine) == 1
        description = str(mine[0]["DESCRIPTION"])
        assert "**" not in description
        assert "Bring a laptop and see SWAN (https://swan.cern.ch)." in description
        assert "Agenda (times in Europe/Zurich):" in description
        local = programme["welcome"].local_start
        assert f"{local:%H:%M}–" in description
        assert "Welcome — Simone (CERN), Aris (PIC)" in description
        assert "Session: Exercises (conveners: Enric (CERN)); Room 40-S2" in description
        assert "First notebook (hands-on exercise)" in description
    assert not any(
        "timetable" in e.get("UID", "") or str(e["UID"]).startswith("entry-")
        for e in read_with_icalendar(client.get(reverse("feeds:all")).content).walk("VEVENT")
    )


def test_no_feed_shows_markdown_markup(client, world, programme):
    update_event(event=world["upcoming"], values={"description": DESCRIPTION})
    update_series(series=world["series"], values={"description": "The **2nd and 4th** Wednesday."})
    series = reverse("feeds:series", kwargs={"slug": "escape-wp2-meeting"})
    for url in (reverse("feeds:all"), series, timetable_url(programme["event"])):
        descriptions = [
            str(vevent.get("DESCRIPTION", ""))
            for vevent in read_with_icalendar(client.get(url).content).walk("VEVENT")
        ]
        assert not any("**" in description for description in descriptions), url
        if url != timetable_url(programme["event"]):
            assert any("The 2nd and 4th Wednesday." in text for text in descriptions), url


def test_timetable_feed_has_one_vevent_per_entry_in_every_parser(client, programme, tmp_path):
    event = programme["event"]
    response = client.get(timetable_url(event))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    calendar = read_with_icalendar(body)
    vevents = calendar.walk("VEVENT")
    assert [str(v["SUMMARY"]) for v in vevents] == ["Welcome", "First notebook", "Coffee"]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Zurich"
    welcome = vevents[0]
    assert welcome["UID"] == f"entry-{programme['welcome'].pk}@{settings.CALENDAR_UID_DOMAIN}"
    assert welcome["RELATED-TO"] == f"event-{event.pk}@{settings.CALENDAR_UID_DOMAIN}"
    assert welcome["DTSTART"].params["TZID"] == "Europe/Zurich"
    assert welcome["LOCATION"] == "CERN, Council Chamber, Meyrin"
    assert str(welcome["DESCRIPTION"]).startswith("Speakers: Simone (CERN), Aris (PIC)\n\n")
    assert "Hello everyone." in str(welcome["DESCRIPTION"])
    assert str(welcome["URL"]).endswith(
        f"{event.get_absolute_url()}#entry-{programme['welcome'].pk}"
    )
    exercise = vevents[1]
    assert exercise["LOCATION"] == "Room 40-S2, CERN, Council Chamber, Meyrin"
    assert "Materials:\n- SWAN: https://swan.cern.ch" in str(exercise["DESCRIPTION"])
    assert vevents[2]["TRANSP"] == "TRANSPARENT"  # a break leaves you free

    parsed = read_with_vobject(body)
    assert [v.summary.value for v in parsed.vevent_list] == ["Welcome", "First notebook", "Coffee"]
    read = read_with_icaljs(body, tmp_path)
    assert read["timezones"] == ["Europe/Zurich"]
    assert [e["summary"] for e in read["events"]] == ["Welcome", "First notebook", "Coffee"]
    assert all(e["tzid"] == "Europe/Zurich" for e in read["events"])
    assert read["events"][0]["start"] == programme["welcome"].start.strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    day = programme["welcome"].start.replace(hour=0, minute=0)
    expanded = expand_with_recurring_ical_events(body, day, day + timedelta(days=2))
    assert sorted(str(e["SUMMARY"]) for e in expanded) == ["Coffee", "First notebook", "Welcome"]


def test_timetable_feed_is_byte_stable_and_answers_304(client, programme):
    url = timetable_url(programme["event"])
    first = client.get(url)
    assert client.get(url).content == first.content
    assert first["ETag"] and first["Last-Modified"]
    assert "public" in first["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


def test_agenda_changes_refresh_every_feed_that_shows_them(client, world, programme):
    urls = [
        reverse("feeds:all"),
        reverse("feeds:event", kwargs={"slug": world["upcoming"].slug}),
        timetable_url(programme["event"]),
    ]
    before = {url: client.get(url) for url in urls}
    services.update_entry(entry=programme["coffee"], values={"title": "Coffee and tea"})
    for url, old in before.items():
        fresh = client.get(url, headers={"If-None-Match": old["ETag"]})
        assert fresh.status_code == 200, url
        assert b"Coffee and tea" in fresh.content, url


def test_uids_stay_and_sequence_grows_when_entries_or_the_event_change(client, programme):
    event = programme["event"]
    url = timetable_url(event)

    def read():
        vevents = read_with_icalendar(client.get(url).content).walk("VEVENT")
        return {str(v["SUMMARY"]): v for v in vevents}

    before = read()
    services.shift_entries(event=event, entries=[programme["coffee"]], by=timedelta(minutes=5))
    after = read()
    assert after["Coffee"]["UID"] == before["Coffee"]["UID"]
    assert after["Coffee"]["SEQUENCE"] == before["Coffee"]["SEQUENCE"] + 1
    assert after["Welcome"]["SEQUENCE"] == before["Welcome"]["SEQUENCE"]

    update_event(
        event=event,
        values={"start": event.start + timedelta(days=1), "end": event.end + timedelta(days=1)},
    )
    moved = read()
    assert moved["Welcome"]["SEQUENCE"] > after["Welcome"]["SEQUENCE"]
    assert moved["Welcome"]["DTSTART"].dt == after["Welcome"]["DTSTART"].dt + timedelta(days=1)

    cancel_event(event=event)
    cancelled = read()
    assert {str(v["STATUS"]) for v in cancelled.values()} == {"CANCELLED"}
    assert cancelled["Welcome"]["SEQUENCE"] > moved["Welcome"]["SEQUENCE"]


def test_a_meetings_entries_relate_to_the_series(client, world):
    meeting = world["stored"]["moved"]
    services.add_entry(
        event=meeting,
        values={
            "start": meeting.start,
            "end": meeting.start + timedelta(minutes=10),
            "title": "Coordination",
        },
    )
    (vevent,) = read_with_icalendar(client.get(timetable_url(meeting)).content).walk("VEVENT")
    assert vevent["RELATED-TO"] == f"series-{world['series'].pk}@{settings.CALENDAR_UID_DOMAIN}"


@pytest.mark.parametrize("count", [1, 25])
def test_timetable_feed_takes_a_fixed_number_of_queries(
    client, make_event, give_agenda, count, django_assert_num_queries
):
    event = make_event(title="Camp")
    event.end = event.start + timedelta(hours=10)
    event.save()
    entries = give_agenda(event, count)
    services.add_material_link(entry=entries[0], url="https://swan.cern.ch", title="SWAN")
    # the event's id, its version; the event; entries with their sessions, speakers,
    # conveners, materials
    with django_assert_num_queries(7):
        response = client.get(timetable_url(event))
    assert response.content.count(b"BEGIN:VEVENT") == count


def test_unknown_event_has_no_timetable(client, db):
    assert client.get(reverse("feeds:timetable", kwargs={"slug": "nope"})).status_code == 404
