"""Reads of the organiser's side, each in a fixed number of queries whatever the head count."""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, NullIf, TruncDate
from django.utils.translation import gettext_lazy

from escape_events.events.models import Event, Series
from escape_events.events.selectors import Occurrence, occurrences_between
from escape_events.registrations.availability import (
    Availability,
    ModeAvailability,
    count_rows,
    in_line,
    with_waiting_positions,
)
from escape_events.registrations.checkin import PRESENT
from escape_events.registrations.models import Answer, Question, Registration, RegistrationSettings
from escape_events.timetable.models import Convener, Minutes, Speaker

from .permissions import organised_events, organised_series
from .placeholders import Recipient

Mode = Registration.Mode
Status = Registration.Status


def my_events(user) -> QuerySet[Event]:
    """Events the user runs, with their registration counts, in one query."""
    return (
        organised_events(user)
        .select_related("venue", "series")
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
            # In any line: on a waiting list, or holding the other mode while waiting.
            waiting=Count("registrations", filter=in_line(prefix="registrations__")),
            pending=Count("registrations", filter=Q(registrations__status=Status.PENDING)),
        )
    )


def my_series(user) -> QuerySet[Series]:
    return organised_series(user).select_related("venue")


UPCOMING_MEETINGS = 12
PAST_MEETINGS = 6
PAST_MEETINGS_WINDOW = timedelta(days=120)


@dataclass(frozen=True)
class SeriesMeetings:
    upcoming: list[Occurrence]
    past: list[Occurrence]  # most recent first
    with_minutes: frozenset[int]  # stored meetings that have minutes (of any agenda item)


def series_meetings(series: Series, now: datetime) -> SeriesMeetings:
    """The next meetings and the recent past ones, moves and cancellations applied, in two
    queries. The horizon is long enough for twelve meetings of a monthly rule."""
    found = occurrences_between(
        now - PAST_MEETINGS_WINDOW, now + timedelta(days=31 * UPCOMING_MEETINGS), [series]
    )
    upcoming = [meeting for meeting in found if meeting.end > now]
    past = [meeting for meeting in found if meeting.end <= now]
    stored = [meeting.override.pk for meeting in found if meeting.override]
    with_minutes = Minutes.objects.filter(event__in=stored).exclude(text="")
    return SeriesMeetings(
        upcoming=upcoming[:UPCOMING_MEETINGS],
        past=past[::-1][:PAST_MEETINGS],
        with_minutes=frozenset(with_minutes.values_list("event_id", flat=True)),
    )


def registration_settings(event: Event) -> RegistrationSettings | None:
    return RegistrationSettings.objects.filter(event=event).first()


@dataclass(frozen=True)
class ModeCounts:
    """One mode on the overview: its places (the services' own availability) plus the history
    the organisers follow (cancelled, declined, checked in)."""

    places: ModeAvailability
    cancelled: int
    rejected: int
    checked_in: int

    @property
    def mode(self) -> str:
        return self.places.mode

    @property
    def label(self) -> str:
        return self.places.label

    @property
    def offered(self) -> bool:
        return self.places.offered

    def count(self, status: str) -> int:
        """Registrations in this mode with this status."""
        return {
            Status.CONFIRMED: self.places.confirmed,
            Status.PENDING: self.places.pending,
            Status.WAITING: self.places.waiting_listed,
            Status.CANCELLED: self.cancelled,
            Status.REJECTED: self.rejected,
        }[status]


def registration_counts(event: Event, settings: RegistrationSettings | None) -> list[ModeCounts]:
    """Places, waiting lines and history per mode, from one grouped query."""
    rows = count_rows([event.pk], extra={"checked": Count("pk", filter=PRESENT)})
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    history: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        counts[(row["mode"], row["status"], row["waiting_for_mode"])] += row["total"]
        history[(row["mode"], row["status"])] += row["total"]
        history[(row["mode"], "checked_in")] += row["checked"]
    places = Availability.from_counts(
        settings or RegistrationSettings(event=event, registration_required=False), counts
    )
    return [
        ModeCounts(
            places=places[mode],
            cancelled=history[(mode, Status.CANCELLED)],
            rejected=history[(mode, Status.REJECTED)],
            checked_in=history[(mode, "checked_in")],
        )
        for mode in Mode.values
    ]


def registrations_per_day(event: Event, modes) -> dict[str, list[tuple[date, int]]]:
    """Registrations still held (confirmed, waiting, pending) per local day they came in, for
    the given modes and any other that has some (one query), for the dashboard chart."""
    rows = (
        Registration.objects.filter(event=event, status__in=Registration.ACTIVE_STATUSES)
        .annotate(day=TruncDate("created_at", tzinfo=event.zone))
        .values("day", "mode")
        .annotate(total=Count("pk"))
        .order_by("day")
    )
    series: dict[str, list[tuple[date, int]]] = {mode: [] for mode in modes}
    for row in rows:
        series.setdefault(row["mode"], []).append((row["day"], row["total"]))
    return {mode: series[mode] for mode in Mode.values if mode in series}


def chart_end(event: Event, now: datetime) -> date:
    """The chart's axis ends today, or on the event's last day once it is over."""
    return min(now.astimezone(event.zone).date(), event.last_day)


def questions(event: Event) -> list[Question]:
    """The questions that take answers (not the section headings), in their order."""
    return list(
        Question.objects.filter(event=event)
        .exclude(kind=Question.Kind.SECTION)
        .order_by("position", "pk")
    )


def answer_column(question: Question) -> str:
    return f"answer_{question.pk}"


AFFILIATION = "shown_affiliation"


def affiliation_question(event_questions: list[Question]) -> Question | None:
    """A text question the event asks as "Affiliation" (events set up before the profile held
    it): its answer stands in for an empty profile, in the one Affiliation column."""
    return next(
        (
            question
            for question in event_questions
            if question.kind == Question.Kind.TEXT
            and question.label.strip().rstrip(":").lower() == "affiliation"
        ),
        None,
    )


def table_questions(event_questions: list[Question]) -> list[Question]:
    """The questions that get a column of their own next to the Affiliation column."""
    merged = affiliation_question(event_questions)
    return [question for question in event_questions if question != merged]


SORTS = {
    "name": (Lower("user__last_name"), Lower("user__first_name"), "pk"),
    "email": (Lower("user__email"), "pk"),
    "registered": ("created_at", "pk"),
    "status": ("status", "created_at", "pk"),
    "mode": ("mode", "created_at", "pk"),
    "checked_in": ("checked_in_at", "pk"),
}


def _ordering(sort: str) -> list:
    descending = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-"), SORTS["registered"])
    ordered = []
    for field in fields:
        if isinstance(field, str):
            ordered.append(f"-{field}" if descending else field)
        else:
            ordered.append(field.desc() if descending else field.asc())
    return ordered


@dataclass(frozen=True)
class ParticipantFilter:
    """What the participant list shows; the export and messages use the very same filter."""

    mode: str = ""
    status: str = ""
    checked_in: str = ""  # "yes", "no" or ""
    q: str = ""
    question: Question | None = None
    answer: str = ""
    tag: str = ""  # a tag's name, case aside
    sort: str = "registered"


def without_inactive(rows: QuerySet[Registration], wanted: ParticipantFilter):
    """An export's rows without people who cancelled or were declined, unless the filter asks
    for exactly those: one row per person who still takes part."""
    if wanted.status and wanted.status not in Registration.ACTIVE_STATUSES:
        return rows
    return rows.filter(status__in=Registration.ACTIVE_STATUSES)


def participants(
    event: Event, wanted: ParticipantFilter, event_questions: list[Question]
) -> QuerySet[Registration]:
    """The filtered registrations with their person and each answer as a column (one query).
    Rows whose person was removed (purge, deleted account) only count; they are not listed."""
    rows = with_waiting_positions(
        Registration.objects.filter(event=event, user__isnull=False).select_related("user")
    )
    if wanted.status == Status.WAITING:
        # Everyone in a line, including people holding the other mode while they wait; with a
        # mode, the line for that mode (as the services promote from it).
        rows = rows.filter(in_line(wanted.mode or None))
    else:
        if wanted.mode:
            rows = rows.filter(mode=wanted.mode)
        if wanted.status:
            rows = rows.filter(status=wanted.status)
    if wanted.checked_in:
        rows = rows.filter(checked_in_at__isnull=wanted.checked_in == "no")
    if wanted.q:
        rows = rows.filter(
            Q(user__first_name__icontains=wanted.q)
            | Q(user__last_name__icontains=wanted.q)
            | Q(user__email__icontains=wanted.q)
            | Q(user__affiliation__icontains=wanted.q)
        )
    if wanted.tag:
        rows = rows.filter(tags__event=event, tags__name__iexact=wanted.tag)
    if wanted.question is not None:
        answered = Answer.objects.filter(question=wanted.question)
        if wanted.answer:
            answered = answered.filter(value__icontains=wanted.answer)
        rows = rows.filter(pk__in=answered.values("registration_id"))
    answers = {
        answer_column(question): Subquery(
            Answer.objects.filter(registration=OuterRef("pk"), question=question).values("value")[
                :1
            ]
        )
        for question in event_questions
    }
    merged = affiliation_question(event_questions)
    rows = rows.annotate(
        **answers,
        **{
            AFFILIATION: Coalesce(
                NullIf("user__affiliation", Value("")),
                answers[answer_column(merged)] if merged else Value(""),
                Value(""),
                output_field=TextField(),
            )
        },
    )
    return rows.order_by(*_ordering(wanted.sort))


def printout_people(event: Event, kind: str) -> list[Registration]:
    """Who a printout lists, by family name then first name (one query): confirmed on-site
    people for the door (everyone confirmed when the event is remote only), everyone confirmed
    for the participant list, and for certificates the people checked in."""
    rows = Registration.objects.filter(event=event, user__isnull=False).select_related("user")
    if kind == "certificates":
        rows = rows.filter(status=Status.CONFIRMED, checked_in_at__isnull=False)
    elif kind == "participant-list":
        rows = rows.filter(status=Status.CONFIRMED)
    else:
        rows = rows.filter(status=Status.CONFIRMED)
        settings = RegistrationSettings.objects.filter(event=event).first()
        if settings is None or settings.allow_onsite:
            rows = rows.filter(mode=Mode.ONSITE)
    return sorted(rows, key=lambda registration: _name_key(registration.user))


def _name_key(user) -> tuple[str, str, str]:
    """Family name, then first name, as people look them up on paper: case and accents aside
    (Ångström with the A's), the same on SQLite and PostgreSQL whatever their collation."""

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        return "".join(char for char in decomposed if not unicodedata.combining(char))

    return (plain(user.last_name), plain(user.first_name), user.email.casefold())


# Whom a message to participants is for, chosen explicitly (the waiting list only when ticked).
AUDIENCES = [
    ("onsite", gettext_lazy("Confirmed, on-site")),
    ("remote", gettext_lazy("Confirmed, remote")),
    ("waiting", gettext_lazy("Waiting list")),
    ("pending", gettext_lazy("Awaiting approval")),
    ("speakers", gettext_lazy("Speakers and conveners on the agenda (confirmed)")),
]
DEFAULT_AUDIENCES = ("onsite", "remote")
_AUDIENCE_ROWS = {
    "onsite": Q(status=Status.CONFIRMED, mode=Mode.ONSITE),
    "remote": Q(status=Status.CONFIRMED, mode=Mode.REMOTE),
    "waiting": Q(status=Status.WAITING),
    "pending": Q(status=Status.PENDING),
    # People the agenda names (as site users) among the event's confirmed registrants.
    "speakers": Q(status=Status.CONFIRMED)
    & (
        Q(Exists(Speaker.objects.filter(entry__event=OuterRef("event"), user=OuterRef("user"))))
        | Q(
            Exists(Convener.objects.filter(session__event=OuterRef("event"), user=OuterRef("user")))
        )
    ),
}


def in_audiences(
    rows: QuerySet[Registration], audiences, *, include_inactive: bool = False
) -> QuerySet[Registration]:
    """The rows of the chosen audiences (and of people who left, if asked for)."""
    wanted = Q(pk__in=[])
    for key in audiences:
        wanted |= _AUDIENCE_ROWS[key]
    if include_inactive:
        wanted |= ~Q(status__in=Registration.ACTIVE_STATUSES)
    return rows.filter(wanted)


def placeholder_recipients(registration_ids: list[int]) -> list[Recipient]:
    """What placeholders need of each recipient, in one query."""
    rows = Registration.objects.filter(pk__in=registration_ids).order_by(
        "user__last_name", "user__first_name", "pk"
    )
    return [
        Recipient(first_name=first_name, mode=mode, status=status, check_in_code=code)
        for first_name, mode, status, code in rows.values_list(
            "user__first_name", "mode", "status", "check_in_code"
        )
    ]


def message_recipients(
    rows: QuerySet[Registration], *, include_inactive: bool = False, limit: int | None = None
) -> list[int]:
    """The registrations a message goes to: one per person (their active registration, else
    their latest), and nobody who cancelled or was declined unless `include_inactive`."""
    rows = rows.filter(user__isnull=False)  # a removed person gets no mail
    if not include_inactive:
        rows = rows.filter(status__in=Registration.ACTIVE_STATUSES)
    active_first = Case(
        When(status__in=Registration.ACTIVE_STATUSES, then=Value(0)), default=Value(1)
    )
    chosen: dict[int, int] = {}
    ordered = rows.order_by("user_id", active_first, "-created_at", "-pk")
    for pk, user_id in ordered.values_list("pk", "user_id").iterator(chunk_size=2_000):
        if user_id not in chosen:
            chosen[user_id] = pk
            if limit is not None and len(chosen) >= limit:
                break
    return list(chosen.values())


def inactive_people_count(rows: QuerySet[Registration]) -> int:
    """People in `rows` with no active registration there: those a message leaves out."""
    active = rows.filter(status__in=Registration.ACTIVE_STATUSES).values("user_id")
    return (
        rows.exclude(status__in=Registration.ACTIVE_STATUSES)
        .exclude(user_id__in=active)
        .values("user_id")
        .distinct()
        .count()
    )
