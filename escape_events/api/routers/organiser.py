"""The organiser's side: events they run, participants with answers, actions, export, check-in.

Reach is the organisers app's own rule (`organised_event_or_404`: another organiser's event is
a 404 that reveals nothing), the filter is the participant page's form, the actions are the
registrations services, exports the organisers' export module, check-in `registrations.checkin`.
"""

from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from escape_events.organisers import selectors
from escape_events.organisers.downloads import CONTENT_TYPES, participants_download
from escape_events.organisers.exports import DEFAULT_COLUMNS, columns_for
from escape_events.organisers.forms import ExportForm, ParticipantFilterForm
from escape_events.organisers.forms.participants import SORT_CHOICES
from escape_events.organisers.selectors import ParticipantFilter
from escape_events.organisers.services import BULK_ACTIONS
from escape_events.registrations.availability import options_free
from escape_events.registrations.checkin import check_in
from escape_events.registrations.models import Registration

from .. import output
from ..auth import (
    AUTH,
    ORGANISER_READ,
    ORGANISER_WRITE,
    organised_event,
    require_scope,
    within_token_event,
)
from ..pagination import PageQuery, page_of
from ..problems import Problem
from ..schemas import (
    CheckInIn,
    CheckInOut,
    ExportColumn,
    ExportFormat,
    Id,
    ModeName,
    OrganisedEventDetail,
    OrganisedEventPage,
    OrganiserAction,
    Participant,
    ParticipantPage,
    Slug,
    StatusName,
    Text,
)
from ..writes import note, write

router = Router(tags=["organiser"], auth=AUTH)

SortName = Literal[tuple(value for value, _label in SORT_CHOICES)]


class Filters(Schema):
    """As on the participant page (the same form checks it)."""

    q: Text = Field("", max_length=100, description="Name, e-mail or affiliation contains.")
    mode: ModeName | Literal[""] = Field("", description="Empty: any.")
    status: StatusName | Literal[""] = Field("", description="Empty: any.")
    checked_in: Literal["yes", "no", ""] = Field("", description="Empty: either.")
    question: int | None = Field(None, description="Only people who answered this question…")
    answer: Text = Field("", max_length=100, description="…with an answer containing this.")
    sort: SortName = "registered"


class ParticipantQuery(Filters, PageQuery):
    pass


class ExportQuery(Filters):
    format: ExportFormat = "csv"
    columns: list[ExportColumn] = Field(DEFAULT_COLUMNS, min_length=1)
    include_cancelled: bool = Field(
        False, description="Also list people who cancelled or were declined."
    )


def _filter(event, wanted: Filters):
    """The page's filter form on the query; its errors are a 400 naming the field."""
    questions = selectors.questions(event)
    data = {key: value for key, value in wanted.dict().items() if value not in (None, "")}
    form = ParticipantFilterForm(data, questions=questions)
    if not form.is_valid():
        errors = [
            {"field": field, "message": message}
            for field, messages in form.errors.items()
            for message in messages
        ]
        raise FilterInvalid(errors)
    return form, questions, selectors.participants(event, form.to_filter(), questions)


class FilterInvalid(HttpError):
    def __init__(self, errors: list[dict]):
        reasons = "; ".join(str(error["message"]) for error in errors)
        # Translators: %(reasons)s are the form's messages, separated by semicolons.
        detail = gettext("The filter is not valid: %(reasons)s") % {"reasons": reasons}
        super().__init__(400, detail)
        self.errors = errors


@router.get("/events", response=OrganisedEventPage, summary="Events I organise")
def my_events(request, page: Query[PageQuery]):
    require_scope(request, ORGANISER_READ)
    rows = within_token_event(request, selectors.my_events(request.auth)).order_by("start", "pk")

    def represent(item):
        return {
            **output.event(item),
            "confirmed": item.confirmed,
            "waiting": item.waiting,
            "pending": item.pending,
        }

    return page_of(request, rows, page, represent)


@router.get(
    "/events/{slug}",
    response={200: OrganisedEventDetail, 404: Problem},
    summary="Counts per mode and status, and the questions asked",
)
def overview(request, slug: Slug):
    event = organised_event(request, slug)
    counts = selectors.registration_counts(event, selectors.registration_settings(event))
    questions = selectors.questions(event)
    free = options_free(questions)
    return {
        **output.event(event),
        "counts": [output.mode_counts(item) for item in counts],
        "questions": [output.question(item, free) for item in questions],
    }


@router.get(
    "/events/{slug}/participants",
    response={200: ParticipantPage, 400: Problem, 404: Problem},
    summary="Participants with their answers, filtered and sorted as on the page",
)
def participants(request, slug: Slug, wanted: Query[ParticipantQuery]):
    event = organised_event(request, slug)
    _form, questions, rows = _filter(event, wanted)
    return page_of(request, rows, wanted, lambda row: output.participant(row, questions))


def _participant(event, pk: int) -> dict:
    questions = selectors.questions(event)
    row = selectors.participants(event, ParticipantFilter(), questions).get(pk=pk)
    return output.participant(row, questions)


@router.post(
    "/events/{slug}/participants/{pk}/{action}",
    response={200: Participant, 400: Problem, 404: Problem, 409: Problem},
    summary="Approve, reject, cancel, or promote one participant",
    description="Promote confirms someone waiting even when the mode is full (your call), as "
    "on the participant page. A freed seat goes to the next in line.",
)
@write("organiser_action")
def act(request, slug: Slug, pk: Id, action: OrganiserAction):
    event = organised_event(request, slug, ORGANISER_WRITE)
    registration = get_object_or_404(
        Registration.objects.select_related("event", "user"), event=event, pk=pk
    )
    note(request, registration=registration)
    BULK_ACTIONS[action](registration=registration, by=request.auth)
    return Status(200, _participant(event, pk))


EXPORT_RESPONSES = {
    "200": {
        "description": "The file (CSV with a byte-order mark, Excel .xlsx, or JSON).",
        "content": {
            CONTENT_TYPES["csv"].split(";")[0]: {"schema": {"type": "string"}},
            CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
            CONTENT_TYPES["json"].split(";")[0]: {
                "schema": {"type": "array", "items": {"type": "object"}}
            },
        },
    }
}


@router.get(
    "/events/{slug}/export",
    response={400: Problem, 404: Problem},
    summary="Export the (filtered) participants as CSV, Excel or JSON",
    description="The same files as the participant page's export, and logged the same way.",
    openapi_extra={"responses": EXPORT_RESPONSES},
)
def export(request, slug: Slug, wanted: Query[ExportQuery]):
    event = organised_event(request, slug)
    form, questions, rows = _filter(event, wanted)
    chosen = ExportForm(
        {
            "format": wanted.format,
            "columns": wanted.columns,
            "include_cancelled": wanted.include_cancelled,
        }
    )
    if not chosen.is_valid():
        raise HttpError(400, "; ".join(m for messages in chosen.errors.values() for m in messages))
    filters = form.as_query()
    if wanted.include_cancelled:
        filters["include_cancelled"] = "yes"  # logged as the page logs it
    else:
        rows = selectors.without_inactive(rows, form.to_filter())
    return participants_download(
        event=event,
        rows=rows,
        columns=columns_for(chosen.cleaned_data["columns"], questions),
        file_format=chosen.cleaned_data["format"],
        filters=filters,
        user=request.auth,
    )


@router.post(
    "/events/{slug}/check-in",
    response={200: CheckInOut, 404: Problem, 409: Problem},
    summary="Check a person in by the code on their ticket",
    description="Only a confirmed registration of this event, once. A second scan, a waiting, "
    "pending or cancelled registration, or a remote participant without `accept_remote`, is a "
    "409 and a ticket of another event a 404, each with the check-in page's warning; nothing "
    "changes then.",
)
@write("check_in")
def check_in_by_code(request, slug: Slug, data: CheckInIn):
    event = organised_event(request, slug, ORGANISER_WRITE)
    note(request, event=event)
    result = check_in(
        code_or_registration=data.code,
        event=event,
        by=request.auth,
        accept_remote=data.accept_remote,
    )
    if result.registration is not None:
        note(request, registration=result.registration)
    if not result.checked_in:
        raise HttpError(404 if result.registration is None else 409, result.message)
    return Status(
        200,
        {
            "checked_in": True,
            "message": result.message,
            "participant": _participant(event, result.registration.pk),
        },
    )
