"""The background worker production runs (instead of django_tasks_db's `db_worker`): the same
task loop, plus recovery of tasks whose worker died, and it outlives a database restart."""

import logging

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from escape_events.core.polling import poll
from escape_events.core.tasks import requeue_stale_tasks

logger = logging.getLogger("escape_events.worker")


class Command(BaseCommand):
    help = "Run background tasks; tasks of a worker that died run again (see TASKS_LEASE_SECONDS)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="run what is due, then exit")

    def handle(self, *, interval, batch, **options):
        # The library's loop logs each empty pass ("No more tasks..."): once a second here.
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()  # SIGTERM: finish the running task, then exit

        def step():
            if recovered := requeue_stale_tasks():
                logger.warning("Recovered %d task(s) whose worker stopped.", recovered)
            worker.run()  # until no task is ready

        poll(step, interval=interval, batch=batch, logger=logger, running=lambda: worker.running)
