"""Public reads: events, one event with its availability per mode, series and their meetings."""

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

from django.conf import settings as site_settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from escape_events.accounts.services import privacy_notice_in_force
from escape_events.events.models import Event, Series
from escape_events.events.selectors import listed_events, occurrences_between, search_events
from escape_events.registrations.availability import options_free
from escape_events.registrations.readers import reader_for
from escape_events.registrations.selectors import registration_panel, with_registration_settings
from escape_events.timetable.selectors import agenda_for

from .. import output
from ..auth import OPTIONAL_AUTH
from ..pagination import PageQuery, page_of
from ..problems import Problem
from ..schemas import (
    AgendaOut,
    EventDetail,
    EventPage,
    KindName,
    OccurrenceList,
    SeriesOut,
    SeriesPage,
    Slug,
    Text,
)

router = Router(tags=["public"])

YEARS = range(1900, 2201)
MAX_OCCURRENCE_SPAN = timedelta(days=731)
DEFAULT_OCCURRENCE_SPAN = timedelta(days=92)


def _iso_text(value):
    """Only ISO 8601 text: pydantic would also read a bare number as a Unix time."""
    if not isinstance(value, datetime) and not re.match(r"^\d{4}-\d\d-\d\d", str(value)):
        raise ValueError(gettext("Give a time in ISO 8601, e.g. 2019-10-14T09:00:00+02:00."))
    return value


def _bounded(moment: datetime) -> datetime:
    """Times without a zone are UTC; years far outside any calendar are a typo or a probe."""
    if moment.year not in YEARS:
        raise ValueError(
            gettext("Give a year between %(first)s and %(last)s.")
            % {"first": YEARS.start, "last": YEARS.stop - 1}
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# The schema says what _bounded checks, so a client (and schemathesis) knows a year out of range.
YEAR_PATTERN = r"^(19\d\d|2[01]\d\d|2200)-\d\d-\d\d"
Moment = Annotated[
    datetime,
    BeforeValidator(_iso_text),
    AfterValidator(_bounded),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": YEAR_PATTERN}),
]


class EventFilter(PageQuery):
    kind: KindName | None = None
    after: Moment | None = Field(None, description="Events that end after this time.")
    before: Moment | None = Field(None, description="Events that start before this time.")
    series: Slug | None = Field(None, description="Meetings of this series.")
    q: Text = Field("", max_length=100, description="Words in the title or summary.")


class Range(Schema):
    after: Moment | None = Field(None, description="Default: now.")
    before: Moment | None = Field(None, description="Default: three months after `after`.")


@router.get("/events", response=EventPage, summary="Listed events, filtered")
def events(request, filters: Query[EventFilter]):
    rows = search_events(listed_events(), kind=filters.kind or "", text=filters.q.strip())
    if filters.after:
        rows = rows.filter(end__gt=filters.after)
    if filters.before:
        rows = rows.filter(start__lt=filters.before)
    if filters.series:
        rows = rows.filter(series__slug=filters.series)
    rows = rows.select_related("series").order_by("start", "title", "pk")
    return page_of(request, rows, filters, output.event)


@router.get(
    "/events/{slug}",
    response={200: EventDetail, 404: Problem},
    summary="One event, with its registration availability per mode",
)
def event(request, slug: Slug):
    events = with_registration_settings(Event.objects.select_related("venue", "series"))
    events = events.prefetch_related("colocated_with", "translations", "series__translations")
    found = get_object_or_404(events, slug=slug)
    return {
        **output.event(found),
        "description": found.description,
        "translations": output.translations(found),
        "remote_note": found.remote_note,
        "audience_note": found.audience_note,
        "contact_name": found.contact_name,
        "contact_email": found.contact_email,
        "colocated_with": [partner.slug for partner in found.colocated_with.all()],
        "registration": _registration(found),
    }


def _registration(event: Event) -> dict | None:
    """What the event page's registration box shows a visitor who is not signed in."""
    panel = registration_panel(event, AnonymousUser())
    settings = panel.settings
    if settings is None or not settings.registration_required:
        return None
    refusal = panel.refusal
    is_open = refusal is None or refusal.code == "login"
    notice = privacy_notice_in_force()
    questions = list(event.questions.all())
    free = options_free(questions)
    return {
        "opens_at": settings.opens_at,
        "closes_at": settings.closes_at or event.start,
        "is_open": is_open,
        "refusal": None if is_open else refusal.message,
        "needs_approval": settings.needs_approval,
        "cancellation_deadline": settings.cancellation_deadline or event.start,
        "restricted_to_groups": [group.name for group in settings.restricted_to_groups.all()],
        "modes": [
            {
                "mode": offer.mode,
                "label": offer.label,
                "capacity": offer.capacity,
                "free": offer.free,
                "waiting": offer.waiting,
                "is_full": offer.is_full,
            }
            for offer in panel.offers
        ],
        "questions": [output.question(item, free) for item in questions],
        "privacy_notice_version": notice.version,
        "privacy_notice_url": site_settings.SITE_URL + notice.get_absolute_url(),
    }


@router.get(
    "/events/{slug}/agenda",
    response={200: AgendaOut, 404: Problem},
    summary="The event's agenda: entries with sessions, speakers and materials",
    description=(
        "Empty `items` when the event has no agenda (yet). Materials are those the caller may "
        "open now: anonymous callers get the public ones; with an API token or a session, also "
        "those for signed-in people, registrants, speakers or organisers of the event."
    ),
    auth=OPTIONAL_AUTH,
    # Credentials are optional: an empty requirement beside the two says so (OpenAPI 3.1).
    openapi_extra={"security": [{}]},
)
def agenda(request, slug: Slug):
    found = get_object_or_404(Event, slug=slug)
    reader = reader_for(request.auth, found)
    listed = agenda_for(found, reader=reader, now=timezone.now())
    return {
        "event": found.slug,
        "time_zone": found.time_zone,
        "materials": output.materials(listed.shelf),
        "items": [output.agenda_entry(entry) for entry in listed.entries],
    }


@router.get("/series", response=SeriesPage, summary="Listed meeting series")
def series_list(request, page: Query[PageQuery]):
    rows = Series.objects.filter(is_listed=True).select_related("venue").order_by("title", "pk")
    return page_of(request, rows, page, output.series)


def _series(slug: Slug) -> Series:
    return get_object_or_404(Series.objects.select_related("venue"), slug=slug)


@router.get("/series/{slug}", response={200: SeriesOut, 404: Problem}, summary="One series")
def series(request, slug: Slug):
    return output.series(_series(slug))


@router.get(
    "/series/{slug}/occurrences",
    response={200: OccurrenceList, 400: Problem, 404: Problem},
    summary="The meetings of a series in a time range, moved and cancelled ones marked",
)
def occurrences(request, slug: Slug, wanted: Query[Range]):
    found = _series(slug)
    after = wanted.after or timezone.now()
    before = wanted.before or after + DEFAULT_OCCURRENCE_SPAN
    if before <= after:
        raise HttpError(400, gettext("`before` must be later than `after`."))
    if before - after > MAX_OCCURRENCE_SPAN:
        raise HttpError(400, gettext("Ask for at most two years of meetings at once."))
    return {
        "items": [output.occurrence(item) for item in occurrences_between(after, before, [found])]
    }
