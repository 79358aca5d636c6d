"""The printout worker: makes the PDFs organisers asked for in the background."""

import logging

from django.core.management.base import BaseCommand

from escape_events.core.polling import serve
from escape_events.organisers.printouts.jobs import make_next

logger = logging.getLogger("escape_events.organisers")


class Command(BaseCommand):
    help = "Make the PDF printouts organisers requested (badges, certificates of long lists)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")
        parser.add_argument(
            "--batch", action="store_true", help="make the oldest waiting PDF, then exit"
        )

    def handle(self, *, interval, batch, **options):
        def step():
            if (job := make_next()) is not None:
                logger.info("Made %s: %s", job, job.get_status_display())

        serve(step, interval=interval, batch=batch, logger=logger)
