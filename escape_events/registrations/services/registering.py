"""Registering for one event, or for several co-located ones in one go."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from escape_events.events import locking
from escape_events.events.models import Event

from .. import mails
from ..availability import Availability, availability_and_holding, options_free
from ..models import Answer, Question, Registration, RegistrationSettings
from ..rules import (
    RegistrationRefused,
    clean_answers,
    full_option_refusal,
    place_refusal,
    refusal_reason,
)
from .promotion import promote_waiting_list
from .seats import Mode, Status, event_and_settings, line_of, settings_for


@dataclass
class RegistrationRequest:
    """One event of a (possibly co-located) registration: mode, answers, consent."""

    event: Event
    mode: str
    answers: Mapping[int, str] = field(default_factory=dict)
    consent_to_list: bool = False
    wait_for_mode: str = ""
    privacy_notice_id: int | None = None  # the version the person accepted


def _place(
    *,
    availability: Availability,
    settings: RegistrationSettings,
    mode: str,
    wait_for_mode: str,
    now,
) -> dict:
    """Status fields for a new registration in `mode`, from the rows as they are now."""
    if availability.has_room(mode):
        status = Status.PENDING if settings.needs_approval else Status.CONFIRMED
        waiting_since = now if wait_for_mode else None
        return {"status": status, "waiting_since": waiting_since, "waiting_for_mode": wait_for_mode}
    return {"status": Status.WAITING, "waiting_since": now, "waiting_for_mode": ""}


def register_together(
    *,
    user: AbstractBaseUser,
    requests: Sequence[RegistrationRequest],
    now=None,
    added_by: AbstractBaseUser | None = None,
) -> list[tuple[Registration, bool]]:
    """Register one person for one or several (co-located) events in one transaction.

    Returns (registration, created) per request. Submitting again while a registration is active
    returns the existing one unchanged: a double click or a browser retry makes no second row.
    Nothing is stored when any request is refused. `added_by`: an organiser registers the
    person (`adding.add_participant`), under the same seat rules but without the personal ones.
    """
    before_lock = [
        _check_person(user=user, request=request, now=now, added_by=added_by)
        for request in requests
    ]
    results: list[tuple[Registration, bool]] = []
    try:
        with transaction.atomic():
            locking.lock_events(request.event.pk for request in requests)
            # Read the clock inside the lock: the waiting list is ordered by it.
            now = now or timezone.now()
            for request, questions in zip(requests, before_lock, strict=True):
                results.append(
                    _register_one(
                        user=user, request=request, questions=questions, now=now, added_by=added_by
                    )
                )
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
    return results


def register(
    *,
    event: Event,
    user: AbstractBaseUser,
    mode: str,
    answers: Mapping[int, str] | None = None,
    consent_to_list: bool = False,
    wait_for_mode: str = "",
    privacy_notice_id: int | None = None,
    now=None,
) -> tuple[Registration, bool]:
    """Register for one event; see `register_together`."""
    request = RegistrationRequest(
        event=event,
        mode=mode,
        answers=answers or {},
        consent_to_list=consent_to_list,
        wait_for_mode=wait_for_mode,
        privacy_notice_id=privacy_notice_id,
    )
    return register_together(user=user, requests=[request], now=now)[0]


# What an organiser adding someone by hand may override: the registration window, the person's
# unconfirmed address (they are invited), group restrictions. Seats and the event's state stay.
ORGANISER_WAIVES = frozenset({"not_open", "closed", "unverified", "restricted", "login"})


def _refuse_unless_waived(reason: RegistrationRefused | None, added_by) -> None:
    if reason and not (added_by is not None and reason.code in ORGANISER_WAIVES):
        raise reason


def _check_person(*, user, request: RegistrationRequest, now, added_by) -> list[Question]:
    """Ask every rule before the lock, with the settings the caller read along with the event
    (else from the database), and return the questions to answer. Whether the person may take
    part (signed in, address confirmed, groups) and what the event asks change no seat, so
    asking here keeps everyone queued behind the lock waiting for less; what the lock protects
    (the event's state and window, the seats) is asked again under it."""
    event = request.event
    if Event.registration_settings.is_cached(event):
        settings = getattr(event, "registration_settings", None)
    else:
        settings = settings_for(event)
    reason = refusal_reason(event=event, settings=settings, user=user, now=now)
    _refuse_unless_waived(reason, added_by)
    # People added by organisers answer nothing unless the organiser's list gave answers (an
    # import): those are checked like anyone's, but nothing is required of them.
    if added_by is not None and not request.answers:
        return []
    # The questions the caller read along with the event (selectors.event_to_register), if so.
    asked = getattr(event, "asked_questions", None)
    return asked if asked is not None else list(event.questions.all())


def _register_one(
    *, user, request: RegistrationRequest, questions: list[Question], now, added_by=None
) -> tuple[Registration, bool]:
    event, settings = event_and_settings(request.event.pk)
    _refuse_unless_waived(place_refusal(event=event, settings=settings, now=now), added_by)
    availability, holds = availability_and_holding(settings, user)
    if holds:
        existing = Registration.objects.filter(
            event=event, user=user, status__in=Registration.ACTIVE_STATUSES
        ).first()
        return existing, False
    if request.mode not in Mode.values or not settings.allows(request.mode):
        raise RegistrationRefused(gettext("This way of attending is not offered."), code="tampered")
    if request.wait_for_mode and (
        request.wait_for_mode == request.mode
        or request.wait_for_mode not in Mode.values
        or not settings.allows(request.wait_for_mode)
    ):
        raise RegistrationRefused(gettext("This waiting list is not offered."), code="tampered")
    answers = clean_answers(
        questions=questions, answers=request.answers, enforce_required=added_by is None
    )
    # Limited options are counted here, under the lock, like seats (no query when none is).
    full = full_option_refusal(questions=questions, answers=answers, free=options_free(questions))
    if full:
        raise full
    registration = Registration.objects.create(
        event=event,
        user=user,
        mode=request.mode,
        consent_to_list=request.consent_to_list,
        privacy_notice_id=request.privacy_notice_id,
        status_changed_at=now,
        **_place(
            availability=availability,
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
    mails.send(registration, "registered", added_by=added_by.display_name if added_by else "")
    line = line_of(registration)
    if line and availability[line].free != 0:
        # A seat is free although people are in line (a stale page asked to wait, or those ahead
        # may not take it): serve the line now, in order; the newcomer may be among them.
        promote_waiting_list(event=event, modes=[line], now=now)
        registration.refresh_from_db()
    return registration, True
