"""Rate limits in the shared cache (Redis in production), so every worker counts the same.

A fixed window counted with the cache's atomic `incr`: ninja's own throttles read and write a
list of timestamps, which loses counts when two workers answer the same client at once.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle


class WindowThrottle(BaseThrottle):
    """At most `limit` requests per `window` seconds per caller (token, user or address)."""

    def __init__(self, setting: str):
        self.setting = setting

    def caller(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        limit, window = getattr(settings, self.setting)
        caller = self.caller(request)
        if caller is None:
            return True
        now = time.time()
        start = int(now // window) * window
        key = f"api:rate:{self.setting}:{caller}:{start}"
        cache.add(key, 0, window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, window + 1)
            count = 1
        return count <= limit

    def wait(self):
        """Seconds until the current window closes (stateless: instances serve every thread)."""
        _limit, window = getattr(settings, self.setting)
        return int(window - time.time() % window) + 1


class CallerThrottle(WindowThrottle):
    """Signed-in callers: per token, or per person for a session."""

    def caller(self, request):
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"token{token.pk}"
        user = getattr(request, "auth", None)
        return f"user{user.pk}" if user is not None else None


class AddressThrottle(WindowThrottle):
    """Anonymous callers, by address (REMOTE_ADDR: set by the proxy in production)."""

    def caller(self, request):
        if getattr(request, "auth", None) is not None:
            return None
        address = request.META.get("REMOTE_ADDR", "")
        return "ip" + hashlib.sha256(address.encode()).hexdigest()[:16]


THROTTLES = [CallerThrottle("API_RATE_LIMIT"), AddressThrottle("API_ANONYMOUS_RATE_LIMIT")]
