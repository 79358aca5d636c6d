"""Settings that carry load: persistent checked database connections, sessions read from Redis."""

import runpy
from pathlib import Path

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
from django.urls import reverse

import escape_events

SETTINGS = Path(escape_events.__file__).with_name("settings.py")
PRODUCTION = {
    "ESCAPE_PRODUCTION": "1",
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "events.example.org",
    "DATABASE_URL": "postgres://app@db.example.org:5432/escape",
    "SITE_URL": "https://events.example.org",
}


def load_settings(monkeypatch, **environment) -> dict:
    """The settings module run afresh under the given environment (nothing else changes)."""
    for name in ("ESCAPE_PRODUCTION", "DATABASE_URL", "DB_CONN_MAX_AGE", "REDIS_URL", "SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_production_keeps_checked_database_connections_open(monkeypatch):
    database = load_settings(monkeypatch, **PRODUCTION)["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_connection_age_comes_from_the_environment(monkeypatch):
    database = load_settings(monkeypatch, **PRODUCTION, DB_CONN_MAX_AGE="0")["DATABASES"]
    assert database["default"]["CONN_MAX_AGE"] == 0


def test_development_opens_a_connection_per_request(monkeypatch):
    assert load_settings(monkeypatch)["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_sessions_are_cached_in_redis_when_it_is_configured(monkeypatch):
    with_redis = load_settings(monkeypatch, REDIS_URL="redis://cache.example.org:6379/0")
    assert with_redis["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert with_redis["CACHES"]["default"]["BACKEND"].endswith("RedisCache")
    without = load_settings(monkeypatch)
    assert "SESSION_ENGINE" not in without  # Django's default: sessions in the database


@pytest.fixture
def redis_sessions(redis_cache, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.mark.django_db
def test_a_signed_in_person_stays_signed_in_when_redis_loses_the_session(
    redis_sessions, client, django_user_model
):
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.org", password="correct horse battery"
    )
    client.force_login(user)
    key = client.cookies["sessionid"].value
    assert cache.get(SessionStore.cache_key_prefix + key)  # read from Redis on each request
    page = client.get(reverse("site:mine"))
    assert page.status_code == 200 and page.context["user"] == user

    cache.clear()  # Redis restarted or evicted the key: the database copy is used
    page = client.get(reverse("site:mine"))
    assert page.status_code == 200 and page.context["user"] == user

    client.post(reverse("account_logout"))
    assert not SessionStore().exists(key)
    assert client.get(reverse("site:mine")).status_code == 302  # signed out everywhere
