"""Two organisers fill the same free slot at the same instant, on real PostgreSQL connections:
the event's row lock lets exactly one in. The control test switches the lock off and shows the
clash getting through, so the first test can fail."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from escape_events.timetable import services
from escape_events.timetable.models import Entry

from .conftest import at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_check(monkeypatch):
    """Widen the window between checking the agenda and storing, as a busy server would; returns
    the titles of the entries that paused. Every agenda write decides from `agenda_problems`,
    as the services module calls it, whether the entry fits."""
    original = services.agenda_problems
    paused: list[str] = []

    def slow(event, placed):
        problems = original(event, placed)
        paused.extend(slot.title for slot in placed)
        time.sleep(0.3)
        return problems

    monkeypatch.setattr(services, "agenda_problems", slow)
    return paused


def two_organisers_add_clashing_talks(event) -> list[Exception]:
    barrier = threading.Barrier(2)
    refused: list[Exception] = []

    def add(title):
        try:
            barrier.wait()
            services.add_entry(
                event=event,
                values={"start": at(1, "15:00"), "end": at(1, "15:30"), "title": title},
            )
        except ValidationError as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(title,)) for title in ("Mine", "Yours")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return refused


def test_two_organisers_racing_for_one_slot_store_one_entry(hands_on, slow_check):
    refused = two_organisers_add_clashing_talks(hands_on)
    assert sorted(slow_check) == ["Mine", "Yours"]
    assert Entry.objects.filter(event=hands_on).count() == 1
    assert len(refused) == 1 and "It overlaps" in refused[0].messages[0]


@pytest.mark.usefixtures("without_event_locks")
def test_control_without_the_lock_both_get_in(hands_on, slow_check):
    two_organisers_add_clashing_talks(hands_on)
    assert sorted(slow_check) == ["Mine", "Yours"]
    assert Entry.objects.filter(event=hands_on).count() == 2
