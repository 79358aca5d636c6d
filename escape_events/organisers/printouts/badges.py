"""Badges as the event's print design says: size, colour band by role, logo, fields, back side."""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext

from escape_events.events.models import Event
from escape_events.events.when import describe_span
from escape_events.registrations.checkin import ticket_qr_png
from escape_events.registrations.models import Answer, Registration
from escape_events.timetable.models import Speaker

from ..models import PrintDesign
from .fit import PT_PER_MM, Fitted, fit
from .layouts import SHEETS, Box, Sheet, back_boxes, badge_boxes
from .pdf import data_uri

Mode = Registration.Mode
# Badges laid out per WeasyPrint document: the unit of progress of a PDF made in the background.
CHUNK = 96


@dataclass(frozen=True)
class Placed:
    """A text in its box, at the size that fits."""

    box: Box
    text: Fitted

    @property
    def style(self) -> str:
        return f"{self.box.style};font-size:{self.text.size:g}pt"


@dataclass
class Badge:
    origin: Box  # where the badge sits on its page
    colour: str
    role: Placed | None = None
    title: Placed | None = None
    when: Placed | None = None
    name: Placed | None = None
    affiliation: Placed | None = None
    answers: Placed | None = None
    back_text: Placed | None = None
    qr: str = ""
    boxes: dict = field(default_factory=dict)


@dataclass
class Page:
    badges: list[Badge]
    back: bool = False


def design_for(event: Event) -> PrintDesign:
    """The event's design, or the default one (not stored until the organiser changes it)."""
    return PrintDesign.objects.filter(event=event).first() or PrintDesign(event=event)


def roles(event: Event) -> tuple[set[int], set[int]]:
    """Users who organise the event, and those who speak on its agenda."""
    organisers = set(event.organisers.values_list("pk", flat=True))
    speakers = set(
        Speaker.objects.filter(entry__event=event, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    return organisers, speakers


def _role(registration, organisers, speakers, design) -> tuple[str, str]:
    """The role printed in the badge's colour band (in the active language) and its colour."""
    if registration.user_id in organisers:
        return pgettext("badge role", "Organiser"), design.colour_organiser
    if registration.user_id in speakers:
        return pgettext("badge role", "Speaker"), design.colour_speaker
    if registration.mode == Mode.REMOTE:
        return pgettext("badge role", "Remote"), design.colour_remote
    return pgettext("badge role", "On-site"), design.colour_onsite


def _scale(sheet: Sheet) -> float:
    return min(sheet.height / 62, sheet.width / 93)


# Nothing on a badge is printed smaller: below it, text is cut short instead.
SMALLEST_PT = 4.5


def _steps(largest: float, smallest: float, scale: float) -> tuple[float, ...]:
    """Font sizes from the largest down, about 12 % apart, never below the smallest."""
    floor = max(smallest * scale, SMALLEST_PT)
    sizes, size = [], max(largest * scale, floor)
    while size > floor:
        sizes.append(round(size, 1))
        size *= 0.88
    return (*sizes, round(floor, 1))


def _place(text, box: Box, largest, smallest, scale, bold=False) -> Placed | None:
    if not text or box is None:
        return None
    sizes = _steps(largest, smallest, scale)
    return Placed(box, fit(text, width_mm=box.width, height_mm=box.height, sizes=sizes, bold=bold))


def answers_by_registration(design: PrintDesign, people) -> dict[int, list[str]]:
    """The answers the design shows, per registration, in the questions' order (one query)."""
    if design.pk is None:
        return {}
    rows = Answer.objects.filter(
        registration__in=[person.pk for person in people], question__in=design.questions.all()
    ).order_by("question__position", "question__pk")
    answers: dict[int, list[str]] = {}
    for row in rows.select_related("question"):
        if row.value.strip():
            answers.setdefault(row.registration_id, []).append(f"{row.question.label}: {row.value}")
    return answers


def badge_pages(event: Event, design: PrintDesign, people: list[Registration]) -> list[Page]:
    """Every page of the badges (a back page after each front one when the design asks); each
    badge in its wearer's language (role, dates), whatever language the organiser reads."""
    sheet = SHEETS[design.layout]
    scale = _scale(sheet)
    organisers, speakers = roles(event)
    answers = answers_by_registration(design, people)
    logo = bool(design.logo)
    title = event.title
    spans: dict[str, str] = {}  # the event's dates, once per language
    back = design.back_side and sheet.two_sided
    pages = []
    for start in range(0, len(people), sheet.per_page):
        front, behind = [], []
        for index, registration in enumerate(people[start : start + sheet.per_page]):
            language = registration.user.preferred_language
            with translation.override(language):
                role, colour = _role(registration, organisers, speakers, design)
                if language not in spans:
                    spans[language] = describe_span(event)
            when = spans[language]
            shown = answers.get(registration.pk, [])
            boxes = badge_boxes(
                sheet,
                logo=logo,
                qr=design.show_qr,
                affiliation=design.show_affiliation and bool(registration.user.affiliation),
                answers=len(shown),
            )
            x, y = sheet.origin(index)
            band = boxes["band"]
            front.append(
                Badge(
                    origin=Box(x, y, sheet.width, sheet.height),
                    colour=colour,
                    role=Placed(band, Fitted(role, band.height * PT_PER_MM * 0.55, 1)),
                    title=_place(title, boxes["title"], 10, 5, scale, bold=True),
                    when=_place(when, boxes["when"], 7.5, 4.5, scale),
                    name=_place(registration.user.display_name, boxes["name"], 22, 7, scale, True),
                    affiliation=_place(
                        registration.user.affiliation, boxes.get("affiliation"), 11, 6, scale
                    ),
                    answers=_place(" · ".join(shown), boxes.get("answers"), 8, 5, scale),
                    qr=data_uri(ticket_qr_png(registration)) if design.show_qr else "",
                    boxes=boxes,
                )
            )
            if back:
                inside = back_boxes(sheet)
                bx, by = sheet.back_origin(index)
                behind.append(
                    Badge(
                        origin=Box(bx, by, sheet.width, sheet.height),
                        colour=colour,
                        title=_place(title, inside["title"], 12, 6, scale, bold=True),
                        back_text=_place(
                            " · ".join(filter(None, [when, design.back_text])),
                            inside["back_text"],
                            9,
                            5,
                            scale,
                        ),
                        boxes=inside,
                    )
                )
        pages.append(Page(front))
        if back:
            pages.append(Page(behind, back=True))
    return pages


def badge_html(event, design, pages: list[Page], logo_uri: str) -> list[str]:
    """The HTML chunks of the badges' pages."""
    sheet = SHEETS[design.layout]
    per_chunk = max(1, CHUNK // sheet.per_page)
    chunks = [pages[at : at + per_chunk] for at in range(0, len(pages), per_chunk)] or [[]]
    return [
        render_to_string(
            "organisers/printouts/badges.html",
            {"event": event, "sheet": sheet, "pages": chunk, "logo": logo_uri},
        )
        for chunk in chunks
    ]
