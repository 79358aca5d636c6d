"""Events in more than one language: the organiser's translations, shown in the reader's
language, the original as fallback, without a query per event."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from escape_events.calendars.ics import CalendarInfo, SeriesEntry, render_calendar
from escape_events.events.models import Event, EventTranslation, Series, SeriesTranslation
from escape_events.events.selectors import next_occurrences
from escape_events.events.services import set_translations

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(make_event):
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    return make_event(
        title="SWAN hands-on", slug="swan", start=start, end=start + timedelta(hours=2)
    )


def test_one_translation_per_language(upcoming):
    EventTranslation.objects.create(event=upcoming, language="fr", title="Atelier SWAN")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventTranslation.objects.create(event=upcoming, language="fr", title="Encore")


def test_the_title_falls_back_to_the_original(upcoming):
    set_translations(of=upcoming, texts={"fr": ("Atelier SWAN", "Apportez un *portable*.")})
    assert upcoming.title_in("fr") == "Atelier SWAN"
    assert upcoming.title_in("de") == "SWAN hands-on"  # no German: the original
    assert upcoming.title_in("en-gb") == "SWAN hands-on"
    assert upcoming.description_in("de") == ""
    with translation.override("fr"):
        assert upcoming.localized_title == "Atelier SWAN"
    stored = upcoming.translations.get()
    assert stored.description_text == "Apportez un portable."


def test_saving_translations_tells_calendars_and_an_empty_title_removes_one(upcoming):
    sequence = upcoming.sequence
    assert set_translations(of=upcoming, texts={"fr": ("Atelier SWAN", ""), "de": ("", "")}) == [
        "fr"
    ]
    assert upcoming.sequence == sequence + 1
    assert set_translations(of=upcoming, texts={"fr": ("Atelier SWAN", "")}) == []
    assert set_translations(of=upcoming, texts={"fr": ("", "")}) == ["fr"]
    assert not upcoming.translations.exists()


def test_the_event_page_shows_the_readers_language(client, upcoming):
    set_translations(of=upcoming, texts={"fr": ("Atelier SWAN", "Apportez un **portable**.")})
    url = reverse("site:event_detail", kwargs={"slug": upcoming.slug})
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<h1>Atelier SWAN</h1>" in french
    assert "<strong>portable</strong>" in french
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<h1>SWAN hands-on</h1>" in german
    english = client.get(url).content.decode()
    assert "<h1>SWAN hands-on</h1>" in english


def test_a_series_and_its_meetings_show_the_readers_language(client, wp2_series):
    SeriesTranslation.objects.create(
        series=wp2_series,
        language="de",
        title="ESCAPE-WP2-Sitzung",
        description="Alle zwei Wochen.",
    )
    page = client.get(wp2_series.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<h1>ESCAPE-WP2-Sitzung</h1>" in page
    meeting = next_occurrences(wp2_series, 1)[0]
    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "ESCAPE-WP2-Sitzung" in page


def _queries(client, url, language):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("page", ["site:home", "site:past"])
def test_lists_fetch_translations_once_not_per_event(client, make_event, page):
    future = page == "site:home"
    base = timezone.now() + (timedelta(days=5) if future else -timedelta(days=50))
    for number in range(2):
        event = make_event(
            start=base + timedelta(days=number), end=base + timedelta(days=number, hours=2)
        )
        EventTranslation.objects.create(event=event, language="fr", title=f"Événement {number}")
    url = reverse(page)
    _, few = _queries(client, url, "fr")
    for number in range(2, 6):
        event = make_event(
            start=base + timedelta(days=number), end=base + timedelta(days=number, hours=2)
        )
        EventTranslation.objects.create(event=event, language="fr", title=f"Événement {number}")
    content, many = _queries(client, url, "fr")
    assert many == few
    assert "Événement 5" in content
    _, english = _queries(client, url, "en-gb")
    assert english == many - 1  # the original needs no translations at all


def test_ics_says_the_language_of_a_translated_title(upcoming, wp2_series):
    set_translations(of=upcoming, texts={"fr": ("Atelier SWAN", "Apportez un portable.")})
    SeriesTranslation.objects.create(series=wp2_series, language="fr", title="Réunion WP2")
    events = Event.objects.select_related("venue", "series").filter(pk=upcoming.pk)
    info = CalendarInfo(name="Feed")
    with translation.override("fr"):
        body = render_calendar(info, events=events, series=[SeriesEntry(wp2_series)])
    unfolded = body.replace(b"\r\n ", b"")
    assert b"SUMMARY;LANGUAGE=fr:Atelier SWAN" in unfolded
    assert b"SUMMARY;LANGUAGE=fr:R\xc3\xa9union WP2" in unfolded
    assert b"DESCRIPTION;LANGUAGE=fr:Apportez un portable." in unfolded
    # The original is written without LANGUAGE (its language is not recorded), dates untouched.
    english = render_calendar(info, events=events, series=[SeriesEntry(wp2_series)])
    assert b"SUMMARY:SWAN hands-on" in english
    assert b"LANGUAGE" not in english
    start = [
        component["DTSTART"].to_ical() for component in Calendar.from_ical(body).walk("VEVENT")
    ]
    assert start == [
        component["DTSTART"].to_ical() for component in Calendar.from_ical(english).walk("VEVENT")
    ]


def test_a_calendar_in_another_language_reads_translations_in_a_fixed_number_of_queries(
    make_event, wp2_series
):
    def count(events_made):
        for number in range(events_made):
            event = make_event(title=f"Extra {number}")
            EventTranslation.objects.create(event=event, language="fr", title=f"En plus {number}")
        events = list(Event.objects.select_related("venue", "series"))
        entry = SeriesEntry(Series.objects.get(pk=wp2_series.pk), occurrences=[])
        with CaptureQueriesContext(connection) as queries, translation.override("fr"):
            body = render_calendar(CalendarInfo(name="Feed"), events=events, series=[entry])
        return len(queries), body

    few, _ = count(2)
    many, body = count(6)
    assert few == many
    assert body.count(b"SUMMARY;LANGUAGE=fr:En plus") == 8
