"""Seats are derived, not counted: lock the event rows once, then read the registration rows.

Every write that can take or free a seat calls `lock_events` (or `locked`) first and derives
availability inside the same transaction, so two people can never take the last seat at once.
"""

from collections.abc import Iterable

from django.db.models import Q

from escape_events.events.models import Event

from ..models import Registration, RegistrationSettings

# The control race test switches this off to show that without the lock seats are overbooked.
LOCKING_ENABLED = True

Mode = Registration.Mode
Status = Registration.Status


def lock_events(event_ids: Iterable[int]) -> None:
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


def locked(registration: Registration) -> Registration:
    """Lock the registration's event, then read the row again: the caller's copy may be stale."""
    lock_events([registration.event_id])
    return Registration.objects.select_related("event", "user").get(pk=registration.pk)


def settings_for(event: Event) -> RegistrationSettings | None:
    """The event's registration settings; None when it never took registrations."""
    return RegistrationSettings.objects.filter(event=event).first()


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


def set_status(registration: Registration, status: str, now) -> None:
    """Record a status change; someone cancelled or rejected leaves every waiting list too."""
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
