"""The mail worker: delivers the outbox over SMTP. Run one or more beside the app servers."""

import logging

from django.core.management.base import BaseCommand

from escape_events.core.polling import serve
from escape_events.outbox.services import deliver_due

logger = logging.getLogger("escape_events.outbox")


class Command(BaseCommand):
    help = "Deliver queued mails (retries with backoff; takes over mails of a worker that died)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="deliver what is due, then exit")

    def handle(self, *, interval, batch, **options):
        def step():
            if tried := deliver_due():
                logger.info("Tried %d mail(s).", tried)

        serve(step, interval=interval, batch=batch, logger=logger)
