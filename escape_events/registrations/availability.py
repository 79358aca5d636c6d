"""Places per way of attending, from one query: the one rule for "free seats" and "waiting".

`Availability` is a pure value built from grouped counts of an event's registration rows. It
says, per mode: the capacity, the seats taken, the seats free, how many people are in line, and
whether a newcomer gets a place now (`has_room`). The registration services read it under the
event lock, where it is exact; the registration box, "My registrations" and the organiser pages
read it without, as a snapshot. Nothing else counts seats.

Who is in line for a mode: the people on its waiting list, and the people holding a place in the
other mode while they wait for this one ("join remote now, stay on the on-site waiting list").
Both queue together, first come first served (`waiting_since`, then row id).

Options of a choice question can be limited too ("borrow a laptop: 5 available"):
`options_free` counts, per limited option, the active registrations (a waiting one keeps its
pick, so promotion never exceeds a limit) that picked it, in one grouped query, and only for
events with such a question.

Queries: `load_availability` (one event) and `load_availabilities` (many) each make one grouped
query; `Availability.from_counts` makes none, so a caller that already has the counts (or keeps
them up to date while it places people) pays nothing more.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from . import question_kinds
from .models import Answer, Question, Registration, RegistrationSettings

Mode = Registration.Mode
Status = Registration.Status

# (mode, status, waiting_for_mode) -> number of registrations
Counts = Mapping[tuple[str, str, str], int]


@dataclass(frozen=True)
class ModeAvailability:
    """One way of attending: capacity (None: unlimited) and who holds or waits for a place."""

    mode: str
    offered: bool
    capacity: int | None
    confirmed: int = 0
    pending: int = 0
    waiting_listed: int = 0  # on this mode's waiting list
    waiting_with_place: int = 0  # holding a place in the other mode while waiting for this one

    @property
    def label(self) -> str:
        return str(Mode(self.mode).label)

    @property
    def taken(self) -> int:
        """Confirmed and pending registrations hold a seat."""
        return self.confirmed + self.pending

    @property
    def waiting(self) -> int:
        """Everyone in line for this mode."""
        return self.waiting_listed + self.waiting_with_place

    @property
    def free(self) -> int | None:
        """Seats nobody holds (None: unlimited). Someone in line may be about to get one."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.taken, 0)

    @property
    def has_room(self) -> bool:
        """A newcomer gets a place now: offered, a seat free, and nobody in line before them."""
        return self.offered and (self.free is None or self.free > 0) and self.waiting == 0

    @property
    def is_full(self) -> bool:
        """Offered, but a newcomer would join the line."""
        return self.offered and not self.has_room


@dataclass(frozen=True)
class Availability:
    """Every mode of one event, in `Mode` order."""

    event_id: int
    modes: tuple[ModeAvailability, ...]

    def __getitem__(self, mode: str) -> ModeAvailability:
        return next(item for item in self.modes if item.mode == mode)

    @property
    def offered(self) -> list[ModeAvailability]:
        return [item for item in self.modes if item.offered]

    def has_room(self, mode: str) -> bool:
        return mode in Mode.values and self[mode].has_room

    @classmethod
    def from_counts(cls, settings: RegistrationSettings, counts: Counts) -> "Availability":
        """Build from (mode, status, waiting_for_mode) counts; inactive rows are ignored."""
        per_mode: dict[str, Counter] = defaultdict(Counter)
        for (mode, status, waiting_for), number in counts.items():
            if status == Status.WAITING:
                per_mode[mode]["waiting_listed"] += number
            elif status in Registration.SEAT_STATUSES:
                per_mode[mode][status] += number
                if waiting_for:
                    per_mode[waiting_for]["waiting_with_place"] += number
        return cls(
            event_id=settings.event_id,
            modes=tuple(
                ModeAvailability(
                    mode=mode,
                    offered=settings.registration_required and settings.allows(mode),
                    capacity=settings.capacity_for(mode),
                    confirmed=per_mode[mode][Status.CONFIRMED],
                    pending=per_mode[mode][Status.PENDING],
                    waiting_listed=per_mode[mode]["waiting_listed"],
                    waiting_with_place=per_mode[mode]["waiting_with_place"],
                )
                for mode in Mode.values
            ),
        )


def count_rows(event_ids: Iterable[int], *, extra: Mapping | None = None) -> QuerySet:
    """The grouped counts availability is made of, for several events in one query.

    `extra` adds aggregates to each group (the organiser pages count check-ins alongside).
    """
    return (
        Registration.objects.filter(event_id__in=list(event_ids))
        .values("event_id", "mode", "status", "waiting_for_mode")
        .annotate(total=Count("pk"), **(extra or {}))
        .order_by()
    )


def _counts(rows) -> Counts:
    return {(row["mode"], row["status"], row["waiting_for_mode"]): row["total"] for row in rows}


def load_availabilities(
    settings_list: Iterable[RegistrationSettings],
) -> dict[int, Availability]:
    """Availability of several events (by event id), in one query."""
    settings_list = list(settings_list)
    rows: dict[int, list] = defaultdict(list)
    for row in count_rows(settings.event_id for settings in settings_list).filter(
        status__in=Registration.ACTIVE_STATUSES
    ):
        rows[row["event_id"]].append(row)
    return {
        settings.event_id: Availability.from_counts(settings, _counts(rows[settings.event_id]))
        for settings in settings_list
    }


def load_availability(settings: RegistrationSettings) -> Availability:
    """Availability of one event, in one query (exact only under the event lock)."""
    return load_availabilities([settings])[settings.event_id]


def availability_and_holding(settings: RegistrationSettings, user) -> tuple[Availability, bool]:
    """Availability of one event and whether `user` holds an active registration there, in one
    query: most people looking at an event (or registering) hold none, and need no second one."""
    if not user.is_authenticated:
        return load_availability(settings), False
    rows = list(
        count_rows([settings.event_id], extra={"mine": Count("pk", filter=Q(user=user))}).filter(
            status__in=Registration.ACTIVE_STATUSES
        )
    )
    holds = any(row["mine"] for row in rows)
    return Availability.from_counts(settings, _counts(rows)), holds


def in_line(mode: str | None = None, *, prefix: str = "") -> Q:
    """Registrations in line for `mode` (None: for any mode), as a filter; `prefix` reaches
    them through a relation, e.g. "registrations__"."""

    def field(name):
        return f"{prefix}{name}"

    seats = {field("status__in"): Registration.SEAT_STATUSES}
    if mode is None:
        return Q(**{field("status"): Status.WAITING}) | (
            Q(**seats) & ~Q(**{field("waiting_for_mode"): ""})
        )
    return Q(**{field("mode"): mode, field("status"): Status.WAITING}) | Q(
        **seats, **{field("waiting_for_mode"): mode}
    )


# The order of every line: first come, first served.
LINE_ORDER = ("waiting_since", "pk")


def with_waiting_positions(rows: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate `waiting_line` (the mode a registration waits for, "" when none) and
    `waiting_position` (1-based place in that line, None when not waiting).

    One correlated count per row, so a page of rows costs no extra query.
    """
    line = Case(
        When(status=Status.WAITING, then=F("mode")),
        When(Q(status__in=Registration.SEAT_STATUSES) & ~Q(waiting_for_mode=""),
             then=F("waiting_for_mode")),
        default=Value(""),
    )  # fmt: skip
    ahead = (
        Registration.objects.filter(event_id=OuterRef("event_id"))
        .filter(
            Q(mode=OuterRef("waiting_line"), status=Status.WAITING)
            | Q(waiting_for_mode=OuterRef("waiting_line"), status__in=Registration.SEAT_STATUSES)
        )
        .filter(
            Q(waiting_since__lt=OuterRef("waiting_since"))
            | Q(waiting_since=OuterRef("waiting_since"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event_id")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return rows.annotate(waiting_line=line).annotate(
        waiting_position=Case(
            When(waiting_line="", then=Value(None)),
            default=Coalesce(Subquery(ahead), 0) + 1,
        )
    )


def options_free(questions: Iterable[Question]) -> dict[int, dict[str, int]]:
    """Per question with limited options: option -> how many more people may pick it.

    One grouped query over the answers of active registrations (none when nothing is limited);
    exact under the event lock, a snapshot elsewhere."""
    limited = {question.pk: question for question in questions if question.option_limits}
    if not limited:
        return {}
    taken: dict[int, Counter] = defaultdict(Counter)
    rows = (
        Answer.objects.filter(
            question_id__in=list(limited), registration__status__in=Registration.ACTIVE_STATUSES
        )
        .values_list("question_id", "value")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for question_id, value, total in rows:
        for option in question_kinds.chosen_options(limited[question_id], value):
            taken[question_id][option] += total
    return {
        pk: {
            option: max(limit - taken[pk][option], 0)
            for option, limit in question.option_limits.items()
        }
        for pk, question in limited.items()
    }
