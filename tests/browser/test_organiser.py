"""An organiser in real Chromium: creates an event, exports participants, checks someone in."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from escape_events.events.models import Event
from escape_events.organisers.models import ExportLog
from escape_events.registrations.models import Registration, RegistrationSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.fixture
def organiser(django_user_model):
    person = django_user_model.objects.create_user(
        username="olga", email="olga@example.org", first_name="Olga", last_name="Organiser"
    )
    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="events", codename="add_event")
    )
    return person


@pytest.fixture
def running_event(make_event, organiser, django_user_model):
    now = timezone.now()
    event = make_event(title="SWAN hands-on", slug="swan-hands-on", start=now + timedelta(hours=1))
    event.organisers.add(organiser)
    RegistrationSettings.objects.create(event=event, opens_at=now - timedelta(days=3))
    for number, (first, last) in enumerate([("Grace", "Hopper"), ("=1+2", "Evil"), ("Zoë", "Ö")]):
        person = django_user_model.objects.create_user(
            username=f"p{number}", email=f"p{number}@example.org", first_name=first, last_name=last
        )
        Registration.objects.create(
            event=event, user=person, mode="onsite", status="confirmed", created_at=now
        )
    return event


def test_organiser_creates_an_event_from_the_dashboard(page, live_server, organiser, make_event):
    make_event(title="Rucio coding camp").organisers.add(organiser)
    sign_in(page, live_server, organiser)
    page.goto("/")
    page.get_by_role("link", name="Organise").click()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title").fill("SWAN users' workshop 2031")
    page.get_by_label("Kind").select_option("workshop")
    page.get_by_label("Time zone").select_option("Europe/Zurich")
    page.get_by_label("Start", exact=True).fill("2031-10-10T09:00")
    page.get_by_label("End", exact=True).fill("2031-10-10T17:30")
    page.get_by_label("…or a new venue").fill("CERN")
    page.get_by_label("Remote participation link").fill("https://meet.example.org/swan")
    page.get_by_label("Held alongside").select_option(label="Rucio coding camp")
    page.get_by_label("Take registrations").check()
    page.get_by_label("Registration opens").fill("2031-09-01T09:00")
    page.get_by_label("On-site seats").fill("40")
    page.get_by_role("button", name="Create event").click()

    assert page.get_by_role("heading", level=1).inner_text() == "SWAN users' workshop 2031"
    assert page.get_by_text("is created").is_visible()
    assert "40 places left" in page.locator(".stat-grid").inner_text()
    event = Event.objects.get(title="SWAN users' workshop 2031")
    assert event.local_start.hour == 9 and event.venue.name == "CERN"
    assert [other.title for other in event.colocated_with.all()] == ["Rucio coding camp"]


def test_organiser_exports_the_participant_list(page, live_server, organiser, running_event):
    sign_in(page, live_server, organiser)
    page.goto(f"/organise/events/{running_event.slug}/participants/")
    page.get_by_text("Export these 3").click()
    page.get_by_label("Check-in time").check()
    page.get_by_label("Excel (.xlsx)").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        workbook = openpyxl.load_workbook(io.BytesIO(handle.read()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == (
        "First name", "Family name", "E-mail", "Affiliation", "Mode", "Status",
        "Checked in at (Europe/Zurich)",
    )  # fmt: skip
    assert {f"{row[0]} {row[1]}" for row in rows[1:]} == {"Grace Hopper", "'=1+2 Evil", "Zoë Ö"}

    page.get_by_label("CSV (Excel, UTF-8)").check()  # the export panel is still open
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as handle:
        assert next(csv.reader(io.StringIO(handle.read())))[:2] == ["First name", "Family name"]
    assert ExportLog.objects.filter(event=running_event, user=organiser).count() == 2


def test_organiser_checks_someone_in_on_a_phone(browser, live_server, organiser, running_event):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, organiser)
    page.goto(f"/organise/events/{running_event.slug}/check-in/")
    page.get_by_label("Find by name or e-mail").fill("hopper")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Check in Grace Hopper").click()
    assert page.get_by_text("Grace Hopper is checked in").is_visible()
    assert "1 of 3 on-site people present" in page.locator(".present-count").inner_text()

    grace = Registration.objects.get(user__first_name="Grace")
    page.get_by_label("Scan or type the ticket code").fill(grace.check_in_code)
    page.get_by_label("Scan or type the ticket code").press("Enter")
    assert page.get_by_text("already checked in").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing sticks out sideways on a phone
    context.close()


def test_a_scanned_ticket_with_a_long_name_fits_a_phone(
    browser, live_server, organiser, running_event, django_user_model
):
    person = django_user_model.objects.create_user(
        username="long", email="long@example.org", first_name="Maximiliane-Josephine",
        last_name="von Wolkenstein-Trostburg",
    )  # fmt: skip
    ticket = Registration.objects.create(
        event=running_event, user=person, mode="onsite", status="confirmed"
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, live_server, organiser)
    page.goto(f"/organise/scan/{ticket.check_in_code}/")
    button = page.get_by_role("button", name="Check in Maximiliane-Josephine")
    overflow = button.evaluate("button => button.scrollWidth - button.clientWidth")
    assert overflow <= 0  # the whole name shows, wrapped inside the button
    button.click()
    assert page.get_by_text("is checked in (On-site)").is_visible()
    context.close()
