"""Writes on registrations: register, cancel, switch mode, promote, approve, reject.

Every write that can take or free a seat locks the event row(s) once (`_lock_events`), then
derives availability from the registration rows inside the same transaction. There is no counter
that could drift, and two people can never take the last seat at once.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from escape_events.accounts.selectors import has_verified_email
from escape_events.events.models import Event

from . import mails
from .models import Answer, Question, Registration, RegistrationSettings

# The control race test switches this off to show that without the lock seats are overbooked.
LOCKING_ENABLED = True

MAX_ANSWER_LENGTH = 2000

Mode = Registration.Mode
Status = Registration.Status


class RegistrationRefused(Exception):
    """A registration rule said no; `message` is shown to the person as it is."""

    def __init__(self, message: str, *, code: str = "refused", status: int = 400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass
class RegistrationRequest:
    """One event of a (possibly co-located) registration: mode, answers, consent."""

    event: Event
    mode: str
    answers: Mapping[int, str] = field(default_factory=dict)
    consent_to_list: bool = False
    wait_for_mode: str = ""


def _lock_events(event_ids: Iterable[int]) -> None:
    """Lock the event rows, always in primary-key order so that two multi-event registrations
    cannot deadlock. Everything that changes who holds a seat goes through here first."""
    if not LOCKING_ENABLED:
        return
    list(
        Event.objects.select_for_update()
        .filter(pk__in=sorted(set(event_ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def seats_taken(*, event: Event, mode: str) -> int:
    """Confirmed and pending registrations hold a seat in their mode."""
    return Registration.objects.filter(
        event=event, mode=mode, status__in=Registration.SEAT_STATUSES
    ).count()


def waiting_list(*, event: Event, mode: str):
    """Who waits for a seat in `mode`, first come first served: people on the waiting list and
    people holding a place in the other mode while they wait for this one."""
    return Registration.objects.filter(
        Q(mode=mode, status=Status.WAITING)
        | Q(waiting_for_mode=mode, status__in=Registration.SEAT_STATUSES),
        event=event,
    ).order_by("waiting_since", "pk")


def free_seats(*, event: Event, settings: RegistrationSettings, mode: str) -> int | None:
    """Seats left in `mode` (None: unlimited). Exact only inside the lock."""
    capacity = settings.capacity_for(mode)
    if capacity is None:
        return None
    return max(capacity - seats_taken(event=event, mode=mode), 0)


def has_room(*, event: Event, settings: RegistrationSettings, mode: str) -> bool:
    free = free_seats(event=event, settings=settings, mode=mode)
    if free is not None and free <= 0:
        return False
    return not waiting_list(event=event, mode=mode).filter(status=Status.WAITING).exists()


def refusal_reason(
    *, event: Event, settings: RegistrationSettings | None, user, now=None
) -> RegistrationRefused | None:
    """Why this person may not register for this event now, or None when they may."""
    now = now or timezone.now()
    if settings is None or not settings.registration_required:
        return RegistrationRefused(
            "This event does not take registrations.", code="no_registration", status=404
        )
    if event.is_cancelled:
        return RegistrationRefused("This event has been cancelled.", code="cancelled", status=409)
    if event.end <= now:
        return RegistrationRefused("This event is over.", code="over", status=409)
    if now < settings.opens_at:
        opens = timezone.localtime(settings.opens_at, event.zone)
        return RegistrationRefused(
            f"Registration opens on {opens:%d %b %Y at %H:%M} ({event.time_zone}).",
            code="not_open",
            status=409,
        )
    closes_at = settings.closes_at or event.start
    if now >= closes_at:
        return RegistrationRefused("Registration is closed.", code="closed", status=409)
    if not user.is_authenticated:
        return RegistrationRefused("Log in to register.", code="login", status=403)
    if not has_verified_email(user):
        return RegistrationRefused(
            "Confirm your e-mail address first: follow the link we sent you.",
            code="unverified",
            status=403,
        )
    groups = list(settings.restricted_to_groups.all())
    if groups and not user.groups.filter(pk__in=[group.pk for group in groups]).exists():
        names = ", ".join(group.name for group in groups)
        return RegistrationRefused(
            f"Registration is open to members of {names} only.", code="restricted", status=403
        )
    return None


def clean_answers(*, questions: Sequence[Question], answers: Mapping[int, str]) -> dict[int, str]:
    """Check answers against the questions; raises RegistrationRefused naming the problem."""
    cleaned: dict[int, str] = {}
    known = {question.pk: question for question in questions}
    for key in answers:
        if key not in known:
            raise RegistrationRefused("An answer refers to an unknown question.", code="tampered")
    for question in questions:
        value = (answers.get(question.pk) or "").strip()
        if len(value) > MAX_ANSWER_LENGTH:
            raise RegistrationRefused(
                f'The answer to "{question.label}" is too long '
                f"(at most {MAX_ANSWER_LENGTH} characters).",
                code="too_long",
            )
        if not value:
            if question.required:
                raise RegistrationRefused(
                    f'Please answer "{question.label}".', code="missing_answer"
                )
            continue
        if question.kind == Question.Kind.YES_NO and value not in {"yes", "no"}:
            raise RegistrationRefused(f'Answer "{question.label}" with yes or no.', code="invalid")
        if question.kind == Question.Kind.SINGLE_CHOICE and value not in question.choices:
            raise RegistrationRefused(
                f'Pick one of the options for "{question.label}".', code="invalid"
            )
        if question.kind == Question.Kind.MULTIPLE_CHOICE and not set(value.splitlines()) <= set(
            question.choices
        ):
            raise RegistrationRefused(
                f'Pick among the options for "{question.label}".', code="invalid"
            )
        cleaned[question.pk] = value
    return cleaned


def _settings_for(event: Event) -> RegistrationSettings | None:
    return RegistrationSettings.objects.filter(event=event).first()


def _place(
    *, event: Event, settings: RegistrationSettings, mode: str, wait_for_mode: str, now
) -> dict:
    """Status fields for a new registration in `mode`, from the rows as they are now."""
    if has_room(event=event, settings=settings, mode=mode):
        status = Status.PENDING if settings.needs_approval else Status.CONFIRMED
        waiting_since = now if wait_for_mode else None
        return {"status": status, "waiting_since": waiting_since, "waiting_for_mode": wait_for_mode}
    return {"status": Status.WAITING, "waiting_since": now, "waiting_for_mode": ""}


def register_together(
    *, user: AbstractBaseUser, requests: Sequence[RegistrationRequest], now=None
) -> list[tuple[Registration, bool]]:
    """Register one person for one or several (co-located) events in one transaction.

    Returns (registration, created) per request. Submitting again while a registration is active
    returns the existing one unchanged: a double click or a browser retry makes no second row.
    Nothing is stored when any request is refused.
    """
    results: list[tuple[Registration, bool]] = []
    try:
        with transaction.atomic():
            _lock_events(request.event.pk for request in requests)
            # Read the clock inside the lock: the waiting list is ordered by it.
            now = now or timezone.now()
            for request in requests:
                results.append(_register_one(user=user, request=request, now=now))
    except IntegrityError:
        # Only reachable without the lock (or a concurrent request for the same person):
        # the database's one-active-registration rule held, so hand back what exists.
        return [
            (
                Registration.objects.get(
                    event=request.event, user=user, status__in=Registration.ACTIVE_STATUSES
                ),
                False,
            )
            for request in requests
        ]
    for registration, created in results:
        if created:
            mails.after_commit(registration, "registered")
    return results


def register(
    *,
    event: Event,
    user: AbstractBaseUser,
    mode: str,
    answers: Mapping[int, str] | None = None,
    consent_to_list: bool = False,
    wait_for_mode: str = "",
    now=None,
) -> tuple[Registration, bool]:
    """Register for one event; see `register_together`."""
    request = RegistrationRequest(
        event=event,
        mode=mode,
        answers=answers or {},
        consent_to_list=consent_to_list,
        wait_for_mode=wait_for_mode,
    )
    return register_together(user=user, requests=[request], now=now)[0]


def _register_one(*, user, request: RegistrationRequest, now) -> tuple[Registration, bool]:
    event = Event.objects.get(pk=request.event.pk)
    settings = _settings_for(event)
    reason = refusal_reason(event=event, settings=settings, user=user, now=now)
    if reason:
        raise reason
    existing = Registration.objects.filter(
        event=event, user=user, status__in=Registration.ACTIVE_STATUSES
    ).first()
    if existing:
        return existing, False
    if request.mode not in Mode.values or not settings.allows(request.mode):
        raise RegistrationRefused("This way of attending is not offered.", code="tampered")
    if request.wait_for_mode and (
        request.wait_for_mode == request.mode
        or request.wait_for_mode not in Mode.values
        or not settings.allows(request.wait_for_mode)
    ):
        raise RegistrationRefused("This waiting list is not offered.", code="tampered")
    answers = clean_answers(questions=list(event.questions.all()), answers=request.answers)
    registration = Registration.objects.create(
        event=event,
        user=user,
        mode=request.mode,
        consent_to_list=request.consent_to_list,
        status_changed_at=now,
        **_place(
            event=event,
            settings=settings,
            mode=request.mode,
            wait_for_mode=request.wait_for_mode,
            now=now,
        ),
    )
    Answer.objects.bulk_create(
        Answer(registration=registration, question_id=pk, value=value)
        for pk, value in answers.items()
    )
    return registration, True


def promote_waiting_list(
    *, event: Event, modes: Iterable[str] = (), now=None
) -> list[Registration]:
    """Fill free seats from the waiting lists, first come first served, each person once.

    Someone who held a place in the other mode while waiting moves over, which frees that place
    in turn, so the other mode's list is processed too.
    """
    now = now or timezone.now()
    promoted: list[Registration] = []
    with transaction.atomic():
        _lock_events([event.pk])
        settings = _settings_for(event)
        if settings is None:
            return promoted
        todo = [mode for mode in (modes or Mode.values) if settings.allows(mode)]
        while todo:
            mode = todo.pop(0)
            while True:
                free = free_seats(event=event, settings=settings, mode=mode)
                if free is not None and free <= 0:
                    break
                candidate = waiting_list(event=event, mode=mode).first()
                if candidate is None:
                    break
                if candidate.status == Status.WAITING:
                    candidate.status = (
                        Status.PENDING if settings.needs_approval else (Status.CONFIRMED)
                    )
                else:
                    freed = candidate.mode
                    if freed not in todo:
                        todo.append(freed)
                candidate.mode = mode
                candidate.waiting_for_mode = ""
                candidate.waiting_since = None
                candidate.status_changed_at = now
                candidate.save(
                    update_fields=[
                        "status", "mode", "waiting_for_mode", "waiting_since", "status_changed_at"
                    ]
                )  # fmt: skip
                promoted.append(candidate)
        for registration in promoted:
            mails.after_commit(registration, "promoted")
    return promoted


def _can_cancel(*, registration: Registration, by, now) -> None:
    if is_organiser(event=registration.event, user=by):
        return
    if by.pk != registration.user_id:
        raise RegistrationRefused("This is not your registration.", code="forbidden", status=403)
    settings = _settings_for(registration.event)
    deadline = (settings and settings.cancellation_deadline) or registration.event.start
    if now >= deadline:
        raise RegistrationRefused(
            "The cancellation deadline has passed; please write to the organisers.",
            code="deadline",
            status=409,
        )


def is_organiser(*, event: Event, user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if event.organisers.filter(pk=user.pk).exists():
        return True
    return bool(event.series_id and event.series.organisers.filter(pk=user.pk).exists())


def _set_status(registration: Registration, status: str, now) -> None:
    registration.status = status
    registration.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if status in (Status.CANCELLED, Status.REJECTED):
        registration.waiting_for_mode = ""
        registration.waiting_since = None
        fields += ["waiting_for_mode", "waiting_since"]
    if status == Status.CANCELLED:
        registration.cancelled_at = now
        fields.append("cancelled_at")
    registration.save(update_fields=fields)


def _locked(registration: Registration) -> Registration:
    _lock_events([registration.event_id])
    return Registration.objects.select_related("event", "user").get(pk=registration.pk)


def cancel_registration(*, registration: Registration, by, now=None) -> Registration:
    """Cancel (attendee before the deadline, or an organiser) and give the place to the next."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _locked(registration)
        if registration.status == Status.CANCELLED:
            return registration
        if registration.status == Status.REJECTED:
            raise RegistrationRefused("This registration was declined.", code="rejected")
        _can_cancel(registration=registration, by=by, now=now)
        _set_status(registration, Status.CANCELLED, now)
        mails.after_commit(registration, "cancelled")
        promote_waiting_list(event=registration.event, now=now)
    return registration


def switch_mode(
    *, registration: Registration, mode: str, by, keep_waiting: bool = False, now=None
) -> Registration:
    """Move to the other mode when it has room; the freed place goes to the next in line.

    With `keep_waiting`, someone on a waiting list takes the other mode now and keeps their
    place in the line they leave ("join remotely now, stay on the on-site waiting list").
    """
    now = now or timezone.now()
    with transaction.atomic():
        registration = _locked(registration)
        if registration.user_id != by.pk and not is_organiser(event=registration.event, user=by):
            raise RegistrationRefused(
                "This is not your registration.", code="forbidden", status=403
            )
        settings = _settings_for(registration.event)
        if not registration.is_active or settings is None:
            raise RegistrationRefused("This registration is not active.", code="inactive")
        if mode not in Mode.values or not settings.allows(mode):
            raise RegistrationRefused("This way of attending is not offered.", code="tampered")
        if mode == registration.mode:
            return registration
        if not has_room(event=registration.event, settings=settings, mode=mode):
            raise RegistrationRefused(
                f"{Mode(mode).label} is full; you keep your current place.",
                code="full",
                status=409,
            )
        was_waiting = registration.status == Status.WAITING
        if was_waiting and keep_waiting:
            registration.waiting_for_mode = registration.mode
        else:
            registration.waiting_for_mode = ""
            registration.waiting_since = None
        registration.mode = mode
        if was_waiting:
            registration.status = Status.PENDING if settings.needs_approval else Status.CONFIRMED
        registration.status_changed_at = now
        registration.save()
        if was_waiting:
            mails.after_commit(registration, "promoted")
        promote_waiting_list(event=registration.event, now=now)
    return registration


def set_capacity(
    *, settings: RegistrationSettings, onsite_capacity: int | None, remote_capacity: int | None
) -> list[Registration]:
    """Change capacities; raising one promotes people from its waiting list at once."""
    with transaction.atomic():
        _lock_events([settings.event_id])
        settings.onsite_capacity = onsite_capacity
        settings.remote_capacity = remote_capacity
        settings.save(update_fields=["onsite_capacity", "remote_capacity"])
        return promote_waiting_list(event=settings.event)


def approve(*, registration: Registration, by, now=None) -> Registration:
    """Organiser confirms a pending registration (its seat was already held)."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _locked(registration)
        _require_organiser(registration, by)
        if registration.status != Status.PENDING:
            raise RegistrationRefused("Only pending registrations can be approved.", code="state")
        _set_status(registration, Status.CONFIRMED, now)
        mails.after_commit(registration, "approved")
    return registration


def reject(*, registration: Registration, by, now=None) -> Registration:
    """Organiser declines a registration; a held seat goes to the next in line."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _locked(registration)
        _require_organiser(registration, by)
        if not registration.is_active:
            raise RegistrationRefused("This registration is not active.", code="state")
        _set_status(registration, Status.REJECTED, now)
        mails.after_commit(registration, "rejected")
        promote_waiting_list(event=registration.event, now=now)
    return registration


def promote_by_hand(*, registration: Registration, by, now=None) -> Registration:
    """Organiser confirms someone from the waiting list even when the mode is full: their call."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = _locked(registration)
        _require_organiser(registration, by)
        if registration.status not in (Status.WAITING, Status.PENDING) and not (
            registration.waiting_for_mode
        ):
            raise RegistrationRefused(
                "Only waiting or pending people can be promoted.", code="state"
            )
        freed = registration.mode if registration.waiting_for_mode else ""
        if registration.waiting_for_mode:
            registration.mode = registration.waiting_for_mode
        registration.waiting_for_mode = ""
        registration.waiting_since = None
        registration.status = Status.CONFIRMED
        registration.status_changed_at = now
        registration.save()
        mails.after_commit(registration, "promoted")
        if freed:
            promote_waiting_list(event=registration.event, modes=[freed], now=now)
    return registration


def _require_organiser(registration: Registration, by) -> None:
    if not is_organiser(event=registration.event, user=by):
        raise RegistrationRefused("Only the organisers can do this.", code="forbidden", status=403)
