"""Reads for registration pages: the event panel and "My registrations", in fixed query counts.

Places and waiting lines come from registrations.availability, the one rule the services use.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings as site_settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from escape_events.events.models import Event, Series
from escape_events.events.when import date_text

from . import question_kinds
from .availability import (
    ModeAvailability,
    availability_and_holding,
    load_availabilities,
    with_waiting_positions,
)
from .models import (
    AttendanceDay,
    Question,
    Registration,
    RegistrationPurge,
    RegistrationSettings,
    SeriesFollower,
)
from .rules import (
    RegistrationRefused,
    cancellation_deadline,
    is_organiser,
    modification_deadline,
    place_refusal,
    purge_due_at,
    refusal_reason,
    registration_closes,
    retention_months,
    sees_remote_link,
)

Mode = Registration.Mode
Status = Registration.Status


@dataclass
class Panel:
    event: Event
    settings: RegistrationSettings | None
    registration: Registration | None = None
    refusal: RegistrationRefused | None = None
    offers: list[ModeAvailability] = field(default_factory=list)
    waiting_position: int | None = None
    show_remote_link: bool = False
    colocated: list[Event] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)  # what the form asks
    overlapping: list[Registration] = field(default_factory=list)
    participants: list[Registration] = field(default_factory=list)
    closes_at: datetime | None = None  # when registering ends
    cancel_until: datetime | None = None  # until when attendees cancel by themselves
    cancel_passed: bool = False

    @property
    def full_offer(self) -> ModeAvailability | None:
        """The full mode whose waiting list can be joined while taking the other mode now."""
        if len(self.offers) != 2:
            return None
        first, second = self.offers
        if first.is_full and second.has_room:
            return first
        if second.is_full and first.has_room:
            return second
        return None

    @property
    def registration_open(self) -> bool:
        """Open for registering now, even if this visitor must sign in or may not take part."""
        return self.refusal is None or self.refusal.code in ("login", "unverified", "restricted")

    def other_offer(self, offer: ModeAvailability) -> ModeAvailability:
        return next(item for item in self.offers if item.mode != offer.mode)


def waiting_position(registration: Registration) -> int | None:
    """1-based place in the line the person waits in (None: not waiting)."""
    return (
        with_waiting_positions(Registration.objects.filter(pk=registration.pk))
        .values_list("waiting_position", flat=True)
        .first()
    )


def overlapping_registrations(user, event: Event) -> list[Registration]:
    """The person's other active registrations whose events overlap this one in time; events
    held alongside it are meant to be attended together and are no clash."""
    if not user.is_authenticated:
        return []
    return list(
        Registration.objects.filter(
            user=user,
            status__in=Registration.ACTIVE_STATUSES,
            event__start__lt=event.end,
            event__end__gt=event.start,
        )
        .exclude(event=event)
        .exclude(event__in=event.colocated_with.values("pk"))
        .select_related("event")
    )


def with_registration_settings(events: QuerySet) -> QuerySet:
    """`events` with what the registration box and form read of each in the same statement:
    its registration settings, and whether it asks questions (`has_questions`; many events ask
    none). The groups registering may be restricted to are read by the rules only when asked
    (not for a registered person): asking first whether there are any costs as much."""
    return events.select_related("registration_settings").annotate(
        has_questions=Exists(Question.objects.filter(event=OuterRef("pk")))
    )


def registration_panel(event: Event, user, now=None) -> Panel:
    """Everything the registration box on an event page shows; `event` is read
    `with_registration_settings`."""
    now = now or timezone.now()
    settings = getattr(event, "registration_settings", None)
    panel = Panel(event=event, settings=settings)
    if settings is None or not settings.registration_required:
        # Open events: any signed-in (so verified) person may join remotely; visitors log in first.
        panel.show_remote_link = bool(event.online_url) and sees_remote_link(
            user=user, registration=None, registration_required=False
        )
        return panel
    panel.closes_at = registration_closes(event=event, settings=settings)
    panel.cancel_until = cancellation_deadline(event=event, settings=settings)
    panel.cancel_passed = now >= panel.cancel_until
    availability, holds = availability_and_holding(settings, user)
    panel.offers = availability.offered
    if holds:  # most visitors hold no registration: no query for it
        panel.registration = with_waiting_positions(
            Registration.objects.filter(
                event=event, user=user, status__in=Registration.ACTIVE_STATUSES
            )
        ).first()
    if panel.registration:
        panel.waiting_position = panel.registration.waiting_position
        panel.overlapping = overlapping_registrations(user, event)
    else:
        panel.refusal = refusal_reason(event=event, settings=settings, user=user, now=now)
    # Only the remote link asks whether the person runs the event (events without one: no query).
    panel.show_remote_link = bool(event.online_url) and (
        sees_remote_link(user=user, registration=panel.registration, registration_required=True)
        or is_organiser(event=event, user=user)
    )
    if panel.refusal is None and panel.registration is None:  # the form is shown
        panel.colocated = colocated_open_events(event, now)
        panel.questions = list(event.questions.all()) if event.has_questions else []
    if settings.public_participant_list:
        panel.participants = participants(event)
    return panel


def event_to_register(slug: str) -> Event | None:
    """The event with its registration settings, knowing whether events are held alongside it
    (`has_colocated_with`), and its questions (`asked_questions`): one query, two when it asks
    questions."""
    event = (
        with_registration_settings(Event.objects.all())
        .annotate(
            has_colocated_with=Exists(
                Event.colocated_with.through.objects.filter(from_event=OuterRef("pk"))
            )
        )
        .filter(slug=slug)
        .first()
    )
    if event is not None:
        event.asked_questions = (
            list(Question.objects.filter(event=event)) if event.has_questions else []
        )
    return event


def form_panel(event: Event, user, now=None) -> tuple[Panel, bool]:
    """What the registration form needs to read a submission (its choices, the events held
    alongside), and whether the person holds an active registration already: one query, more
    only when events are held alongside. `event` comes from `event_to_register`."""
    settings = getattr(event, "registration_settings", None)
    panel = Panel(event=event, settings=settings, questions=event.asked_questions)
    if settings is None:
        return panel, False
    availability, holds = availability_and_holding(settings, user)
    panel.offers = availability.offered
    if not holds:
        panel.colocated = colocated_open_events(event, now)
    return panel, holds


def colocated_open_events(event: Event, now=None) -> list[Event]:
    """Co-located events one can register for together with this one right now; no query when
    the event's own query said it has none (`has_colocated_with`, as events_for_page gives)."""
    if not getattr(event, "has_colocated_with", True):
        return []
    now = now or timezone.now()
    return list(
        event.colocated_with.filter(
            registration_settings__registration_required=True,
            registration_settings__opens_at__lte=now,
            status=Event.Status.SCHEDULED,
            start__gt=now,
        )
        .filter(
            Q(registration_settings__closes_at__isnull=True)
            | Q(registration_settings__closes_at__gt=now)
        )
        .select_related("registration_settings")
        .prefetch_related("questions")
    )


def my_registrations(user, now=None) -> list[Registration]:
    """The person's registrations, newest first, each with its place in line
    (`waiting_position`), until when the person may change it (`modify_until`, `can_modify`),
    the mode it could switch to now (`switch_to`, "" when none has room or the event no longer
    gives places), the full mode whose waiting line it could join from its place
    (`join_line`) and whether any attendance of theirs is recorded (`was_present`, for the
    certificate), in 2 queries."""
    now = now or timezone.now()
    registrations = list(
        with_waiting_positions(Registration.objects.filter(user=user))
        .annotate(was_present=Exists(AttendanceDay.objects.filter(registration=OuterRef("pk"))))
        .select_related("event", "event__venue", "event__registration_settings")
        .order_by("-event__start", "-created_at")
    )
    active = [item for item in registrations if item.is_active]
    settings_list = [
        item.event.registration_settings
        for item in active
        if getattr(item.event, "registration_settings", None) is not None
    ]
    availabilities = load_availabilities(settings_list) if settings_list else {}
    for item in registrations:
        item.switch_to = item.join_line = ""
        settings = getattr(item.event, "registration_settings", None)
        item.modify_until = modification_deadline(event=item.event, settings=settings)
        item.can_modify = item.is_active and now < item.modify_until
        if item.can_modify and item.event_id in availabilities:
            availability = availabilities[item.event_id]
            item.switch_to = _switch_target(item, availability, now)
            item.join_line = _line_to_join(item, availability, now)
    return registrations


def registration_for_editing(pk: int, *, user=None, event=None) -> Registration | None:
    """One registration with what its edit page shows (event, settings, person, answers, tags,
    history), the person's own (`user`) or one of an event (`event`); None if there is none."""
    rows = Registration.objects.select_related(
        "event__registration_settings", "event__venue", "user"
    ).prefetch_related("answers", "tags", "changes__by")
    if user is not None:
        rows = rows.filter(user=user)
    if event is not None:
        rows = rows.filter(event=event)
    return rows.filter(pk=pk).first()


def _other_mode(item: Registration) -> str:
    return Mode.REMOTE if item.mode == Mode.ONSITE else Mode.ONSITE


def _line_to_join(item: Registration, availability, now) -> str:
    """The other mode when it is offered and full and the person holds a place without waiting
    for it (`services.join_waiting_line` asks the same), else ""."""
    if item.waiting_for_mode or item.status not in Registration.SEAT_STATUSES:
        return ""
    settings = item.event.registration_settings
    other = _other_mode(item)
    if not settings.allows(other) or place_refusal(event=item.event, settings=settings, now=now):
        return ""
    return "" if availability.has_room(other) else other


def _switch_target(item: Registration, availability, now) -> str:
    """The other mode when a switch would be accepted now (the services ask the same rules and
    the same availability), else "". Someone holding a place while waiting for the other mode
    moves over by themselves."""
    if item.waiting_for_mode:
        return ""
    settings = item.event.registration_settings
    if place_refusal(event=item.event, settings=settings, now=now):
        return ""
    other = _other_mode(item)
    return other if availability.has_room(other) else ""


def participants(event: Event) -> list[Registration]:
    """Confirmed participants who agreed to be listed, for the public list."""
    return list(
        Registration.objects.filter(
            event=event, status=Status.CONFIRMED, consent_to_list=True
        ).select_related("user")
    )


def followed_series(user) -> list[Series]:
    """The series the person follows, by title (one query)."""
    return list(Series.objects.filter(followers__user=user).order_by("title"))


def follows(user, series: Series) -> bool:
    return (
        user.is_authenticated and SeriesFollower.objects.filter(series=series, user=user).exists()
    )


def personal_registrations(user) -> list[dict]:
    """Every registration of the person with answers, status history and the changes made (the
    organisers' note and tags too: they are data about the person), for their data export
    (6 queries whatever the number)."""
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event", "privacy_notice")
        .prefetch_related("answers__question", "history", "changes", "tags")
        .order_by("event__start", "pk")
    )
    return [
        {
            "event": registration.event.title,
            "event_address": site_settings.SITE_URL + registration.event.get_absolute_url(),
            "event_start": registration.event.start.isoformat(),
            "event_end": registration.event.end.isoformat(),
            "mode": registration.get_mode_display(),
            "status": registration.get_status_display(),
            "waiting_for": registration.get_waiting_for_mode_display(),
            "registered_at": registration.created_at.isoformat(),
            "cancelled_at": _iso(registration.cancelled_at),
            "checked_in_at": _iso(registration.checked_in_at),
            "name_on_public_participant_list": registration.consent_to_list,
            "privacy_notice_accepted": (
                registration.privacy_notice.version if registration.privacy_notice else None
            ),
            "check_in_code": registration.check_in_code,
            "answers": [
                {
                    "question": answer.question.label,
                    "answer": question_kinds.display(answer.question, answer.value),
                }
                for answer in registration.answers.all()
            ],
            "status_history": [
                {
                    "at": step.at.isoformat(),
                    "status": step.get_status_display(),
                    "mode": step.get_mode_display(),
                    "waiting_for": step.get_waiting_for_mode_display(),
                }
                for step in registration.history.all()
            ],
            "changes": [
                {
                    "at": change.at.isoformat(),
                    "by": "organisers" if change.by_organiser else "you",
                    "changes": change.changes,
                }
                for change in registration.changes.all()
            ],
            "organisers_note": registration.note,
            "tags": [tag.name for tag in registration.tags.all()],
        }
        for registration in registrations
    ]


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@dataclass(frozen=True)
class Retention:
    """When an event's registration data go, and whether they went already."""

    months: int
    site_months: int
    due_at: datetime
    purge: RegistrationPurge | None

    @property
    def shortened(self) -> bool:
        return self.months < self.site_months


def retention(event: Event, settings: RegistrationSettings | None) -> Retention:
    return Retention(
        months=retention_months(settings),
        site_months=site_settings.REGISTRATION_RETENTION_MONTHS,
        due_at=purge_due_at(event=event, settings=settings),
        purge=RegistrationPurge.objects.filter(event=event).first(),
    )


def deletion_preview(user, now=None) -> list[str]:
    """What deleting the account does to the person's registrations (forget_person), in words."""
    now = now or timezone.now()
    rows = Registration.objects.filter(user=user).select_related("event").order_by("event__start")
    lines, kept = [], 0
    for registration in rows:
        event = registration.event
        if registration.is_active and event.end > now:
            when = timezone.localtime(event.start, event.zone)
            facts = {
                "event": event.title,
                "day": date_text(when),
                "status": registration.get_status_display(),
            }
            if registration.status == Status.WAITING:
                line = gettext(
                    "Your registration for %(event)s (%(day)s, %(status)s) is cancelled."
                )
            else:
                line = gettext(
                    "Your registration for %(event)s (%(day)s, %(status)s) is cancelled; the next "
                    "person waiting gets your place."
                )
            lines.append(line % facts)
        else:
            kept += 1
    if kept:
        lines.append(
            ngettext(
                "%(count)s earlier registration stays as an anonymous number in its event's "
                "counts, without your name or answers.",
                "%(count)s earlier registrations stay as anonymous numbers in their events' "
                "counts, without your name or answers.",
                kept,
            )
            % {"count": kept}
        )
    return lines


def removed_registrations(event: Event) -> tuple[datetime | None, int]:
    """When the event's data were purged (None: not yet) and how many of its rows no longer
    name a person (purged, or their account deleted), in one query."""
    purged_at, removed = (
        Event.objects.filter(pk=event.pk)
        .annotate(removed=Count("registrations", filter=Q(registrations__user__isnull=True)))
        .values_list("purge__purged_at", "removed")
        .get()
    )
    return purged_at, removed
