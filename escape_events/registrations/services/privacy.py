"""Registration data and privacy: how long an event keeps them, the purge after that, a person's
consent to be listed, and a person leaving (deleting their account).

What is personal is the link to the person and their answers (and the history of their place);
what counts for the organisers is the row itself: mode, status, when it arrived, the check-in.
Purging and forgetting therefore delete answers and history and empty `Registration.user`, and
keep the rows, so counts, check-in figures and the chart stay exactly as they were.
"""

from django.conf import settings as site_settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from escape_events.events.models import Event
from escape_events.events.when import date_text

from ..models import (
    Answer,
    Registration,
    RegistrationChange,
    RegistrationPurge,
    RegistrationSettings,
    StatusChange,
)
from ..rules import RegistrationRefused, is_organiser, purge_due_at
from ..signals import registration_data_purged
from .attendee_actions import cancel_registration
from .registration_settings import save_registration_settings


def set_retention_period(*, settings: RegistrationSettings, months: int | None, by) -> None:
    """An organiser shortens (or resets to the site's, with None) how long data are kept."""
    if not is_organiser(event=settings.event, user=by):
        raise RegistrationRefused(
            gettext("Only the organisers can do this."), code="forbidden", status=403
        )
    site = site_settings.REGISTRATION_RETENTION_MONTHS
    if months is not None and not 0 <= months <= site:
        raise RegistrationRefused(
            gettext("Keep registration data between 0 and %(max)s months after the event.")
            % {"max": site},
            code="retention",
        )
    save_registration_settings(event=settings.event, values={"retention_months": months})
    settings.retention_months = months


def _remove_personal_data(registrations) -> tuple[int, int]:
    """Delete answers and history (of the place, and of the changes made, which hold answers,
    names and the organisers' note) of these rows and let go of their person, tags and note, in
    a fixed number of statements whatever the number of rows (no row is loaded into memory).
    Returns (rows, answers)."""
    answers, _ = Answer.objects.filter(registration__in=registrations).delete()
    StatusChange.objects.filter(registration__in=registrations).delete()
    RegistrationChange.objects.filter(registration__in=registrations).delete()
    Registration.tags.through.objects.filter(registration__in=registrations).delete()
    rows = registrations.update(user=None, consent_to_list=False, note="")
    return rows, answers


def purge_event_registrations(*, event: Event, now=None) -> RegistrationPurge | None:
    """Remove the personal data of one event's registrations; None if it was already done.

    Creating the event's RegistrationPurge row claims the event: a second job (same machine or
    another) waits on the unique index and then finds it taken, so the purge runs once."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                purge = RegistrationPurge.objects.create(
                    event=event, purged_at=now, registrations=0, answers=0
                )
        except IntegrityError:
            return None
        rows, answers = _remove_personal_data(
            Registration.objects.filter(event=event, user__isnull=False)
        )
        purge.registrations, purge.answers = rows, answers
        purge.save(update_fields=["registrations", "answers"])
        registration_data_purged.send(sender=RegistrationPurge, event=event, now=now)
    return purge


def events_due_for_purge(now=None) -> list[Event]:
    """Ended events with registrations, not yet purged, whose retention period is over."""
    now = now or timezone.now()
    candidates = (
        Event.objects.filter(end__lte=now, purge__isnull=True)
        .filter(Exists(Registration.objects.filter(event=OuterRef("pk"))))
        .select_related("registration_settings")
        .order_by("end", "pk")
    )
    return [
        event
        for event in candidates
        if purge_due_at(event=event, settings=getattr(event, "registration_settings", None)) <= now
    ]


def purge_due_registrations(*, now=None) -> list[RegistrationPurge]:
    """The scheduled job: purge every event past its period. Safe to run twice or on two
    machines at once; a second run finds nothing left to do."""
    now = now or timezone.now()
    purges = []
    for event in events_due_for_purge(now):
        purge = purge_event_registrations(event=event, now=now)
        if purge is not None:
            purges.append(purge)
    return purges


def set_listing_consent(*, registration: Registration, by, consent: bool) -> Registration:
    """The person says (again) whether their name may appear on the public participant list."""
    if registration.user_id is None or registration.user_id != by.pk:
        raise RegistrationRefused(
            gettext("This is not your registration."), code="forbidden", status=403
        )
    registration.consent_to_list = consent
    registration.save(update_fields=["consent_to_list"])
    return registration


def forget_person(*, user, by, now=None) -> list[str]:
    """A person deletes their account: cancel their places in events not over yet (through the
    cancel service, so the next in line moves up and is mailed once), then remove their answers
    and history and let go of every row they had, which stays for the counts.

    Events are taken in primary-key order, the order every seat lock follows."""
    now = now or timezone.now()
    done = []
    upcoming = (
        Registration.objects.filter(
            user=user, status__in=Registration.ACTIVE_STATUSES, event__end__gt=now
        )
        .select_related("event")
        .order_by("event_id")
    )
    for registration in upcoming:
        cancel_registration(registration=registration, by=by, now=now, account_deleted=True)
        when = timezone.localtime(registration.event.start, registration.event.zone)
        done.append(
            gettext("Cancelled your registration for %(event)s (%(day)s).")
            % {"event": registration.event.title, "day": date_text(when)}
        )
    rows, _ = _remove_personal_data(Registration.objects.filter(user=user))
    if rows:
        done.append(
            ngettext(
                "%(count)s registration now counts only as an anonymous number.",
                "%(count)s registrations now count only as anonymous numbers.",
                rows,
            )
            % {"count": rows}
        )
    return done
