"""An organiser builds a three-day agenda in real Chromium, and a visitor reads it by day."""

from datetime import datetime

import pytest
from playwright.sync_api import expect

from escape_events.timetable.models import Entry
from tests.conftest import ZURICH

from .test_organiser import organiser, sign_in  # noqa: F401  (the organiser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def camp(make_event, organiser):  # noqa: F811
    event = make_event(
        title="Rucio coding camp 2031",
        slug="rucio-coding-camp-2031",
        all_day=True,
        start=datetime(2031, 10, 13, tzinfo=ZURICH),
        end=datetime(2031, 10, 16, tzinfo=ZURICH),
    )
    event.organisers.add(organiser)
    return event


def add_entry(page, day_label, start, end, title, *, kind="Talk", session=None, speaker=None):
    page.get_by_role("link", name="Add an entry").first.click()
    page.get_by_label("Day").select_option(label=day_label)
    page.get_by_label("Start").fill(start)
    page.get_by_label("End").fill(end)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Kind").select_option(label=kind)
    if session:
        page.get_by_label("Session").select_option(label=session)
    if speaker:
        page.locator("#id_speakers-0-name").fill(speaker[0])
        page.locator("#id_speakers-0-affiliation").fill(speaker[1])
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_text(f"“{title}” is added to the agenda.")).to_be_visible()


def test_organiser_builds_a_three_day_agenda(page, live_server, organiser, camp):  # noqa: F811
    sign_in(page, live_server, organiser)
    page.goto(f"/organise/events/{camp.slug}/")
    page.get_by_role("link", name="Agenda", exact=True).click()
    expect(page.get_by_text("No entries yet.")).to_be_visible()

    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Title").fill("Day 2 — Rucio internals")
    page.locator("#id_conveners-0-name").fill("Martin")
    page.locator("#id_conveners-0-affiliation").fill("CERN")
    page.get_by_role("button", name="Save the session").click()

    add_entry(
        page, "Mon 13 Oct 2031", "09:00", "10:30", "Rucio for newcomers", speaker=("Mario", "CERN")
    )
    add_entry(page, "Mon 13 Oct 2031", "10:30", "11:00", "Coffee", kind="Break")
    add_entry(
        page,
        "Tue 14 Oct 2031",
        "09:00",
        "12:00",
        "Daemons",
        kind="Hands-on exercise",
        session="Day 2 — Rucio internals",
    )
    add_entry(page, "Wed 15 Oct 2031", "14:00", "16:00", "Results", kind="Discussion")

    # A clash inside one session is explained, nothing stored.
    page.get_by_role("link", name="Add an entry").first.click()
    page.get_by_label("Day").select_option(label="Tue 14 Oct 2031")
    page.get_by_label("Start").fill("11:00")
    page.get_by_label("End").fill("12:30")
    page.get_by_label("Title").fill("Transfers")
    page.get_by_label("Session").select_option(label="Day 2 — Rucio internals")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_text("It overlaps “Daemons”")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()

    # The coffee break runs 15 minutes late; duplicate it to Tuesday.
    page.get_by_role("link", name="Move Coffee").click()
    page.get_by_label("Move it").select_option(label="15 min later")
    page.get_by_role("button", name="Move").click()
    page.get_by_role("link", name="Duplicate Coffee").click()
    page.get_by_label("Day").select_option(label="Tue 14 Oct 2031")
    page.get_by_label("Start").fill("15:00")
    page.get_by_role("button", name="Make the copy").click()
    page.get_by_role("link", name="Agenda", exact=True).click()
    expect(page.locator(".agenda-day")).to_have_count(3)
    assert Entry.objects.filter(event=camp).count() == 5

    page.get_by_role("link", name="See it on the event page").click()
    expect(page.locator("h3.agenda-day")).to_have_text(
        [
            "Monday 13 October 2031",
            "Tuesday 14 October 2031",
            "Wednesday 15 October 2031",
        ]
    )
    assert page.get_by_role("heading", name="Day 2 — Rucio internals").is_visible()
    expect(page.get_by_text("conveners: Martin (CERN)")).to_be_visible()
    coffee = page.locator(".agenda-entry", has_text="Coffee").first
    expect(coffee).to_contain_text("10:45–11:15")
    expect(coffee).to_contain_text("Your time:")  # the visitor is in New York; the script adds it
    page.get_by_role("link", name="Tue 14 Oct").click()
    assert page.url.endswith("#day-2031-10-14")


def test_on_a_phone_the_timetable_fits_the_screen(browser, live_server, camp):
    from escape_events.timetable import services

    services.add_entry(
        event=camp,
        values={
            "start": datetime(2031, 10, 13, 9, tzinfo=ZURICH),
            "end": datetime(2031, 10, 13, 10, tzinfo=ZURICH),
            "title": "A rather long title for a talk about Rucio daemons and transfers",
        },
        speakers=[services.Person("Somebody With A Long Name", "An Institute Far Away")],
    )
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    page = phone.new_page()
    page.goto(f"/events/{camp.slug}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    expect(page.get_by_text("A rather long title")).to_be_visible()
    phone.close()
