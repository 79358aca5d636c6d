"""The loop of the background worker (`deliver_mail`): poll, and outlive a
database restart instead of exiting (a supervisor such as honcho would then stop everything)."""

import logging
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
