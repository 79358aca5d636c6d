"""The mail worker: delivers the outbox over SMTP. Run one or more beside the app servers."""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections

from escape_events.outbox.services import deliver_due

logger = logging.getLogger("escape_events.outbox")


class Command(BaseCommand):
    help = "Deliver queued mails (retries with backoff; takes over mails of a worker that died)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="deliver what is due, then exit")

    def handle(self, *, interval, batch, **options):
        self.running = True

        def stop(signum, frame):
            self.running = False  # the mail being sent is finished first

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while self.running:
            try:
                if delivered := deliver_due():
                    logger.info("Tried %d mail(s).", delivered)
            except (OperationalError, InterfaceError) as error:
                logger.warning("Database unavailable (%s); retrying in %.1f s.", error, interval)
                close_old_connections()
            if batch:
                return
            time.sleep(interval)
