"""API rate limits are counted atomically in the shared cache: workers answering the same
caller at the same instant never let more requests through than the limit."""

import threading

from django.test import RequestFactory

from escape_events.api.throttling import AddressThrottle


def test_twenty_simultaneous_requests_against_a_limit_of_ten_let_exactly_ten_through(
    redis_cache,  # tests/conftest.py
    settings,
):
    settings.API_ANONYMOUS_RATE_LIMIT = (10, 60)
    throttle = AddressThrottle("API_ANONYMOUS_RATE_LIMIT")
    request = RequestFactory().get("/api/events", REMOTE_ADDR="203.0.113.9")
    barrier = threading.Barrier(20)
    allowed = []

    def call():
        barrier.wait()
        allowed.append(throttle.allow_request(request))

    threads = [threading.Thread(target=call) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 10
    assert redis_cache.keys("escape-events-test:*rate:api*")
    other = RequestFactory().get("/api/events", REMOTE_ADDR="198.51.100.7")
    assert throttle.allow_request(other)
