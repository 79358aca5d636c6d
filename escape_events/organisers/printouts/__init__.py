"""Printouts of an event as PDF: a sign-in sheet for the door, the list of everyone taking part,
name badges, certificates.

HTML templates (templates/organisers/printouts/) turned into PDF by WeasyPrint, a maintained
HTML/CSS-to-PDF engine: page size, margins and breaks are plain CSS (@page), so the layouts
are easy to adjust, and text stays text (searchable, copyable, readable back in tests).
WeasyPrint needs Pango from the system (Debian: libpango-1.0-0 libpangoft2-1.0-0
libharfbuzz-subset0) and fonts for every script of people's names (fonts-dejavu-core,
fonts-noto-cjk); it is imported on first use so the rest of the site runs without it.

Badges and certificates are in each attendee's language (`User.preferred_language`); the lists
are in the language of the organiser who prints them. They follow the event's `PrintDesign`;
every element sits in a fixed box (`layouts`) and its text is sized to fit that box (`fit`).
Long lists are made in the background (`jobs`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from escape_events.events.models import Event
from escape_events.events.when import describe_span

from ..selectors import printout_people
from . import certificates
from .badges import badge_html, badge_pages, design_for
from .pdf import PrintingUnavailable, data_uri, html_to_pdf

__all__ = ["PRINTOUTS", "PrintingUnavailable", "Printout", "people_for", "render_printout"]

# Lines left empty at the end of the sign-in sheet, for people who come without registering.
BLANK_SIGN_IN_ROWS = 6
# The printouts that are one list of people, and their templates.
LIST_TEMPLATES = {
    "sign-in-sheet": "organisers/printouts/sign_in_sheet.html",
    "participant-list": "organisers/printouts/participant_list.html",
}


@dataclass(frozen=True)
class Printout:
    slug: str
    title: str
    who: str  # whom it lists, for the organiser's page


PRINTOUTS = {
    item.slug: item
    for item in (
        Printout(
            "sign-in-sheet",
            _("Sign-in sheet"),
            _("confirmed on-site participants, by family name, with space to sign"),
        ),
        Printout(
            "participant-list",
            _("Participant list"),
            _(
                "every confirmed participant, on-site and remote, by family name, with mode and "
                "space to sign"
            ),
        ),
        Printout(
            "badges",
            _("Badges"),
            _("one per confirmed on-site participant, in the size and design chosen below"),
        ),
        Printout(
            "certificates",
            _("Certificates of attendance"),
            _(
                "one page per person present (checked in, or marked present remotely), "
                "once the event has ended"
            ),
        ),
    )
}


def people_for(printout: Printout, event: Event) -> list:
    if printout.slug == "certificates":
        return certificates.attendees(event)
    return printout_people(event, printout.slug)


def logo_uri(design) -> str:
    """The design's logo inlined (a data: URI), so WeasyPrint reads no file or address."""
    if not design.logo:
        return ""
    try:
        with design.logo.open("rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        return ""
    kind = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
    return data_uri(content, kind)


def render_printout(
    printout: Printout,
    event: Event,
    *,
    people: list | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """The PDF and how many people it holds; `progress(n)` as people are laid out.

    Certificates before the event's end raise `certificates.NotYet`."""
    if printout.slug == "certificates" and (why := certificates.refusal(event)):
        raise certificates.NotYet(why)
    people = people_for(printout, event) if people is None else people
    design = design_for(event)
    if printout.slug == "badges":
        pages = badge_pages(event, design, people)
        chunks = badge_html(event, design, pages, logo_uri(design))
        per_chunk = len(people) / len(chunks)
        return html_to_pdf(
            chunks,
            laid_out=progress and (lambda n: progress(min(len(people), round(n * per_chunk)))),
        ), len(people)
    if printout.slug == "certificates":
        # Each certificate in its holder's language: chunks of people sharing one.
        counted = certificates.certificate_html(event, design, people, logo_uri(design))
        made = [sum(count for count, _html in counted[:n]) for n in range(1, len(counted) + 1)]
        return html_to_pdf(
            [html for _count, html in counted],
            laid_out=progress and (lambda n: progress(made[n - 1])),
        ), len(people)
    html = render_to_string(
        LIST_TEMPLATES[printout.slug],
        {
            "event": event,
            "printout": printout,
            "people": people,
            "when": describe_span(event),
            "printed_at": timezone.localtime(timezone.now(), event.zone),
            "site_url": settings.SITE_URL,
            "blank_rows": range(BLANK_SIGN_IN_ROWS),
        },
    )
    return html_to_pdf([html], laid_out=progress and (lambda n: progress(len(people)))), len(people)
