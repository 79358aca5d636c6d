"""The lock discipline on PostgreSQL: lock the event, then read what it protects in a later
statement, which sees what the previous holder committed; reading it in the locking statement
itself would not (its snapshot predates the wait)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from escape_events.events.locking import lock_events
from escape_events.events.models import Event
from escape_events.registrations.models import RegistrationSettings

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _capacity_seen_by_a_second_writer(event, read) -> int:
    """A first writer locks the event and lowers its capacity to 3; a second, arriving while
    the first holds the lock, reads the capacity with `read` inside its own transaction."""
    locked = threading.Event()
    seen = []

    def first():
        with transaction.atomic():
            lock_events([event.pk])
            locked.set()
            time.sleep(0.3)
            RegistrationSettings.objects.filter(event=event).update(onsite_capacity=3)

    def second():
        locked.wait()
        with transaction.atomic():
            seen.append(read())

    threads = [threading.Thread(target=_closing(first)), threading.Thread(target=_closing(second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seen[0]


def _closing(target):
    def run():
        try:
            target()
        finally:
            connection.close()

    return run


def test_settings_read_after_the_lock_are_the_ones_the_previous_holder_committed(
    make_registrable,
):
    event = make_registrable(onsite=10)

    def lock_then_read():
        lock_events([event.pk])
        return RegistrationSettings.objects.get(event=event).onsite_capacity

    assert _capacity_seen_by_a_second_writer(event, lock_then_read) == 3


def test_control_settings_read_in_the_locking_statement_are_stale(make_registrable):
    event = make_registrable(onsite=10)

    def read_while_locking():
        locked = (
            Event.objects.select_for_update(of=("self",))
            .select_related("registration_settings")
            .get(pk=event.pk)
        )
        return locked.registration_settings.onsite_capacity

    assert _capacity_seen_by_a_second_writer(event, read_while_locking) == 10


def test_locking_outside_a_transaction_is_refused(make_registrable):
    event = make_registrable(onsite=1)
    with pytest.raises(TransactionManagementError):
        lock_events([event.pk])
    with transaction.atomic():
        assert lock_events([event.pk, event.pk]) == [event.pk]
