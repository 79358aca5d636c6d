"""The app servers' access log leaves out HAProxy's passing health checks, and nothing else."""

from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from escape_events.core.gunicorn_logging import AccessLogWithoutHealthChecks


@pytest.mark.parametrize(
    ("path", "status", "logged"),
    [("/health/", 200, False), ("/health/", 503, True), ("/", 200, True)],
)
def test_only_passing_health_checks_are_left_out(path, status, logged, monkeypatch):
    seen = []
    logger = AccessLogWithoutHealthChecks(Config())
    monkeypatch.setattr(
        "gunicorn.glogging.Logger.access", lambda self, *args: seen.append(args[2]["PATH_INFO"])
    )
    response = SimpleNamespace(status_code=status)
    logger.access(response, None, {"PATH_INFO": path}, None)
    assert seen == ([path] if logged else [])
