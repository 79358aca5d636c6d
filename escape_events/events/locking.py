"""The one way to lock events before changing who holds a seat or which events are held together.

Every such write locks the event rows it touches here, once, in primary-key order, inside its
transaction: two writers that need the same events always queue in the same order, so none can
hold one event while waiting for another held by the other (no deadlock). Co-location rows
reference both events, so saving "held alongside" locks the event and all its partners, old and
new (pretix: "lock everything whose availability goes down, once").
"""

from collections.abc import Iterable
from functools import cache

from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from .models import Event

# Enough for any real edit; each retry means someone changed this event's partners meanwhile.
PARTNER_RETRIES = 5


def lock_events(event_ids: Iterable[int]) -> list[int]:
    """Lock the event rows in primary-key order (SELECT ... FOR UPDATE); returns the ids found.

    Call it inside a transaction, before reading what the locked rows protect, in later
    statements: a statement that waited for a lock sees the other tables as they were when it
    began (a registration's settings read in the locking statement miss a capacity an organiser
    changed meanwhile; tests/registrations/test_lock_then_read.py).
    """
    ids = sorted(set(event_ids))
    if not ids:
        return []
    if connection.get_autocommit():  # as select_for_update() refuses: the lock would end at once
        raise TransactionManagementError("lock_events needs a transaction (transaction.atomic).")
    with connection.cursor() as cursor:
        cursor.execute(_lock_statement(len(ids)), ids)
        return [pk for (pk,) in cursor.fetchall()]


@cache
def _lock_statement(count: int) -> str:
    """SELECT the ids FOR UPDATE, in primary-key order, written once per number of events rather
    than compiled by the ORM on every registration (names from the model, quoted)."""
    quote = connection.ops.quote_name
    table, key = quote(Event._meta.db_table), quote(Event._meta.pk.column)
    placeholders = ", ".join(["%s"] * count)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return f"SELECT {key} FROM {table} WHERE {key} IN ({placeholders}) ORDER BY {key}{lock}"  # noqa: S608


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
