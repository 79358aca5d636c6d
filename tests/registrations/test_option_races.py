"""Limited options ("borrow a laptop: 5 available") under real concurrency on PostgreSQL: counted
under the event lock like seats, with a control that switches the lock off and overbooks."""

import threading
import time

import pytest
from django.db import connection

from escape_events.registrations import services
from escape_events.registrations.models import Answer, Question, Registration
from escape_events.registrations.services import registering
from tests.registrations.test_races import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LAPTOP = "Yes, lend me one"


def pause_after_counting_options(monkeypatch, seconds: float = 0.05) -> list[int]:
    """Widen the window between counting the options taken and storing the answer; returns
    the threads that paused inside a transaction (the path registering really takes)."""
    paused: list[int] = []
    original = registering.options_free

    def pause(questions):
        free = original(questions)
        if connection.in_atomic_block and free:
            paused.append(threading.get_ident())
            time.sleep(seconds)
        return free

    monkeypatch.setattr(registering, "options_free", pause)
    return paused


def twelve_racers_for_five_laptops(make_registrable, make_user, monkeypatch):
    event = make_registrable(onsite=None)
    laptop = Question.objects.create(
        event=event,
        label="Borrow a laptop?",
        kind=Question.Kind.SINGLE_CHOICE,
        choices=[LAPTOP, "No, I bring mine"],
        option_limits={LAPTOP: 5},
    )
    people = [make_user() for _ in range(12)]
    paused = pause_after_counting_options(monkeypatch)
    errors = race(
        [
            lambda person=person: services.register(
                event=event, user=person, mode="onsite", answers={laptop.pk: LAPTOP}
            )
            for person in people
        ],
        errors_expected=True,
    )
    assert len(set(paused)) == len(people)  # every racer counted, then paused
    return laptop, errors


def test_twelve_racers_for_five_laptops_give_five_and_refuse_seven(
    make_registrable, make_user, monkeypatch
):
    laptop, errors = twelve_racers_for_five_laptops(make_registrable, make_user, monkeypatch)
    assert Answer.objects.filter(question=laptop, value=LAPTOP).count() == 5
    assert Registration.objects.filter(event=laptop.event).count() == 5
    assert len(errors) == 7
    assert {error.code for error in errors} == {"option_full"}


def test_without_the_event_lock_the_laptops_are_overbooked(
    make_registrable, make_user, monkeypatch, without_event_locks
):
    laptop, errors = twelve_racers_for_five_laptops(make_registrable, make_user, monkeypatch)
    assert not errors
    assert Answer.objects.filter(question=laptop, value=LAPTOP).count() > 5
