"""Real concurrency on PostgreSQL: threads with their own connections race for the last seats.

Each race widens its window where the path really decides (see `pause_after_reading_availability`)
and asserts every racer reached the pause; each has a control that switches the event lock off
(`without_event_locks`) and shows the same race going wrong, so the race tests can fail.
"""

import threading
import time

import pytest
from django.core import mail
from django.db import close_old_connections, connection

from escape_events.events import locking as event_locking
from escape_events.events.models import Event
from escape_events.events.services import update_event
from escape_events.registrations import services
from escape_events.registrations.availability import Availability
from escape_events.registrations.models import Registration

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Mode = Registration.Mode
Status = Registration.Status


def race(targets, *, delays=None, errors_expected=False):
    """Run every callable in its own thread, released together by a barrier (each then waits
    its delay in seconds, if given); returns the errors raised, and asserts there are none
    unless `errors_expected`."""
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target, delay):
        try:
            barrier.wait()
            time.sleep(delay)
            target()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    delays = delays or [0] * len(targets)
    threads = [
        threading.Thread(target=run, args=pair) for pair in zip(targets, delays, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert errors_expected or not errors, errors
    return errors


def pause_after_reading_availability(monkeypatch, seconds: float = 0.05) -> list[int]:
    """Widen the window between reading the seats and writing, as a busy server would; returns
    the threads that paused (one entry per pause made inside a transaction).

    The pause wraps the constructor of `Availability`, the value object every seat decision is
    made from, rather than the query that fills it: registering reads the counts together with
    the person's holding, promotion reads them alone, and either read may be renamed or moved to
    the ORM, but the write that follows is decided from this object, so the pause always falls
    between the read and the write. Tests assert that every racer paused, so they fail if the
    path stops getting here.
    """
    paused: list[int] = []
    original = Availability.__init__

    def pause(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if connection.in_atomic_block:
            paused.append(threading.get_ident())
            time.sleep(seconds)

    monkeypatch.setattr(Availability, "__init__", pause)
    return paused


def thirty_racers_for_ten_seats(make_registrable, make_user, monkeypatch):
    """Thirty people press "register" at the same instant for ten on-site seats; each pauses
    between reading the seats and inserting its row."""
    event = make_registrable(onsite=10)
    people = [make_user() for _ in range(30)]
    paused = pause_after_reading_availability(monkeypatch)
    race([
        lambda person=person: services.register(event=event, user=person, mode=Mode.ONSITE)
        for person in people
    ])  # fmt: skip
    # Racers run at once, so their thread ids are distinct: every one of them paused.
    assert len(set(paused)) == len(people)
    return event


def test_thirty_racers_for_ten_seats_give_ten_confirmed_and_twenty_waiting_in_order(
    make_registrable, make_user, monkeypatch
):
    event = thirty_racers_for_ten_seats(make_registrable, make_user, monkeypatch)
    rows = list(Registration.objects.filter(event=event))
    assert sum(r.status == Status.CONFIRMED for r in rows) == 10
    waiting = sorted(
        (r for r in rows if r.status == Status.WAITING), key=lambda r: (r.waiting_since, r.pk)
    )
    assert len(waiting) == 20
    # The waiting list is in the order the lock admitted people: by insertion order.
    assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)


def test_the_same_person_submitting_ten_times_at_once_gets_one_registration(
    make_registrable, make_user
):
    event = make_registrable(onsite=10)
    person = make_user()
    race([lambda: services.register(event=event, user=person, mode=Mode.ONSITE)] * 10)
    assert Registration.objects.filter(event=event, user=person).count() == 1


def ten_holders_cancel_at_once(make_registrable, make_user, monkeypatch):
    """Ten people hold the ten seats and ten wait; the holders cancel at the same instant, each
    pausing between reading the seats and promoting."""
    event = make_registrable(onsite=10)
    holders = [make_user() for _ in range(10)]
    waiters = [make_user() for _ in range(10)]
    seats = [services.register(event=event, user=p, mode=Mode.ONSITE)[0] for p in holders]
    for person in waiters:
        services.register(event=event, user=person, mode=Mode.ONSITE)
    paused = pause_after_reading_availability(monkeypatch)
    race([
        lambda seat=seat, person=person: services.cancel_registration(registration=seat, by=person)
        for seat, person in zip(seats, holders, strict=True)
    ])  # fmt: skip
    assert len(set(paused)) == len(holders)
    return event, waiters


def promotion_mails():
    return [m.to[0] for m in mail.outbox if m.subject.startswith("A place opened up")]


def test_concurrent_cancellations_promote_each_waiting_person_exactly_once(
    make_registrable, make_user, monkeypatch
):
    event, waiters = ten_holders_cancel_at_once(make_registrable, make_user, monkeypatch)
    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED)
    assert sorted(confirmed.values_list("user", flat=True)) == sorted(p.pk for p in waiters)
    assert not Registration.objects.filter(event=event, status=Status.WAITING).exists()
    # ... and each is told exactly once.
    assert sorted(promotion_mails()) == sorted(p.email for p in waiters)


@pytest.mark.usefixtures("without_event_locks")
def test_control_without_the_lock_the_same_race_overbooks(make_registrable, make_user, monkeypatch):
    """Shows that the race test bites: switch the event lock off and seats are oversold."""
    event = thirty_racers_for_ten_seats(make_registrable, make_user, monkeypatch)
    confirmed = Registration.objects.filter(event=event, status=Status.CONFIRMED).count()
    assert confirmed > 10


@pytest.mark.usefixtures("without_event_locks")
def test_control_without_the_lock_concurrent_cancellations_promote_someone_twice(
    make_registrable, make_user, monkeypatch
):
    """Shows that the cancellation race bites: without the lock, cancellations that read the
    same waiting list promote the same first person, and someone is left waiting."""
    event, _ = ten_holders_cancel_at_once(make_registrable, make_user, monkeypatch)
    promotions = promotion_mails()
    assert len(promotions) > len(set(promotions))
    assert Registration.objects.filter(event=event, status=Status.WAITING).exists()


@pytest.fixture
def held_alongside_race(make_registrable, make_user, monkeypatch):
    """An organiser saves one event's "held alongside" list (adding the other) while someone
    registers for both together. Each side pauses while holding its locks, as a busy server
    would, so that the other one arrives in the middle."""
    first, second = make_registrable(), make_registrable()  # first.pk < second.pk
    organiser = make_user()
    for event in (first, second):
        event.organisers.add(organiser)
    person = make_user()
    original_clean = Event.full_clean
    saving_paused: list[int] = []

    def slow_clean(self, *args, **kwargs):  # update_event, after taking its locks
        saving_paused.append(self.pk)
        time.sleep(0.3)
        return original_clean(self, *args, **kwargs)

    monkeypatch.setattr(Event, "full_clean", slow_clean)
    # register_together, after taking its locks
    registering_paused = pause_after_reading_availability(monkeypatch, seconds=0.3)

    def run(*, saved_is_second, organiser_first):
        saved, partner = (second, first) if saved_is_second else (first, second)

        def save():
            update_event(
                event=saved,
                values={"summary": "Held alongside the other one"},
                colocated_with=[partner],
                by=organiser,
            )

        def register_both():
            services.register_together(
                user=person,
                requests=[
                    services.RegistrationRequest(event=first, mode=Mode.ONSITE),
                    services.RegistrationRequest(event=second, mode=Mode.ONSITE),
                ],
            )

        delays = (0, 0.1) if organiser_first else (0.1, 0)
        errors = race([save, register_both], delays=delays, errors_expected=True)
        return errors, first, second, person, saving_paused, registering_paused

    return run


@pytest.mark.parametrize("organiser_first", [True, False])
@pytest.mark.parametrize("saved_is_second", [True, False])
def test_saving_held_alongside_while_someone_registers_for_both_never_deadlocks(
    held_alongside_race, organiser_first, saved_is_second
):
    errors, first, second, person, saving_paused, registering_paused = held_alongside_race(
        saved_is_second=saved_is_second, organiser_first=organiser_first
    )
    assert errors == []
    # Both sides paused while holding their locks (the registration once per event).
    assert saving_paused and len(registering_paused) == 2
    assert set(first.colocated_with.values_list("pk", flat=True)) == {second.pk}
    assert Registration.objects.filter(user=person, status=Status.CONFIRMED).count() == 2


def test_control_locking_only_the_saved_event_deadlocks(held_alongside_race, monkeypatch):
    """Shows that the race test bites: lock only the event being saved (as before the one
    locking helper) and PostgreSQL detects the deadlock."""
    monkeypatch.setattr(
        event_locking,
        "lock_with_partners",
        lambda event_id, also=(): event_locking.lock_events([event_id]),
    )
    errors, _first, second, _person, saving_paused, _ = held_alongside_race(
        saved_is_second=True, organiser_first=True
    )
    assert saving_paused == [second.pk]
    assert any("deadlock detected" in str(error) for error in errors), errors
