"""Seats are derived, not counted: lock the event rows once, then read the registration rows.

Every write that can take or free a seat locks its events first with the one locking helper of
events (`events.locking.lock_events`: sorted, once; `locked` for a registration's event), and
reads availability inside the same transaction, so two people can never take the last seat at
once.
"""

from django.utils import timezone

from escape_events.events import locking
from escape_events.events.models import Event

from ..availability import LINE_ORDER, Availability, in_line, load_availability
from ..models import Registration, RegistrationSettings

Mode = Registration.Mode
Status = Registration.Status


def locked(registration: Registration) -> Registration:
    """Lock the registration's event, then read the row again: the caller's copy may be stale."""
    locking.lock_events([registration.event_id])
    return Registration.objects.select_related("event", "user").get(pk=registration.pk)


def settings_for(event: Event) -> RegistrationSettings | None:
    """The event's registration settings; None when it never took registrations."""
    return RegistrationSettings.objects.filter(event=event).first()


def event_and_settings(event_id: int) -> tuple[Event, RegistrationSettings | None]:
    """The event and its registration settings read again (under the lock), in one query;
    raises Event.DoesNotExist when the event is gone."""
    event = Event.objects.select_related("registration_settings").get(pk=event_id)
    return event, getattr(event, "registration_settings", None)


def read_availability(settings: RegistrationSettings) -> Availability:
    """Places per mode, from the rows as they are now (exact under the lock)."""
    return load_availability(settings)


def waiting_lines(event: Event) -> list[Registration]:
    """Everyone in line at the event, first come first served (one query)."""
    return list(
        Registration.objects.filter(in_line(), event=event)
        .select_related("user")
        .order_by(*LINE_ORDER)
    )


def line_of(registration: Registration) -> str:
    """The mode a registration waits for ("" when it is in no line)."""
    if registration.status == Status.WAITING:
        return registration.mode
    if registration.status in Registration.SEAT_STATUSES:
        return registration.waiting_for_mode
    return ""


def set_status(registration: Registration, status: str, now=None) -> None:
    """Record a status change; someone cancelled or rejected leaves every waiting list too."""
    now = now or timezone.now()
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
