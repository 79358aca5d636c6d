"""Calendars show an event's, series' or agenda entry's Markdown description as plain text,
stored with every write of the description so that building a feed converts nothing."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from escape_events.core import text
from escape_events.core.text import markdown_to_text
from escape_events.events.models import Event, Series
from escape_events.events.seeding import load_seeds
from escape_events.events.services import (
    add_extra_meeting,
    clone_event,
    create_event,
    create_series,
    materialise_occurrence,
    next_year_start,
    update_event,
    update_series,
)
from escape_events.timetable import services as agenda
from escape_events.timetable.models import Entry

MARKDOWN = "Bring a **laptop** and see [SWAN](https://swan.cern.ch)."
PLAIN = "Bring a laptop and see SWAN (https://swan.cern.ch)."
ZURICH = ZoneInfo("Europe/Zurich")


def assert_every_text_follows_its_description():
    """The invariant itself, over every stored row: whatever wrote it, the text matches."""
    for model in (Event, Series, Entry):
        for description, stored in model.objects.values_list("description", "description_text"):
            assert stored == markdown_to_text(description), (model, description)


def event_values(**changes):
    start = datetime(2031, 10, 14, 9, tzinfo=ZURICH)
    return {"title": "Rucio coding camp", "start": start, "end": start + timedelta(hours=8)} | (
        changes
    )


def test_create_and_update_store_the_text(db):
    event = create_event(values=event_values(description=MARKDOWN))
    event.refresh_from_db()
    assert event.description_text == PLAIN
    update_event(event=event, values={"description": "Now *with* a [map](https://cern.ch/map)."})
    event.refresh_from_db()
    assert event.description_text == "Now with a map (https://cern.ch/map)."
    update_event(event=event, values={"description": ""})
    assert Event.objects.get(pk=event.pk).description_text == ""
    assert_every_text_follows_its_description()


def test_repeat_next_year_keeps_the_text(db):
    event = create_event(values=event_values(description=MARKDOWN))
    copy = clone_event(event=event, start=next_year_start(event))
    copy.refresh_from_db()
    assert copy.description_text == PLAIN


def series_values(**changes):
    start = datetime(2031, 1, 8, 14, tzinfo=ZURICH)
    return {
        "title": "Data-lake office hours",
        "first_start": start,
        "duration": timedelta(minutes=90),
        "rrule": "FREQ=MONTHLY;BYDAY=2WE",
    } | changes


def test_series_create_update_extra_and_opened_meetings_store_the_text(db):
    series = create_series(values=series_values(description=MARKDOWN))
    series.refresh_from_db()
    assert series.description_text == PLAIN
    update_series(series=series, values={"description": "**Second** text."})
    series.refresh_from_db()
    assert series.description_text == "Second text."
    extra = add_extra_meeting(
        series=series,
        start=datetime(2031, 1, 20, 10, tzinfo=ZURICH),
        end=datetime(2031, 1, 20, 11, tzinfo=ZURICH),
    )
    opened = materialise_occurrence(
        series=series, recurrence_id=datetime(2031, 2, 12, 14, tzinfo=ZURICH)
    )
    update_event(event=opened, values={"description": MARKDOWN})  # the meeting's own text
    opened.refresh_from_db()
    assert opened.description_text == PLAIN
    assert Event.objects.get(pk=extra.pk).description_text == ""
    assert_every_text_follows_its_description()


def test_agenda_entries_store_the_text_when_added_changed_and_duplicated(db, make_event):
    event = make_event(title="SWAN hands-on")
    start = event.start
    entry = agenda.add_entry(
        event=event,
        values={"start": start, "end": start + timedelta(minutes=30), "title": "Welcome",
                "description": MARKDOWN},
    )  # fmt: skip
    assert Entry.objects.get(pk=entry.pk).description_text == PLAIN
    agenda.update_entry(
        entry=entry,
        values={"start": start, "end": start + timedelta(minutes=30), "title": "Welcome",
                "description": "*Coffee* first."},
    )  # fmt: skip
    copy = agenda.duplicate_entry(entry=entry, start=start + timedelta(hours=1))
    assert Entry.objects.get(pk=copy.pk).description_text == "Coffee first."
    assert_every_text_follows_its_description()


def test_loading_the_seeds_stores_every_text(db):
    load_seeds()
    assert Event.objects.exclude(description="").exists()
    assert_every_text_follows_its_description()


@pytest.fixture
def described(db, make_event):
    """Stored texts for an event, a series with an opened meeting, and an agenda entry."""
    event = create_event(values=event_values(description=MARKDOWN, start=datetime.now(ZURICH)))
    event = Event.objects.get(pk=event.pk)
    agenda.add_entry(
        event=event,
        values={"start": event.start, "end": event.start + timedelta(minutes=30),
                "title": "Welcome", "description": "*Hello* all."},
    )  # fmt: skip
    series = create_series(
        values=series_values(description="The **second** Wednesday.", slug="office-hours",
                             first_start=datetime.now(ZURICH) - timedelta(days=40))
    )  # fmt: skip
    return event, series


def test_building_feeds_converts_no_markdown(client, described):
    """The converters raise during the builds: every feed reads the stored text."""
    event, series = described
    markdown_to_text.cache_clear()
    cache.clear()
    refuse = mock.Mock(side_effect=AssertionError("a feed build converted Markdown"))
    with mock.patch.object(text, "_markdown", refuse), mock.patch.object(text, "get_text", refuse):
        bodies = [
            client.get(url).content.decode()
            for url in (
                reverse("feeds:all"),
                reverse("feeds:event", kwargs={"slug": event.slug}),
                reverse("feeds:series", kwargs={"slug": series.slug}),
                reverse("feeds:timetable", kwargs={"slug": event.slug}),
            )
        ]
    unfolded = ["".join(body.replace("\r\n ", "").split("\\")) for body in bodies]
    assert PLAIN.replace(",", "") in unfolded[0].replace(",", "")
    assert "The second Wednesday." in unfolded[2]
    assert "Hello all." in unfolded[3]
    assert not refuse.called


def test_the_migration_fills_the_rows_stored_before(make_event):
    """Rows written before the text was stored (here: a plain insert) get it from the fill."""
    older = make_event(description=MARKDOWN)
    assert Event.objects.get(pk=older.pk).description_text == ""
    text.fill_description_texts(Event)
    assert Event.objects.get(pk=older.pk).description_text == PLAIN
    assert_every_text_follows_its_description()
