"""Every feed and download, read by parsers other than the one that wrote it.

icalendar (strict: no parse errors, no TZID without VTIMEZONE), vobject, and Mozilla's ical.js
(Thunderbird's parser) under Node. The WP2 series is expanded by recurring-ical-events and by
ical.js and must give exactly the expected meetings, across a move, a cancellation and DST.
"""

import pytest
from django.urls import reverse

from escape_events.feeds.services import issue_feed_token
from tests.calendars.parsers import (
    expand_with_recurring_ical_events,
    read_with_icalendar,
    read_with_icaljs,
    read_with_vobject,
)
from tests.calendars.scenarios import EXPECTED_UTC_STARTS, RANGE, utc_iso

from .conftest import TRICKY_SUMMARY, TRICKY_TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_feed(client, world, register, settings):
    settings.FEEDS_PAST_MONTHS = 120  # keep the 2019 meetings in the personal feed
    register(world["upcoming"], world["user"], mode="remote")
    register(world["stored"]["moved"], world["user"], status="waiting")
    register(world["workshop"], world["user"], status="pending")
    token = issue_feed_token(user=world["user"])
    urls = {
        "all": reverse("feeds:all"),
        "kind": reverse("feeds:kind", kwargs={"kind": "meeting"}),
        "series": reverse("feeds:series", kwargs={"slug": world["series"].slug}),
        "event": reverse("feeds:event", kwargs={"slug": world["upcoming"].slug}),
        "all-day event": reverse("feeds:event", kwargs={"slug": world["workshop"].slug}),
        "occurrence": reverse("feeds:event", kwargs={"slug": world["stored"]["moved"].slug}),
        "personal": reverse("feeds:personal", kwargs={"token": token}),
    }
    bodies = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        bodies[name] = response.content
    return bodies


def test_every_feed_parses_cleanly_with_icalendar_and_vobject(every_feed):
    for name, body in every_feed.items():
        calendar = read_with_icalendar(body)
        assert calendar.walk("VEVENT"), name
        parsed = read_with_vobject(body)
        assert len(parsed.vevent_list) == len(calendar.walk("VEVENT")), name


def test_every_feed_parses_with_icaljs(every_feed, tmp_path):
    for name, body in every_feed.items():
        read = read_with_icaljs(body, tmp_path)
        expected = len(read_with_icalendar(body).walk("VEVENT"))
        assert len(read["events"]) == expected, name
        for event in read["events"]:
            # Timed events carry a TZID that the file defines; all-day events are dates.
            assert event["all_day"] or event["tzid"] in read["timezones"], (name, event)


def test_text_round_trips_unchanged_through_every_parser(every_feed, tmp_path):
    body = every_feed["event"]
    (icalendar_event,) = read_with_icalendar(body).walk("VEVENT")
    assert icalendar_event["SUMMARY"] == TRICKY_TITLE
    assert icalendar_event["DESCRIPTION"].startswith(TRICKY_SUMMARY + "\n\n")
    (vobject_event,) = read_with_vobject(body).vevent_list
    assert vobject_event.summary.value == TRICKY_TITLE
    assert vobject_event.description.value.startswith(TRICKY_SUMMARY + "\n\n")
    (icaljs_event,) = read_with_icaljs(body, tmp_path)["events"]
    assert icaljs_event["summary"] == TRICKY_TITLE
    assert icaljs_event["description"].startswith(TRICKY_SUMMARY + "\n\n")
    assert icaljs_event["location"] == "CERN, Council Chamber, Meyrin"


def test_all_day_event_reads_as_dates_with_exclusive_end(every_feed, tmp_path):
    (event,) = read_with_icaljs(every_feed["all-day event"], tmp_path)["events"]
    assert (event["all_day"], event["start"], event["end"]) == (True, "2030-10-11", "2030-10-12")


def test_wp2_series_expands_to_exactly_the_expected_meetings_with_recurring_ical_events(
    every_feed,
):
    for name in ("series", "all", "kind"):
        occurrences = expand_with_recurring_ical_events(every_feed[name], *RANGE)
        starts = sorted(
            utc_iso(event["DTSTART"].dt)
            for event in occurrences
            if event["UID"].startswith("series-")
        )
        assert starts == EXPECTED_UTC_STARTS, name


def test_wp2_series_expands_to_exactly_the_expected_meetings_with_icaljs(every_feed, tmp_path):
    after, before = RANGE
    for name in ("series", "all", "kind"):
        read = read_with_icaljs(every_feed[name], tmp_path, after, before)
        starts = [
            occurrence["start"].replace(".000Z", "Z")
            for occurrence in read["occurrences"]
            if occurrence["uid"].startswith("series-")
        ]
        assert starts == EXPECTED_UTC_STARTS, name
        moved = [o for o in read["occurrences"] if o["start"].startswith("2019-10-24")]
        assert moved[0]["summary"] == "WP2 meeting (moved to Thursday)"


def test_dst_keeps_the_meeting_at_14_zurich_in_both_parsers(every_feed, tmp_path):
    after, before = RANGE
    read = read_with_icaljs(every_feed["series"], tmp_path, after, before)
    by_day = {o["start"][:10]: o["start"][11:16] for o in read["occurrences"]}
    assert by_day["2019-10-09"] == "12:00"  # CEST, before 27 Oct
    assert by_day["2019-11-27"] == "13:00"  # CET, after


def test_occurrence_download_and_personal_feed_keep_the_series_identity(every_feed, tmp_path):
    (alone,) = read_with_icaljs(every_feed["occurrence"], tmp_path)["events"]
    assert alone["uid"].startswith("series-")
    assert alone["recurrence_id"] == "2019-10-23T12:00:00.000Z"
    personal = read_with_icaljs(every_feed["personal"], tmp_path)["events"]
    mine = next(event for event in personal if event["uid"] == alone["uid"])
    assert mine["recurrence_id"] == alone["recurrence_id"]
    assert mine["status"] == "TENTATIVE"
