"""What a newcomer sees: the home page, an event, its local time, its calendar link."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from escape_events.events.seeding import load_seeds
from escape_events.timetable.seeding import load_agenda_seeds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_newcomer_opens_home_and_follows_an_event(page):
    load_seeds()  # today: the demo editions must lie ahead of the real clock

    page.goto("/")
    assert page.get_by_role("heading", name="Upcoming events").is_visible()
    assert page.get_by_role("heading", name="Next meetings").is_visible()
    page.get_by_role("link", name="SWAN hands-on session (demo edition)").click()

    page.wait_for_url("**/events/swan-hands-on-demo/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "SWAN hands-on session (demo edition)"
    )
    when = page.locator("time.when").first.inner_text()
    assert "14:00–17:30 CE" in when  # the event's own zone, CET or CEST
    # The visitor's browser is in New York: the page adds their local time.
    assert "Your time:" in page.locator(".local-time").first.inner_text()
    local = page.locator(".local-time").first.inner_text()
    assert re.search(r"E[SD]T", local)
    # 14:00 in Zurich is 08:00 in New York (09:00 in the weeks the two switch DST apart),
    # written on the 24-hour clock like the rest of the page.
    assert re.search(r"\b0[89]:00\b", local) and not re.search(r"AM|PM", local)
    assert page.get_by_text("Held alongside").is_visible()
    assert page.get_by_text("Demo edition: invented date, video-conference link").is_visible()
    assert not page.get_by_text("meet.example.org").count()  # the link is for remote registrants
    feed = page.locator('link[rel="alternate"][type="text/calendar"]').first.get_attribute("href")
    assert feed == "/feeds/events/swan-hands-on-demo.ics"


def test_newcomer_reads_the_minutes_of_the_first_meeting(page):
    load_seeds(today=date(2026, 11, 25))
    load_agenda_seeds()  # the minutes belong to the meeting's agenda items
    page.goto("/past/")
    page.get_by_role("link", name="ESCAPE WP2 meeting, 4 Sep 2019").click()
    # A meeting shows its minutes open, beside its agenda.
    page.wait_for_url("**/events/escape-wp2-meeting-2019-09-04/")
    assert page.get_by_text("hands-on session for SWAN Mon 14/10/2019").is_visible()
    assert page.get_by_role("heading", name="Present (22)").is_visible()


def test_on_a_phone_the_event_page_links_down_to_registration(browser, live_server):
    from escape_events.registrations.seeding import load_registration_seeds

    load_seeds()
    load_registration_seeds()
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    page = phone.new_page()
    page.goto("/events/swan-hands-on-demo/")
    jump = page.get_by_role("link", name="Registration ↓")
    jump.click()
    page.wait_for_url("**#registration")
    assert page.evaluate("window.scrollY") > 400  # the box lies below the description
    expect(page.get_by_role("heading", name="Registration", exact=True)).to_be_in_viewport()
    page.goto("/events/swan-hands-on-2019/")  # takes no registrations: no link
    assert not page.get_by_role("link", name="Registration ↓").is_visible()
    phone.close()
