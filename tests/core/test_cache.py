"""The Redis cache reuses one client per connection pool (Django builds one per call)."""

from escape_events.core.cache import ReusedClientRedisCache


def test_every_call_gets_the_same_client_and_pool():
    cache = ReusedClientRedisCache("redis://127.0.0.1:6379/0", {})
    client = cache._cache.get_client()  # no connection is made until a command
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("any-key") is client
    assert client.connection_pool is cache._cache._get_connection_pool(False)


def test_a_value_goes_and_comes_back(redis_cache):
    from django.core.cache import cache

    cache.set("page", {"parts": ["<p>shared</p>"]}, 30)
    assert cache.get("page") == {"parts": ["<p>shared</p>"]}
    assert cache.get_many(["page", "missing"]) == {"page": {"parts": ["<p>shared</p>"]}}
    cache.delete("page")
    assert cache.get("page") is None
