"""What only organisers do: approve, reject, promote by hand."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .. import mails
from ..models import Registration
from ..rules import RegistrationRefused, is_organiser, membership_refusal, place_refusal
from .promotion import promote_waiting_list
from .seats import Status, locked, set_status, settings_for


def approve(*, registration: Registration, by, now=None) -> Registration:
    """Organiser confirms a pending registration (its seat was already held)."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = locked(registration)
        _require_organiser(registration, by)
        if registration.status != Status.PENDING:
            raise RegistrationRefused(
                gettext("Only pending registrations can be approved."), code="state"
            )
        _require_open_to(registration, now)
        set_status(registration, Status.CONFIRMED, now)
        mails.send(registration, "approved")
    return registration


def reject(*, registration: Registration, by, now=None) -> Registration:
    """Organiser declines a registration; a held seat goes to the next in line."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = locked(registration)
        _require_organiser(registration, by)
        if not registration.is_active:
            raise RegistrationRefused(gettext("This registration is not active."), code="state")
        set_status(registration, Status.REJECTED, now)
        mails.send(registration, "rejected")
        promote_waiting_list(event=registration.event, now=now)
    return registration


def promote_by_hand(*, registration: Registration, by, now=None) -> Registration:
    """Organiser confirms someone from the waiting list even when the mode is full: their call."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = locked(registration)
        _require_organiser(registration, by)
        if registration.status not in (Status.WAITING, Status.PENDING) and not (
            registration.waiting_for_mode
        ):
            raise RegistrationRefused(
                gettext("Only waiting or pending people can be promoted."), code="state"
            )
        _require_open_to(registration, now)
        freed = registration.mode if registration.waiting_for_mode else ""
        if registration.waiting_for_mode:
            registration.mode = registration.waiting_for_mode
        registration.waiting_for_mode = ""
        registration.waiting_since = None
        registration.status = Status.CONFIRMED
        registration.status_changed_at = now
        registration.save()
        mails.send(registration, "promoted")
        if freed:
            promote_waiting_list(event=registration.event, modes=[freed], now=now)
    return registration


def _require_organiser(registration: Registration, by) -> None:
    if not is_organiser(event=registration.event, user=by):
        raise RegistrationRefused(
            gettext("Only the organisers can do this."), code="forbidden", status=403
        )


def _require_open_to(registration: Registration, now) -> None:
    """Giving someone a place by hand: not at a cancelled or finished event, and only to a
    member of the groups the event is restricted to (after registration closed is fine)."""
    settings = settings_for(registration.event)
    refusal = place_refusal(
        event=registration.event, settings=settings, now=now, by_organiser=True
    ) or membership_refusal(settings=settings, user=registration.user)
    if refusal:
        raise refusal
