"""Who may change a registration after it was made, and the record of each change.

The person may until the event's modification deadline (`rules.modification_deadline`); the
organisers may at any time. Every change is kept (RegistrationChange: who, when, field, before,
after) and mailed to the person, in the change's transaction.
"""

from django.utils.translation import gettext

from .. import mails
from ..models import Registration, RegistrationChange
from ..rules import RegistrationRefused, is_organiser, modification_deadline
from .seats import settings_for


def modifier(*, registration: Registration, by, now) -> bool:
    """Whether `by` acts as an organiser; raises when they may not change this registration."""
    if is_organiser(event=registration.event, user=by):
        return True
    if by is None or by.pk != registration.user_id:
        raise RegistrationRefused(
            gettext("This is not your registration."), code="forbidden", status=403
        )
    if not registration.is_active:
        raise RegistrationRefused(gettext("This registration is not active."), code="inactive")
    event = registration.event
    if now >= modification_deadline(event=event, settings=settings_for(event)):
        raise RegistrationRefused(
            gettext("Changes online are closed; please write to %(contact)s.")
            % {"contact": event.contact_email}
            if event.contact_email
            else gettext("Changes online are closed; please write to the organisers."),
            code="deadline",
            status=409,
        )
    return False


def record_change(
    *,
    registration: Registration,
    by,
    by_organiser: bool,
    changes: list[dict],
    now,
    mail: bool = True,
) -> RegistrationChange | None:
    """Keep what changed and tell the person, unless another mail of the same step already does
    (`mail`); nothing is kept when nothing changed."""
    if not changes:
        return None
    change = RegistrationChange.objects.create(
        registration=registration,
        at=now,
        by=by if by is not None and by.is_authenticated else None,
        by_organiser=by_organiser,
        changes=changes,
    )
    change.registration = registration
    if mail:
        mails.send_changed(change)
    return change
