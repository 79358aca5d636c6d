"""Printouts of an event as PDF: a sign-in sheet for the door, the list of everyone taking part,
name badges, certificates.

HTML templates (templates/organisers/printouts/) turned into PDF by WeasyPrint, a maintained
HTML/CSS-to-PDF engine: page size, margins and breaks are plain CSS (@page), so the layouts
are easy to adjust, and text stays text (searchable, copyable, readable back in tests).
WeasyPrint needs Pango from the system (Debian: libpango-1.0-0 libpangoft2-1.0-0
libharfbuzz-subset0); it is imported on first use so the rest of the site runs without it.
"""

import base64
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from escape_events.events.models import Event
from escape_events.events.when import describe_span
from escape_events.registrations.checkin import ticket_qr_png
from escape_events.registrations.models import Registration

from .selectors import printout_people

# Lines left empty at the end of the sign-in sheet, for people who come without registering.
BLANK_SIGN_IN_ROWS = 6
BADGES_PER_SHEET = 8


@dataclass(frozen=True)
class Printout:
    slug: str
    title: str
    template: str
    who: str  # whom it lists, for the organiser's page


PRINTOUTS = {
    item.slug: item
    for item in (
        Printout(
            "sign-in-sheet",
            "Sign-in sheet",
            "organisers/printouts/sign_in_sheet.html",
            "confirmed on-site participants, by family name, with space to sign",
        ),
        Printout(
            "participant-list",
            "Participant list",
            "organisers/printouts/participant_list.html",
            "every confirmed participant, on-site and remote, by family name, with mode and "
            "space to sign",
        ),
        Printout(
            "badges",
            "Badges",
            "organisers/printouts/badges.html",
            "one per confirmed on-site participant: name, affiliation, event, check-in QR code",
        ),
        Printout(
            "certificates",
            "Certificates of attendance",
            "organisers/printouts/certificates.html",
            "one page per person checked in",
        ),
    )
}


def _qr_data_uri(registration: Registration) -> str:
    """The ticket's QR code as a PNG (an image in the PDF, scanned like the mailed ticket)."""
    return "data:image/png;base64," + base64.b64encode(ticket_qr_png(registration)).decode()


def render_printout(printout: Printout, event: Event) -> tuple[bytes, int]:
    """The PDF and how many people it holds."""
    people = printout_people(event, printout.slug)
    if printout.slug == "badges":
        for registration in people:
            registration.qr = _qr_data_uri(registration)
    # Badges are laid out a sheet at a time (2 x 4 on A4, 93 x 62 mm, cut along the lines).
    sheets = [people[at : at + BADGES_PER_SHEET] for at in range(0, len(people), BADGES_PER_SHEET)]
    context = {
        "event": event,
        "printout": printout,
        "people": people,
        "sheets": sheets,
        "when": describe_span(event),
        "hours": _hours(event),
        "organisers": [person.display_name for person in event.organisers.all()],
        "printed_at": timezone.localtime(timezone.now(), event.zone),
        "site_url": settings.SITE_URL,
        "blank_rows": range(BLANK_SIGN_IN_ROWS),
    }
    html = render_to_string(printout.template, context)
    try:
        from weasyprint import HTML

        from .pdf_resources import SiteOnlyFetcher
    except OSError as error:  # the Python package is there, Pango is not
        raise PrintingUnavailable(
            "PDF printouts need Pango on the server "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)."
        ) from error
    document = HTML(string=html, base_url=settings.SITE_URL, url_fetcher=SiteOnlyFetcher())
    return document.write_pdf(), len(people)


class PrintingUnavailable(Exception):
    """The PDF engine cannot run on this machine; the message says what to install."""


def _hours(event: Event) -> str:
    """The length of an event shorter than a day ("3.5 hours"), even one that runs past
    midnight; "" for all-day and longer ones, whose dates say how long they were."""
    hours = (event.end - event.start).total_seconds() / 3600
    if event.all_day or hours >= 24:
        return ""
    return f"{hours:g} hour{'s' if hours != 1 else ''}"
