"""The loop of the background worker (`deliver_mail`): poll, and outlive a
database restart instead of exiting (a supervisor such as honcho would then stop everything)."""

import logging
import signal
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, close_old_connections


def poll(
    step: Callable[[], None],
    *,
    interval: float,
    batch: bool,
    logger: logging.Logger,
    running: Callable[[], bool] = lambda: True,
) -> None:
    """Call `step` every `interval` seconds while `running()`; once only with `batch`."""
    while running():
        try:
            step()
        except (OperationalError, InterfaceError) as error:
            # The database is restarting: wait and carry on; nothing is lost (work is rows).
            logger.warning("Database unavailable (%s); retrying in %.1f s.", error, interval)
            close_old_connections()
        if batch:
            return
        time.sleep(interval)


def serve(
    step: Callable[[], None], *, interval: float, batch: bool, logger: logging.Logger
) -> None:
    """A worker command's life: `poll` until SIGTERM or SIGINT, which let the step under way
    finish first (a mail being sent, a PDF being made)."""
    running = True

    def stop(signum, frame):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    poll(step, interval=interval, batch=batch, logger=logger, running=lambda: running)
