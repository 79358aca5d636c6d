"""Production refuses to start half-configured, and `check --deploy` names what is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPLETE = {
    "ESCAPE_PRODUCTION": "1",
    "SECRET_KEY": "x" * 60 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "events.example.org",
    "SITE_URL": "https://events.example.org",
    "DATABASE_URL": "postgres://escape:secret@db.example.org:5432/escape_events",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.org",
    "TRUSTED_PROXY_COUNT": "1",
    "MEDIA_ROOT": "/srv/escape_events/media",
}


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_*: e.g. DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set in this process.
        if key not in COMPLETE and not key.startswith(("EMAIL_", "AWS_", "OIDC_", "DJANGO_"))
    }
    environment.update({key: value for key, value in env.items() if value is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_site_url():
    result = manage("check", **{**COMPLETE, "SITE_URL": None})
    assert result.returncode != 0
    assert "SITE_URL must be set when ESCAPE_PRODUCTION=1" in result.stderr
    assert "Traceback" in result.stderr  # ImproperlyConfigured at start-up, nothing served


@pytest.mark.parametrize("database", [None, "sqlite:////tmp/escape.sqlite3"])
def test_production_refuses_sqlite(database):
    result = manage("check", **{**COMPLETE, "DATABASE_URL": database})
    assert result.returncode != 0
    assert "escape_events needs PostgreSQL in production" in result.stderr


def test_a_complete_production_configuration_passes_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **COMPLETE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_names_each_missing_production_setting():
    incomplete = {
        **COMPLETE,
        "REDIS_URL": None,
        "EMAIL_HOST": None,
        "TRUSTED_PROXY_COUNT": None,
        "MEDIA_ROOT": None,
        "MAIL_OUTBOX": "0",
        "SITE_URL": "http://events.example.org",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", **incomplete)
    assert result.returncode != 0
    for number in (1, 2, 4, 5, 6, 7):  # W003 (the task queue) went with the task queue
        assert f"escape_events.W00{number}" in result.stderr, number
    assert "REDIS_URL" in result.stderr and "TRUSTED_PROXY_COUNT" in result.stderr


def test_make_prod_refuses_sqlite_before_starting_anything(tmp_path):
    result = subprocess.run(
        ["bash", "scripts/prod"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": "sqlite:////tmp/escape.sqlite3",
            "PROD_STATE_DIR": str(tmp_path),
            "SITE_URL": "https://events.example.org",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "production needs PostgreSQL" in result.stderr


@pytest.mark.parametrize(("preload", "expected"), [(None, "False"), ("1", "True")])
def test_hsts_preload_is_an_opt_in_and_check_deploy_passes_either_way(preload, expected):
    show = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)"
    result = manage("shell", "-c", show, **{**COMPLETE, "SECURE_HSTS_PRELOAD": preload})
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr
    deploy = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**COMPLETE, "SECURE_HSTS_PRELOAD": preload},
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
