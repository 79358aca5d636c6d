"""Built feed bodies, kept by key in the shared cache and, while it holds them, in this process.

A key names one body for good (it includes the content version), so a kept body is never stale
and needs no invalidation. The process keeps copies of the most recently used bodies (up to
FEEDS_PROCESS_CACHE_BYTES), because fetching a feed of thousands of events from Redis costs more
than the whole rest of the request; it serves a copy only while the shared cache still has the
key, so clearing the cache rebuilds feeds everywhere.
"""

import threading
from collections.abc import Callable

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import cache

_recent: LRUCache = LRUCache(maxsize=settings.FEEDS_PROCESS_CACHE_BYTES or 1, getsizeof=len)
_lock = threading.Lock()


def body_for(key: str, build: Callable[[], bytes]) -> bytes:
    """The body stored under `key`, built (once per cache lifetime) when nobody holds it."""
    cache_key = f"feeds:body:{key}"
    with _lock:
        body = _recent.get(key)
    if body is not None and cache.has_key(cache_key):
        return body
    body = cache.get(cache_key)
    if body is None:
        body = build()
        cache.set(cache_key, body, settings.FEEDS_CACHE_SECONDS)
    if len(body) <= settings.FEEDS_PROCESS_CACHE_BYTES:
        with _lock:
            _recent[key] = body
    return body
