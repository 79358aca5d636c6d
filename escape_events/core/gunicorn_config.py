"""gunicorn's settings for the app servers of the production stack (`--config
python:escape_events.core.gunicorn_config`): the access log without health checks, and workers
that die with their master, so a master killed with -9 leaves no worker holding its port."""

import ctypes
import os
import signal

from escape_events.core.gunicorn_logging import AccessLogWithoutHealthChecks

logger_class = AccessLogWithoutHealthChecks
# Django is imported before the port is opened: an app server restarted by the supervisor refuses
# connections until it can answer (HAProxy sends them to the other server at once) instead of
# accepting them and holding them for the seconds its workers take to import Django. Code is
# new only after a restart (not a HUP), which is how the stack is upgraded anyway.
preload_app = True

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def post_fork(server, worker):
    """Ask the kernel to kill this worker when its master dies (Linux; a no-op elsewhere)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return
    if hasattr(libc, "prctl"):
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != server.pid:  # the master died before the request above
        os._exit(0)
