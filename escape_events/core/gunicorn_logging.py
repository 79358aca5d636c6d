"""Gunicorn's access log without HAProxy's health checks (two a second per server drown it)."""

from gunicorn.glogging import Logger

HEALTH_PATH = "/health/"


class AccessLogWithoutHealthChecks(Logger):
    """The app servers' logger (escape_events.core.gunicorn_config)."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") == HEALTH_PATH and resp.status_code == 200:
            return  # a failing check is still logged
        super().access(resp, req, environ, request_time)
