"""Who may take a place now, which answers are acceptable, who counts as an organiser.

The rules every write asks before it touches a seat, and that pages ask to show what is
possible; they read, never write (services and selectors both import them).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings as site_settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from escape_events.accounts.selectors import verified_addresses
from escape_events.events.models import Event
from escape_events.events.permissions import organises

from . import question_kinds
from .models import Question, Registration, RegistrationSettings

MAX_ANSWER_LENGTH = question_kinds.MAX_ANSWER_LENGTH


class RegistrationRefused(Exception):
    """A registration rule said no; `message` is shown to the person as it is."""

    def __init__(self, message: str, *, code: str = "refused", status: int = 400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def registration_closes(*, event: Event, settings: RegistrationSettings) -> datetime:
    """When registering ends: the closing time the organisers set, or the start."""
    return settings.closes_at or event.start


def cancellation_deadline(*, event: Event, settings: RegistrationSettings | None) -> datetime:
    """Until when attendees cancel by themselves: the deadline set, or the start."""
    return (settings and settings.cancellation_deadline) or event.start


def modification_deadline(*, event: Event, settings: RegistrationSettings | None) -> datetime:
    """Until when attendees change their registration themselves (answers, names, mode, waiting
    lines): the deadline set, or when registration closes."""
    if settings is None:
        return event.start
    return settings.modification_deadline or registration_closes(event=event, settings=settings)


def place_refusal(
    *, event: Event, settings: RegistrationSettings | None, now=None, by_organiser: bool = False
) -> RegistrationRefused | None:
    """Why nobody can be given a place at this event now, or None.

    Registering, switching mode and promotion from the waiting list all ask this: a cancelled
    or finished event is inert, and places change hands only while registration is open. An
    organiser acting by hand (approval, promotion) may still do so after registration closed,
    until the event ends: the list is theirs to finish.
    """
    now = now or timezone.now()
    if settings is None or not settings.registration_required:
        return RegistrationRefused(
            gettext("This event does not take registrations."), code="no_registration", status=404
        )
    if event.is_cancelled:
        return RegistrationRefused(
            gettext("This event has been cancelled."), code="cancelled", status=409
        )
    if event.end <= now:
        return RegistrationRefused(gettext("This event is over."), code="over", status=409)
    if by_organiser:
        return None
    if now < settings.opens_at:
        opens = timezone.localtime(settings.opens_at, event.zone)
        return RegistrationRefused(
            gettext("Registration opens on %(day)s at %(time)s (%(zone)s).")
            % {
                "day": date_format(opens, "DATE_FORMAT"),
                "time": date_format(opens, "H:i"),
                "zone": event.time_zone,
            },
            code="not_open",
            status=409,
        )
    if now >= registration_closes(event=event, settings=settings):
        return RegistrationRefused(gettext("Registration is closed."), code="closed", status=409)
    return None


@dataclass(frozen=True)
class PersonFacts:
    """What the person's own rules ask: a verified address, and membership of the groups the
    event is restricted to (if it is)."""

    verified: bool
    restricted: bool
    member: bool


def person_facts(*, settings: RegistrationSettings, user) -> PersonFacts:
    """The person's `PersonFacts` for this event, in one query."""
    restrictions = RegistrationSettings.restricted_to_groups.through.objects.filter(
        registrationsettings=settings
    )
    facts = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            verified=Exists(verified_addresses().filter(user=OuterRef("pk"))),
            restricted=Exists(restrictions),
            member=Exists(restrictions.filter(group__user=OuterRef("pk"))),
        )
        .values("verified", "restricted", "member")
        .get()
    )
    return PersonFacts(**facts)


def membership_refusal(
    *, settings: RegistrationSettings, user, facts: PersonFacts | None = None
) -> RegistrationRefused | None:
    """Why this person is outside the groups the event is restricted to, or None (`facts`: the
    person's, if the caller read them already)."""
    facts = facts or person_facts(settings=settings, user=user)
    if facts.restricted and not facts.member:
        names = ", ".join(group.name for group in settings.restricted_to_groups.all())
        return RegistrationRefused(
            gettext("Registration is open to members of %(groups)s only.") % {"groups": names},
            code="restricted",
            status=403,
        )
    return None


def person_refusal(*, settings: RegistrationSettings, user) -> RegistrationRefused | None:
    """Why this signed-in person may not register (address not confirmed, outside the groups
    the event is restricted to), or None: one query asks both."""
    facts = person_facts(settings=settings, user=user)
    if not facts.verified:
        return RegistrationRefused(
            gettext("Confirm your e-mail address first: follow the link we sent you."),
            code="unverified",
            status=403,
        )
    return membership_refusal(settings=settings, user=user, facts=facts)


def refusal_reason(
    *, event: Event, settings: RegistrationSettings | None, user, now=None
) -> RegistrationRefused | None:
    """Why this person may not register for this event now, or None when they may."""
    reason = place_refusal(event=event, settings=settings, now=now)
    if reason:
        return reason
    if not user.is_authenticated:
        return RegistrationRefused(gettext("Log in to register."), code="login", status=403)
    return person_refusal(settings=settings, user=user)


def clean_answers(
    *, questions: Sequence[Question], answers: Mapping[int, str], enforce_required: bool = True
) -> dict[int, str]:
    """Check answers against the questions (each kind as `question_kinds` says) and return them
    as stored; raises RegistrationRefused naming the problem. A conditional question whose
    condition is not met is neither required nor stored; a section heading takes no answer.
    `enforce_required=False`: what an organiser knows of someone they add (an imported list)."""
    cleaned: dict[int, str] = {}
    known = {question.pk: question for question in questions}
    for key in answers:
        if key not in known:
            raise RegistrationRefused(
                gettext("An answer refers to an unknown question."), code="tampered"
            )
    for question in questions:
        if not question_kinds.kind_of(question).asks or not question_kinds.condition_met(
            question, cleaned, known
        ):
            continue
        try:
            value = question_kinds.clean_answer(
                question, answers.get(question.pk), required=question.required and enforce_required
            )
        except question_kinds.AnswerInvalid as invalid:
            raise _answer_refusal(question, invalid) from None
        if value:
            cleaned[question.pk] = value
    return cleaned


def _answer_refusal(question: Question, invalid) -> RegistrationRefused:
    if invalid.code == "required":
        return RegistrationRefused(
            gettext('Please answer "%(question)s".') % {"question": question.label},
            code="missing_answer",
        )
    if invalid.code == "max_length":
        return RegistrationRefused(
            gettext('The answer to "%(question)s" is too long: %(problem)s')
            % {"question": question.label, "problem": invalid.message},
            code="too_long",
        )
    return RegistrationRefused(
        # Translators: a question of the registration form, then what is wrong with its answer.
        gettext('"%(question)s": %(problem)s')
        % {"question": question.label, "problem": invalid.message},
        code="invalid",
    )


def full_option_refusal(
    *, questions: Sequence[Question], answers: Mapping[int, str], free: Mapping[int, Mapping]
) -> RegistrationRefused | None:
    """Why these answers cannot be taken because an option they pick has none left (`free`:
    `availability.options_free`), or None."""
    for question in questions:
        left = free.get(question.pk)
        if not left:
            continue
        for option in question_kinds.chosen_options(question, answers.get(question.pk, "")):
            if left.get(option) == 0:
                return RegistrationRefused(
                    gettext(
                        '"%(option)s" (%(question)s) has none left: please pick another option.'
                    )
                    % {"option": option, "question": question.label},
                    code="option_full",
                    status=409,
                )
    return None


def retention_months(settings: RegistrationSettings | None) -> int:
    """The event's period, never longer than the site's (which may have been lowered since)."""
    site = site_settings.REGISTRATION_RETENTION_MONTHS
    if settings is None or settings.retention_months is None:
        return site
    return min(settings.retention_months, site)


def purge_due_at(*, event: Event, settings: RegistrationSettings | None) -> datetime:
    """When the registration data of the event are purged (the retention period is over)."""
    return event.end + relativedelta(months=retention_months(settings))


def is_organiser(*, event: Event, user) -> bool:
    """Whether `user` runs the event (events.permissions is the one place that knows)."""
    return organises(user, event)


def sees_remote_link(
    *, user, registration: Registration | None, registration_required: bool
) -> bool:
    """Who is given the link to join remotely. Where registration is required, a confirmed remote
    registration; elsewhere (open events, series followed for reminders) any signed-in person,
    whose address is verified. Event pages also show it to the event's organisers."""
    if registration_required:
        return registration is not None and registration.joins_remotely
    return user.is_authenticated
