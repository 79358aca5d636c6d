"""Two secretaries save the same minutes from the same revision at the same instant, on real
PostgreSQL connections: the row lock lets one in and refuses the other with a clear conflict.
The control fetches the row without the lock and shows the second save failing on the revision
number instead (a database error, not a message), so the first test can fail."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import IntegrityError, close_old_connections, connection

from escape_events.timetable import minutes as minutes_module
from escape_events.timetable.minutes import MinutesConflict, save_minutes
from escape_events.timetable.models import Minutes, MinutesRevision

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def slow_lock(monkeypatch, *, lock: bool):
    """Widen the window between reading the revision and writing the next one."""
    original = minutes_module._locked

    def slow(event, entry, *, create):
        if lock:
            found = original(event, entry, create=create)
        else:
            found = Minutes.objects.filter(event=event, entry=entry).order_by("pk").first()
        time.sleep(0.3)
        return found

    monkeypatch.setattr(minutes_module, "_locked", slow)


def two_save_at_once(event, entry) -> list[Exception]:
    barrier = threading.Barrier(2)
    failed: list[Exception] = []

    def save(text):
        try:
            barrier.wait()
            save_minutes(event=event, entry=entry, text=text, base_revision=1, by=None)
        except (MinutesConflict, IntegrityError) as error:
            failed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("Mine", "Yours")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return failed


@pytest.fixture
def item(hands_on, add):
    entry = add(hands_on, hands_on.start, hands_on.start + timedelta(minutes=30))
    save_minutes(event=hands_on, entry=entry, text="First", base_revision=0, by=None)
    return entry


def test_two_saves_from_the_same_revision_one_wins_one_is_told(hands_on, item, monkeypatch):
    slow_lock(monkeypatch, lock=True)
    failed = two_save_at_once(hands_on, item)
    assert [type(error) for error in failed] == [MinutesConflict]
    assert MinutesRevision.objects.filter(minutes__entry=item).count() == 2


def test_control_without_the_lock_the_second_save_hits_the_database(hands_on, item, monkeypatch):
    slow_lock(monkeypatch, lock=False)
    failed = two_save_at_once(hands_on, item)
    assert [type(error) for error in failed] == [IntegrityError]
