"""How long one registration holds the event lock: from the lock granted to the commit.

    .venv/bin/python benchmarks/lock_hold.py --people 200 --seats 50 --rounds 5

At the opening second everyone's POST queues on the one event row, so the last person in line
waits for every holder before them: the time under the lock is what the peak multiplies. The
people register one after another (no queue, so the figure is the hold alone, not the wait)
through `registrations.services.register`, on a scratch PostgreSQL database kept for the next
run. Prints, per round, the median and the 90th percentile of the hold.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from scratch_db import ensure_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/lock_hold_bench")
    return parser.parse_args()


def start_django(url: str) -> None:
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "escape_events.settings")
    # The confirmation mails are queued in the transaction, as in production.
    os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def event_and_people(*, people: int, seats: int):
    """The event (registration open, `seats` on-site places) and `people` with a verified
    address; made once and kept."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from escape_events.events.models import Event
    from escape_events.registrations.models import RegistrationSettings

    now = timezone.now()
    event, _ = Event.objects.get_or_create(
        slug="lock-hold",
        defaults={"title": "Lock hold", "start": now + timedelta(days=30),
                  "end": now + timedelta(days=30, hours=3)},
    )  # fmt: skip
    RegistrationSettings.objects.update_or_create(
        event=event, defaults={"opens_at": now - timedelta(days=1), "onsite_capacity": seats}
    )
    User = get_user_model()
    for number in range(User.objects.filter(username__startswith="holder").count(), people):
        user = User.objects.create_user(
            f"holder{number}", f"holder{number}@example.org", first_name="Holder"
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return event, list(User.objects.filter(username__startswith="holder").order_by("pk")[:people])


def holds_of_one_round(event, people) -> list[float]:
    """Everyone registers once; the seconds from each lock granted to its commit."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from escape_events.events.models import Event
    from escape_events.registrations.models import Registration
    from escape_events.registrations.services import register, registering

    Registration.objects.filter(event=event).delete()
    DBTaskResult.objects.all().delete()
    holds: list[float] = []
    lock = registering.lock_events

    def timed_lock(event_ids):
        lock(event_ids)
        granted = time.perf_counter()
        transaction.on_commit(lambda: holds.append(time.perf_counter() - granted))

    registering.lock_events = timed_lock
    try:
        for person in people:
            register(event=Event.objects.get(pk=event.pk), user=person, mode="onsite")
    finally:
        registering.lock_events = lock
    return holds


def main() -> None:
    args = parse_args()
    start_django(args.url)
    event, people = event_and_people(people=args.people, seats=args.seats)
    holds_of_one_round(event, people[:20])  # warm up: code loaded, connection open
    medians = []
    for number in range(args.rounds):
        holds = sorted(holds_of_one_round(event, people))
        medians.append(statistics.median(holds))
        print(
            f"round {number + 1}: {len(holds)} registrations, lock held "
            f"median {medians[-1] * 1000:.2f} ms, "
            f"90th percentile {holds[int(len(holds) * 0.9)] * 1000:.2f} ms"
        )
    print(
        f"median of the rounds' medians: {statistics.median(medians) * 1000:.2f} ms "
        f"({min(medians) * 1000:.2f}–{max(medians) * 1000:.2f}); load average "
        + " ".join(f"{value:.2f}" for value in os.getloadavg())
    )


if __name__ == "__main__":
    main()
