"""Built feed bodies, kept by key in the site's one cache (Redis in production).

A key names one body for good (it includes the content version), so a kept body is never stale
and needs no invalidation.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache


def body_for(key: str, build: Callable[[], bytes]) -> bytes:
    """The body stored under `key`, built (once per cache lifetime) when nobody holds it."""
    return cache.get_or_set(f"feeds:body:{key}", build, settings.FEEDS_CACHE_SECONDS)
