"""Check-in at the door: once, only confirmed people, only this event's codes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from escape_events.registrations.checkin import (
    check_in,
    code_from_scan,
    ticket_qr_png,
    ticket_qr_svg,
    ticket_url,
)
from escape_events.registrations.models import Registration

Status = Registration.Status


@pytest.fixture
def door(make_event, django_user_model):
    start = timezone.now() + timedelta(hours=1)
    event = make_event(title="SWAN hands-on", start=start, end=start + timedelta(hours=3))
    staff = django_user_model.objects.create_user(username="door", email="door@example.org")
    counter = iter(range(1000))

    def registration(status=Status.CONFIRMED, at=event):
        number = next(counter)
        person = django_user_model.objects.create_user(
            username=f"p{number}", email=f"p{number}@example.org", first_name=f"Person {number}"
        )
        return Registration.objects.create(
            event=at,
            user=person,
            mode=Registration.Mode.ONSITE,
            status=status,
            waiting_since=timezone.now() if status == Status.WAITING else None,
        )

    return event, staff, registration


def test_confirmed_code_is_checked_in_once_and_second_scan_warns(door):
    event, staff, registration = door
    ticket = registration()
    first = check_in(code_or_registration=ticket.check_in_code, event=event, by=staff)
    assert first.checked_in and "is checked in" in first.message
    ticket.refresh_from_db()
    at = ticket.checked_in_at
    assert at is not None

    second = check_in(code_or_registration=ticket.check_in_code, event=event, by=staff)
    assert not second.checked_in and "already checked in" in second.message
    ticket.refresh_from_db()
    assert ticket.checked_in_at == at


@pytest.mark.parametrize(
    "status", [Status.WAITING, Status.PENDING, Status.CANCELLED, Status.REJECTED]
)
def test_people_without_a_confirmed_place_are_not_checked_in(door, status):
    event, staff, registration = door
    ticket = registration(status)
    result = check_in(code_or_registration=ticket, event=event, by=staff)
    assert not result.checked_in and "not confirmed" in result.message
    ticket.refresh_from_db()
    assert ticket.checked_in_at is None


def test_a_code_of_another_event_is_refused_and_names_that_event(door, make_event):
    event, staff, registration = door
    coding_camp = make_event(title="Rucio coding camp")
    ticket = registration(at=coding_camp)
    result = check_in(code_or_registration=ticket.check_in_code, event=event, by=staff)
    assert not result.checked_in and result.registration is None
    assert "another event (Rucio coding camp)" in result.message
    ticket.refresh_from_db()
    assert ticket.checked_in_at is None


@pytest.mark.parametrize("code", ["", "   ", "nope", "x" * 500, "'; DROP TABLE--"])
def test_unknown_codes_are_reported(door, code):
    event, staff, _ = door
    result = check_in(code_or_registration=code, event=event, by=staff)
    assert not result.checked_in and "Unknown code" in result.message


def test_a_scanned_address_works_like_the_bare_code(door):
    event, staff, registration = door
    ticket = registration()
    scanned = f"https://events.example.org/organise/scan/{ticket.check_in_code}/"
    assert code_from_scan(scanned) == ticket.check_in_code
    assert check_in(code_or_registration=scanned, event=event, by=staff).checked_in


def test_ticket_qr_code_is_made_from_the_scan_address(door, settings):
    _event, _staff, registration = door
    ticket = registration()
    settings.SITE_URL = "https://events.example.org"
    svg = ticket_qr_svg(ticket)
    assert svg.startswith("<svg") and "Check-in code" in svg
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg  # else <img> shows nothing
    assert ticket_url(ticket) == f"https://events.example.org/organise/scan/{ticket.check_in_code}/"
    assert ticket_qr_png(ticket).startswith(b"\x89PNG")
