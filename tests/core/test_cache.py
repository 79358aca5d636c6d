"""The Redis cache keeps one client per connection pool instead of one per call."""

import threading

from django.core.cache import cache


def test_one_client_serves_every_call(redis_cache):
    cache.set("greeting", {"text": "hello"}, 60)
    first = cache._cache.get_client()
    assert cache.get("greeting") == {"text": "hello"}
    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first  # one server: one pool, one client


def test_the_shared_client_answers_every_thread(redis_cache):
    def worker(number):
        for round_ in range(20):
            cache.set(f"counter-{number}-{round_}", number * round_, 60)
            seen[number].append(cache.get(f"counter-{number}-{round_}"))

    seen = {number: [] for number in range(8)}
    threads = [threading.Thread(target=worker, args=(number,)) for number in seen]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {number: [number * r for r in range(20)] for number in seen}
