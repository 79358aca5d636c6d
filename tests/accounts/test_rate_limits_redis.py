"""allauth's rate limits live in the shared cache, so every worker process sees the same count."""

import os

import pytest
import redis
from django.urls import reverse

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL} (set REDIS_TEST_URL)")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "escape-events-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield redis.Redis.from_url(REDIS_URL)
    cache.clear()


@pytest.mark.django_db
def test_failed_logins_are_counted_in_redis_and_shared_by_clients(
    redis_cache, client, settings, django_user_model
):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/5m/key"}
    from django.test import Client

    other_worker = Client()  # a second client: same IP, no shared session
    for attempt in range(3):
        browser = client if attempt % 2 else other_worker
        browser.post(reverse("account_login"), {"login": "x@example.org", "password": "wrong"})
    assert redis_cache.keys("escape-events-test:*")  # the counts are in Redis, not in-process
    response = client.post(reverse("account_login"), {"login": "x@example.org", "password": "no"})
    assert response.status_code == 429 or "Too many" in response.content.decode()
