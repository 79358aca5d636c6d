"""allauth's rate limits live in the shared cache, so every worker process sees the same count."""

import pytest
from django.urls import reverse


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
