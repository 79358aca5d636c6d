"""The one way to lock events and series before changing them.

Every write that changes who holds a seat, which events are held together, an agenda or who
organises an event or series locks the rows here, inside its transaction, and no other module
calls `select_for_update` on `Event` or `Series` (tests/events/test_locking.py). Events are
locked once, in primary-key order: two writers that need the same events always queue in the
same order, so none can hold one event while waiting for another held by the other (no
deadlock). A writer that needs a series and its meetings locks the series first. Co-location
rows reference both events, so saving "held alongside" locks the event and all its partners,
old and new (pretix: "lock everything whose availability goes down, once").

Locking outside a transaction would end the lock at once: Django's `select_for_update` refuses
it with `TransactionManagementError` (on databases that lock rows).
"""

from collections.abc import Iterable

from django.db import transaction

from .models import Event, Series

# Enough for any real edit; each retry means someone changed this event's partners meanwhile.
PARTNER_RETRIES = 5


def lock_events(event_ids: Iterable[int]) -> list[int]:
    """Lock the event rows in primary-key order (SELECT ... FOR UPDATE); returns the ids found.

    Call it inside a transaction, before reading what the locked rows protect, in later
    statements: a statement that waited for a lock sees the other tables as they were when it
    began (a registration's settings read in the locking statement miss a capacity an organiser
    changed meanwhile; tests/registrations/test_lock_then_read.py).
    """
    locked = Event.objects.select_for_update().filter(pk__in=set(event_ids)).order_by("pk")
    return list(locked.values_list("pk", flat=True))


def lock_event(event_id: int) -> Event:
    """Lock one event and read it again, as the previous holder of the lock left it.

    Raises `Event.DoesNotExist` when it was deleted meanwhile."""
    if not lock_events([event_id]):
        raise Event.DoesNotExist(f"Event {event_id} no longer exists.")
    return Event.objects.get(pk=event_id)


def lock_series(series_id: int) -> Series:
    """Lock a series (before any of its meetings) and return its row as now committed.

    Raises `Series.DoesNotExist` when it was deleted meanwhile."""
    return Series.objects.select_for_update().get(pk=series_id)


def partner_ids(event_id: int) -> set[int]:
    """The events held alongside this one."""
    through = Event.colocated_with.through
    return set(through.objects.filter(from_event_id=event_id).values_list("to_event_id", flat=True))


class _PartnersChanged(Exception):
    pass


def lock_with_partners(event_id: int, also: Iterable[int] = ()) -> set[int]:
    """Lock an event, every event held alongside it and `also` (events about to become
    partners), in one sorted pass; returns the locked ids.

    The partners are read before the lock; if someone changed them meanwhile, the savepoint is
    rolled back (which releases its row locks) and the sorted pass is made again.
    """
    also = set(also)
    for _attempt in range(PARTNER_RETRIES):
        wanted = {event_id, *also, *partner_ids(event_id)}
        try:
            with transaction.atomic():
                lock_events(wanted)
                if partner_ids(event_id) - wanted:
                    raise _PartnersChanged
                return wanted
        except _PartnersChanged:
            continue
    raise RuntimeError(f"The partners of event {event_id} kept changing; try again.")
