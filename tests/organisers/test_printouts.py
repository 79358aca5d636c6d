"""PDF printouts read back with pypdf: who is on them, in which order, on how many pages."""

import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from escape_events.events.models import Event
from escape_events.registrations.models import AttendanceDay, Registration


def pdf_of(client, event, kind):
    response = client.get(reverse("organisers:printout", args=[event.slug, kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    return reader, pages


@pytest.fixture
def attendees(hands_on, register, make_person):
    """Three on-site people (one checked in), one remote, one waiting, one cancelled."""
    names = [("Zoë", "Ångström", "Uppsala"), ("Ada", "Lovelace", "CERN"), ("Bob", "bell", "")]
    onsite = [
        register(hands_on, person=make_person(first_name=first, last_name=last, affiliation=aff))
        for first, last, aff in names
    ]
    Registration.objects.filter(pk=onsite[1].pk).update(checked_in_at=timezone.now())
    register(hands_on, mode="remote", person=make_person(first_name="Remo", last_name="Te"))
    register(hands_on, status="waiting", person=make_person(first_name="Wai", last_name="Ting"))
    register(hands_on, status="cancelled", person=make_person(first_name="Can", last_name="Cel"))
    return onsite


def test_sign_in_sheet_lists_confirmed_on_site_people_by_family_name(
    client, organiser, hands_on, attendees
):
    client.force_login(organiser)
    reader, pages = pdf_of(client, hands_on, "sign-in-sheet")
    assert len(reader.pages) == 1
    text = pages[0]
    assert "SWAN hands-on" in text and "Signature" in text
    order = [text.index(name) for name in ("Zoë Ångström", "Bob bell", "Ada Lovelace")]
    assert order == sorted(order)  # by family name, case and accents aside
    for absent in ("Remo", "Wai Ting", "Can Cel", "@example.org"):
        assert absent not in text
    assert "Page 1 of 1" in text


def test_a_long_sign_in_sheet_runs_over_pages_with_the_header_repeated(
    client, organiser, hands_on, register, make_person
):
    for number in range(40):
        register(hands_on, person=make_person(last_name=f"Person{number:02d}"))
    client.force_login(organiser)
    reader, pages = pdf_of(client, hands_on, "sign-in-sheet")
    assert len(reader.pages) == 3
    assert all("Signature" in page for page in pages)
    assert "Page 3 of 3" in pages[-1]


def test_badges_eight_to_a_page_with_name_affiliation_event_and_qr_code(
    client, organiser, hands_on, register, make_person, attendees
):
    for number in range(6):  # 3 + 6 = 9 on-site people: two pages
        register(hands_on, person=make_person(first_name="Extra", last_name=f"N{number}"))
    client.force_login(organiser)
    reader, pages = pdf_of(client, hands_on, "badges")
    assert len(reader.pages) == 2
    assert pages[0].count("SWAN hands-on") == 8 and pages[1].count("SWAN hands-on") == 1
    assert "Ada Lovelace" in pages[0] and "CERN" in pages[0]
    assert "Remo" not in " ".join(pages)
    # A QR code per badge: nine different images (WeasyPrint shares one resource dictionary).
    assert len({image.data for page in reader.pages for image in page.images}) == 9


def test_the_participant_list_has_everyone_confirmed_with_mode_and_a_signature_column(
    client, organiser, hands_on, attendees
):
    client.force_login(organiser)
    reader, pages = pdf_of(client, hands_on, "participant-list")
    assert len(reader.pages) == 1
    text = pages[0]
    assert "Participant list · 4 confirmed participants" in text
    for heading in ("Name", "Affiliation", "Mode", "Signature"):
        assert heading in text
    order = [text.index(name) for name in ("Zoë Ångström", "Bob bell", "Ada Lovelace", "Remo Te")]
    assert order == sorted(order)  # by family name, both modes in one list
    assert "Remo Te Remote" in text and "Ada Lovelace CERN On-site" in text
    for absent in ("Wai Ting", "Can Cel", "@example.org"):
        assert absent not in text


def held_yesterday(event):
    """Move the event to yesterday (same hours) and count today's check-ins for its day."""
    shift = timedelta(days=(event.local_start.date() - timezone.localdate()).days + 1)
    Event.objects.filter(pk=event.pk).update(start=event.start - shift, end=event.end - shift)
    event.refresh_from_db()
    for registration in Registration.objects.filter(event=event, checked_in_at__isnull=False):
        AttendanceDay.objects.update_or_create(
            registration=registration,
            defaults={"day": event.local_start.date(), "source": "check_in"},
        )
    return event


def test_certificates_one_page_per_person_present_once_the_event_is_over(
    client, organiser, hands_on, attendees
):
    held_yesterday(hands_on)
    client.force_login(organiser)
    reader, pages = pdf_of(client, hands_on, "certificates")
    assert len(reader.pages) == 1
    text = pages[0]
    assert "Certificate of attendance" in text
    assert "Ada Lovelace" in text and "CERN" in text and "SWAN hands-on" in text
    assert re.search(r"\(3 hours\)", text)
    assert "Olga Organiser" in text  # signed for the organisers
    assert "/certificates/" in text  # the address that confirms it


def test_certificates_before_the_event_ends_are_refused_with_the_reason(
    client, organiser, hands_on, attendees
):
    client.force_login(organiser)
    response = client.get(reverse("organisers:printout", args=[hands_on.slug, "certificates"]))
    assert response.status_code == 409
    assert "once the event has ended" in response.content.decode()


@pytest.mark.parametrize("kind", ["sign-in-sheet", "participant-list", "badges", "certificates"])
def test_an_event_without_people_prints_a_page_that_says_so(client, organiser, hands_on, kind):
    held_yesterday(hands_on)
    client.force_login(organiser)
    reader, pages = pdf_of(client, hands_on, kind)
    assert len(reader.pages) == 1
    assert "SWAN hands-on" in pages[0]


def test_printouts_page_counts_and_an_unknown_printout_is_404(
    client, organiser, hands_on, attendees
):
    client.force_login(organiser)
    page = client.get(reverse("organisers:printouts", args=[hands_on.slug])).content.decode()
    assert "Sign-in sheet" in page and "Badges" in page and "Certificates of attendance" in page
    assert "<strong>3</strong> people" in page
    url = reverse("organisers:printout", args=[hands_on.slug, "passports"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("start_hour", "length", "says"),
    [(22, timedelta(hours=3), "(3 hours)"), (9, timedelta(hours=1.5), "(1.5 hours)")],
)
def test_a_certificate_gives_the_length_of_an_evening_event_that_runs_past_midnight(
    client, organiser, hands_on, attendees, start_hour, length, says
):
    day = (timezone.now() - timedelta(days=3)).astimezone(hands_on.zone).date()
    start = datetime.combine(day, time(start_hour), tzinfo=hands_on.zone)
    Event.objects.filter(pk=hands_on.pk).update(start=start, end=start + length)
    AttendanceDay.objects.create(registration=attendees[1], day=day, source="check_in")
    client.force_login(organiser)
    _reader, pages = pdf_of(client, hands_on, "certificates")
    assert says in pages[0]


def test_badges_show_the_chosen_answers_and_a_band_naming_each_role(
    client, organiser, hands_on, register, make_person
):
    from escape_events.organisers.models import PrintDesign
    from escape_events.timetable import services as agenda_services

    design = PrintDesign.objects.create(event=hands_on, layout=PrintDesign.Layout.CARD)
    design.questions.set([hands_on.questions.first()])
    register(hands_on, person=organiser)
    speaker = make_person(first_name="Simone", last_name="Speaker")
    register(hands_on, person=speaker, answer="CMS")
    register(hands_on, person=make_person(first_name="Olivia", last_name="Onsite"), answer="ATLAS")
    entry = agenda_services.add_entry(
        event=hands_on,
        values={"start": hands_on.start, "end": hands_on.end, "title": "Notebooks"},
        speakers=[agenda_services.Person("Simone Speaker", "CERN")],
    )
    entry.speakers.update(user=speaker)
    client.force_login(organiser)
    reader, pages = pdf_of(client, hands_on, "badges")
    assert len(reader.pages) == 3  # ID-1 cards: one a page
    by_name = {next(n for n in ("Olga", "Simone", "Olivia") if n in page): page for page in pages}
    assert "ORGANISER" in by_name["Olga"]
    assert "SPEAKER" in by_name["Simone"] and "Experiment: CMS" in by_name["Simone"]
    assert "ON-SITE" in by_name["Olivia"] and "Experiment: ATLAS" in by_name["Olivia"]
