"""What the API sends and accepts (pydantic models that ninja turns into the OpenAPI schema)."""

import re
from datetime import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import BeforeValidator, StrictInt, TypeAdapter, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from escape_events.events.models import Event, Kind
from escape_events.organisers.exports import COLUMN_CHOICES
from escape_events.organisers.models import ExportLog
from escape_events.registrations.models import Question, Registration
from escape_events.timetable.models import EntryKind

# Text never holds a NUL character (PostgreSQL refuses them; Django's form fields too); slugs
# are what Django's slug fields hold.
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]
Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=200)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

KindName = Literal[tuple(Kind.values)]
ModeName = Literal[tuple(Registration.Mode.values)]
StatusName = Literal[tuple(Registration.Status.values)]
EventStatusName = Literal[tuple(Event.Status.values)]
QuestionKind = Literal[tuple(Question.Kind.values)]
ExportFormat = Literal[tuple(ExportLog.Format.values)]
ExportColumn = Literal[tuple(key for key, _label in COLUMN_CHOICES)]
OrganiserAction = Literal["approve", "reject", "cancel", "promote"]
AgendaKind = Literal[tuple(EntryKind.values)]


class Page(Schema):
    count: int = Field(description="How many items match, on every page together.")
    page: int
    page_size: int
    next: str | None = Field(description="Address of the next page, if any.")
    previous: str | None


class VenueOut(Schema):
    name: str
    room: str
    address: str
    latitude: float | None
    longitude: float | None


class EventOut(Schema):
    slug: str
    title: str
    kind: KindName
    summary: str
    start: datetime
    end: datetime
    all_day: bool
    time_zone: str
    status: EventStatusName
    series: str | None = Field(description="Slug of the series this is a meeting of.")
    is_moved: bool = Field(description="A meeting of a series held at another time than its rule.")
    venue: VenueOut | None
    url: str
    ics_url: str


class EventPage(Page):
    items: list[EventOut]


class ModeAvailability(Schema):
    mode: ModeName
    label: str
    capacity: int | None = Field(description="Seats in this mode; null: unlimited.")
    free: int | None = Field(description="Seats left; null: unlimited.")
    waiting: int = Field(description="People on this mode's waiting list.")
    is_full: bool = Field(description="Registering now puts you on the waiting list.")


class QuestionOut(Schema):
    id: int
    label: str
    kind: QuestionKind = Field(
        description="`section` is a heading (with `help_text`) that takes no answer. Answers: "
        "`number` a whole number within `min_value`…`max_value`, `date` YYYY-MM-DD, `country` "
        "an ISO 3166-1 alpha-2 code, `yes_no` yes or no, `multiple_choice` a list of options."
    )
    choices: list[str]
    required: bool = Field(description="Required when asked (see `shown_if`).")
    help_text: str
    min_value: int | None
    max_value: int | None
    option_limits: dict[str, int] = Field(
        description="Options only so many people may pick: option → how many."
    )
    options_left: dict[str, int] = Field(
        description="Limited options: option → how many may still pick it (now)."
    )
    shown_if: int | None = Field(
        description="Asked only when the answer to this earlier question is (or, for several "
        "choices, includes) `shown_if_value`; otherwise an answer is ignored."
    )
    shown_if_value: str


class RegistrationInfo(Schema):
    opens_at: datetime
    closes_at: datetime
    is_open: bool = Field(description="Signed-in people may register now (groups permitting).")
    refusal: str | None = Field(description="Why nobody can register now, as the page says it.")
    needs_approval: bool
    cancellation_deadline: datetime
    restricted_to_groups: list[str]
    modes: list[ModeAvailability]
    questions: list[QuestionOut]
    privacy_notice_version: int = Field(
        description="The privacy notice in force: registering means accepting this version "
        "(send it as `privacy_notice_version`)."
    )
    privacy_notice_url: str = Field(description="Where to read that version.")


class TranslationOut(Schema):
    title: str
    description: str = Field(description="Markdown; empty: read the original `description`.")


class EventDetail(EventOut):
    description: str = Field(description="Markdown.")
    translations: dict[str, TranslationOut] = Field(
        description="The organisers' translations by language code (`fr`, `de`, `it`, `es`); "
        "`title` and `description` above stay the original. A meeting "
        "without its own translation into a language shows its series'. Empty when there "
        "are none."
    )
    remote_note: str
    audience_note: str
    contact_name: str
    contact_email: str
    colocated_with: list[str] = Field(description="Slugs of events held alongside this one.")
    registration: RegistrationInfo | None = Field(
        description="Null when the event takes no registrations."
    )


class SeriesOut(Schema):
    slug: str
    title: str
    kind: KindName
    summary: str
    schedule: str = Field(description="The rule in words, e.g. '2nd and 4th Wednesday …'.")
    rrule: str
    first_start: datetime
    duration_minutes: int
    time_zone: str
    venue: VenueOut | None
    url: str
    ics_url: str


class SeriesPage(Page):
    items: list[SeriesOut]


class OccurrenceOut(Schema):
    series: str
    title: str
    recurrence_id: datetime = Field(description="The start the rule gives this meeting.")
    start: datetime
    end: datetime
    is_moved: bool
    is_cancelled: bool
    event: str | None = Field(description="Slug of the meeting's own page, when it has one.")
    venue: VenueOut | None
    url: str


class OccurrenceList(Schema):
    items: list[OccurrenceOut]


class PersonOut(Schema):
    name: str
    affiliation: str


class SessionOut(Schema):
    title: str
    location: str
    conveners: list[PersonOut]


class MaterialOut(Schema):
    title: str
    url: str = Field(description="The link, or where to download the file.")
    is_link: bool
    folder: str | None = Field(description="The folder it is filed in, if any.")


class AgendaEntryOut(Schema):
    id: int
    title: str
    kind: AgendaKind
    start: datetime
    end: datetime
    place: str = Field(description="Room or place, when it differs from the event's.")
    description: str = Field(description="Markdown.")
    session: SessionOut | None
    speakers: list[PersonOut]
    materials: list[MaterialOut]


class AgendaOut(Schema):
    event: str
    time_zone: str
    materials: list[MaterialOut] = Field(
        description="The event's own materials (not of one entry) that the caller may open now."
    )
    items: list[AgendaEntryOut]


class EventRef(Schema):
    slug: str
    title: str
    start: datetime
    end: datetime
    status: EventStatusName
    url: str


class MyRegistration(Schema):
    id: int
    event: EventRef
    mode: ModeName
    status: StatusName
    waiting_for_mode: ModeName | Literal[""] = Field(
        description="Holds a place in `mode` and waits for this one."
    )
    waiting_position: int | None = Field(description="1-based place on the waiting list.")
    switch_to: ModeName | Literal[""] = Field(
        description="The other mode when it has room now (POST …/switch)."
    )
    join_line: ModeName | Literal[""] = Field(
        "",
        description="The other mode when it is full and you hold a place: join its waiting list "
        "and keep your place (POST …/waiting-list/join).",
    )
    modify_until: datetime | None = Field(
        None,
        description="Until when you may change answers, names, mode and waiting lists yourself; "
        "after it, write to the organisers.",
    )
    consent_to_list: bool
    created_at: datetime
    status_changed_at: datetime
    checked_in_at: datetime | None
    check_in_code: str = Field(description="The code of the ticket's QR code.")


class MyRegistrationPage(Page):
    items: list[MyRegistration]


# A number question may be answered with a JSON number too.
AnswerValue = Text | StrictInt | list[Text]
# A question id as a JSON object key: digits, no leading zero (ids are below 2**31).
QUESTION_KEY = r"^[1-9][0-9]{0,8}$"


def _question_key(key):
    if isinstance(key, str) and re.fullmatch(QUESTION_KEY, key):
        return int(key)
    if isinstance(key, int) and not isinstance(key, bool) and 0 < key < 10**9:
        return key
    raise ValueError(gettext("A key of `answers` is a question id: digits, not starting with 0."))


# The schema names the keys the server reads (propertyNames): any other key is a 422 there too.
Answers = Annotated[
    dict[Annotated[int, BeforeValidator(_question_key)], AnswerValue],
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"pattern": QUESTION_KEY},
            "additionalProperties": TypeAdapter(AnswerValue).json_schema(),
        }
    ),
]


class AlsoIn(Schema):
    event: Slug = Field(description="Slug of an event held alongside this one.")
    mode: ModeName
    answers: Answers = Field({}, description="That event's questions.")


class RegisterIn(Schema):
    mode: ModeName
    wait_for_mode: ModeName | Literal[""] = Field(
        "",
        description="When `mode` has room but this one is full: take `mode` now and stay on "
        "this mode's waiting list.",
    )
    answers: Answers = Field(
        {},
        description="Question id → answer (a list of options for several choices, a number or "
        "its digits for a number, YYYY-MM-DD for a date, an ISO 3166-1 code for a country).",
    )
    consent_to_list: bool = False
    privacy_notice_version: int = Field(
        ge=1,
        le=2**31 - 1,
        description="The version of the privacy notice you have read and accept (the event's "
        "`registration.privacy_notice_version`); it is recorded with the registration, as the "
        "form's box is.",
    )
    also: list[AlsoIn] = Field(
        [],
        max_length=5,
        description="Events held alongside (e.g. the coding camp next to a hands-on) to register "
        "for in the same go: all of them or none. Each event once.",
    )

    @field_validator("also")
    @classmethod
    def _each_partner_once(cls, also: list[AlsoIn]) -> list[AlsoIn]:
        slugs = [partner.event for partner in also]
        twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if twice:
            raise PydanticCustomError(
                "duplicate_event",
                # Translators: keep {events} as it is (pydantic fills it in).
                gettext("Name each event of `also` once: {events} appears more than once."),
                {"events": ", ".join(f"“{slug}”" for slug in twice)},
            )
        return also


class RegisterOut(MyRegistration):
    together: list[MyRegistration] = Field(description="The registrations of `also`.")


class ChangeIn(Schema):
    """What to change in one's registration; what is left out stays as it is."""

    answers: Answers | None = Field(
        None,
        description="Every question's answer (question id → answer; a list for several "
        "choices), checked as when registering.",
    )
    first_name: Text | None = Field(None, max_length=150)
    last_name: Text | None = Field(None, max_length=150)
    affiliation: Text | None = Field(None, max_length=200)


class ChangeItem(Schema):
    field: str
    before: str
    after: str


class ChangeOut(Schema):
    registration: MyRegistration
    changes: list[ChangeItem] = Field(description="What changed ([] when nothing did).")


class WaitingLineIn(Schema):
    mode: ModeName = Field(description="The mode whose waiting list you leave or join.")


class SwitchIn(Schema):
    mode: ModeName
    keep_waiting: bool = Field(
        False, description="On a waiting list: keep your place in the line you leave."
    )


class ModeCountsOut(Schema):
    mode: ModeName
    label: str
    offered: bool
    capacity: int | None
    places_left: int | None
    in_line: int = Field(
        description="Everyone in line for this mode: its waiting list and people holding a "
        "place in the other mode meanwhile."
    )
    confirmed: int
    waiting: int
    pending: int
    cancelled: int
    rejected: int
    checked_in: int


class OrganisedEvent(EventOut):
    confirmed: int
    waiting: int
    pending: int


class OrganisedEventPage(Page):
    items: list[OrganisedEvent]


class OrganisedEventDetail(EventOut):
    counts: list[ModeCountsOut]
    questions: list[QuestionOut]


class AnswerOut(Schema):
    question: int
    label: str
    value: str = Field(
        description="As stored (a country as its code, several choices one per line)."
    )
    display: str = Field(description="As people read it (a country by its name).")


class Participant(Schema):
    id: int
    name: str
    email: str
    affiliation: str
    mode: ModeName
    status: StatusName
    waiting_for_mode: ModeName | Literal[""]
    consent_to_list: bool
    registered_at: datetime
    status_changed_at: datetime
    checked_in_at: datetime | None
    answers: list[AnswerOut]


class ParticipantPage(Page):
    items: list[Participant]


class CheckInIn(Schema):
    code: Text = Field(
        min_length=1, max_length=300, description="The ticket's code, or the address its QR holds."
    )
    accept_remote: bool = Field(
        False,
        description="Check in someone registered to take part remotely (they hold no seat in "
        "the room): the check-in page's 'Check them in anyway'.",
    )


class CheckInOut(Schema):
    checked_in: bool
    message: str
    participant: Participant
