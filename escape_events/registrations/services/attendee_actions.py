"""What a registered person does with their place: cancel it or switch mode.

Organisers may do both on their behalf; a freed place goes to the next in line.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .. import mails
from ..changes import item, line_label
from ..models import Registration
from ..rules import (
    RegistrationRefused,
    cancellation_deadline,
    is_organiser,
    membership_refusal,
    place_refusal,
)
from .history import modifier, record_change
from .promotion import promote_waiting_list
from .seats import Mode, Status, locked, read_availability, set_status, settings_for


def _can_cancel(*, registration: Registration, by, now, account_deleted: bool) -> None:
    if is_organiser(event=registration.event, user=by):
        return
    if by.pk != registration.user_id:
        raise RegistrationRefused(
            gettext("This is not your registration."), code="forbidden", status=403
        )
    if account_deleted:
        return
    settings = settings_for(registration.event)
    if now >= cancellation_deadline(event=registration.event, settings=settings):
        raise RegistrationRefused(
            gettext("The cancellation deadline has passed; please write to the organisers."),
            code="deadline",
            status=409,
        )


def cancel_registration(
    *, registration: Registration, by, now=None, account_deleted: bool = False
) -> Registration:
    """Cancel (attendee before the deadline, or an organiser) and give the place to the next.

    `account_deleted`: the person is deleting their account, which ends their places whatever
    the deadline."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = locked(registration)
        if registration.status == Status.CANCELLED:
            return registration
        if registration.status == Status.REJECTED:
            raise RegistrationRefused(gettext("This registration was declined."), code="rejected")
        _can_cancel(registration=registration, by=by, now=now, account_deleted=account_deleted)
        set_status(registration, Status.CANCELLED, now)
        if not account_deleted:  # the account deletion's own mail tells what was cancelled
            mails.send(registration, "cancelled")
        promote_waiting_list(event=registration.event, now=now)
    return registration


def switch_mode(
    *, registration: Registration, mode: str, by, keep_waiting: bool = False, now=None
) -> Registration:
    """Move to the other mode when it has room; the freed place goes to the next in line.

    With `keep_waiting`, someone on a waiting list takes the other mode now and keeps their
    place in the line they leave ("join remotely now, stay on the on-site waiting list").
    Taking a place follows the rules of registering: not at a cancelled or finished event, only
    while registration is open (organisers acting for someone: until the event ends), and only
    for members of the groups the event is restricted to; the person switches until the
    modification deadline. The switch is kept in the registration's history.
    """
    now = now or timezone.now()
    with transaction.atomic():
        registration = locked(registration)
        on_behalf = registration.user_id != by.pk
        by_organiser = modifier(registration=registration, by=by, now=now)
        settings = settings_for(registration.event)
        if not registration.is_active or settings is None:
            raise RegistrationRefused(gettext("This registration is not active."), code="inactive")
        if mode not in Mode.values or not settings.allows(mode):
            raise RegistrationRefused(
                gettext("This way of attending is not offered."), code="tampered"
            )
        if mode == registration.mode:
            return registration
        refusal = place_refusal(
            event=registration.event, settings=settings, now=now, by_organiser=on_behalf
        ) or membership_refusal(settings=settings, user=registration.user)
        if refusal:
            raise refusal
        if not read_availability(settings).has_room(mode):
            raise RegistrationRefused(
                gettext("%(mode)s is full; you keep your current place.")
                % {"mode": Mode(mode).label},
                code="full",
                status=409,
            )
        was_waiting = registration.status == Status.WAITING
        before = (registration.mode, registration.waiting_for_mode)
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
        changes = [item("Attendance", Mode(before[0]).label, Mode(mode).label)]
        waits_for = registration.waiting_for_mode
        if before[1] != waits_for:
            changes.append(item("Waiting list", line_label(before[1]), line_label(waits_for)))
        # Someone who leaves a waiting list for a place is told by the "promoted" mail.
        record_change(
            registration=registration,
            by=by,
            by_organiser=by_organiser,
            changes=changes,
            now=now,
            mail=not was_waiting,
        )
        if was_waiting:
            mails.send(registration, "promoted")
        promote_waiting_list(event=registration.event, now=now)
    return registration
