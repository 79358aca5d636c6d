"""A visitor adds an event to their calendar: download, subscribe, Google, the personal feed."""

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from icalendar import Calendar

from escape_events.events.seeding import load_seeds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_downloads_and_subscribes_from_the_event_page(page, live_server):
    load_seeds(today=date(2026, 11, 25))
    page.goto("/events/swan-hands-on-2019/")
    panel = page.locator(".add-to-calendar")
    assert panel.get_by_role("heading", name="Add to calendar").is_visible()

    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Download .ics").click()
    download = download_info.value
    assert download.suggested_filename == "swan-hands-on-2019.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "SWAN hands-on session"
    assert event["DTSTART"].to_ical() == b"20191014T140000"
    assert event["DTSTART"].params["TZID"] == "Europe/Zurich"

    # webcal:// is what a desktop calendar subscribes to; it names the same feed over HTTP.
    webcal = panel.get_by_role("link", name="Subscribe to this event").get_attribute("href")
    host = live_server.url.split("://", 1)[1]
    assert webcal == f"webcal://{host}/feeds/events/swan-hands-on-2019.ics"
    feed = page.request.get(webcal.replace("webcal://", "http://", 1))
    assert feed.ok
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert b"UID:event-" in feed.body()

    google = panel.get_by_role("link", name="Add this event to Google Calendar").get_attribute(
        "href"
    )
    assert urlsplit(google).netloc == "calendar.google.com"
    assert parse_qs(urlsplit(google).query)["cid"] == [webcal]


def test_visitor_subscribes_to_the_wp2_series(page, live_server):
    load_seeds(today=date(2026, 11, 25))
    page.goto("/series/escape-wp2-meeting/")
    webcal = page.get_by_role("link", name="Subscribe to this series").get_attribute("href")
    feed = page.request.get(webcal.replace("webcal://", "http://", 1))
    body = feed.body()
    assert b"RRULE:FREQ=MONTHLY;BYDAY=2WE,4WE" in body
    assert b"RDATE;TZID=Europe/Zurich:20190904T140000" in body
    head = page.locator('link[rel="alternate"][type="text/calendar"]').first.get_attribute("href")
    assert head == "/feeds/series/escape-wp2-meeting.ics"


def test_signed_in_user_creates_a_personal_feed_and_reads_it_without_cookies(
    page, browser, live_server, django_user_model
):
    user = django_user_model.objects.create_user(
        username="grace", email="grace@example.org", password="browser-test-pass-7"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Password").fill("browser-test-pass-7")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="My calendar").click()
    page.get_by_role("button", name="Create my feed link").click()
    address = page.locator("#feed-url").input_value()
    assert "/feeds/personal/" in address

    # A calendar client has no session: a fresh context with no cookies reads the feed.
    stranger = browser.new_context()
    response = stranger.request.get(address)
    assert response.ok
    assert b"X-WR-CALNAME:My ESCAPE events" in response.body()
    assert "private" in response.headers["cache-control"]
    page.get_by_role("button", name="Make a new link").click()
    assert stranger.request.get(address).status == 404
    stranger.close()
