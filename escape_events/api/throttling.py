"""API rate limits, counted in the shared cache (Redis in production) so every worker agrees.

A caller with a valid token is counted per token, a signed-in browser per person, on every
operation (public reads too); anyone else per address, as the trusted proxies saw it.
"""

from django.conf import settings
from ninja.throttling import BaseThrottle

from escape_events.core.limits import address_caller, seconds_left, within_limit

from .auth import active_token

BEARER = "bearer "


def known_caller(request) -> str | None:
    """ "token<pk>" or "user<pk>" for a caller who said who they are, else None (looked up once)."""
    if not hasattr(request, "_api_caller"):
        request._api_caller = _known_caller(request)
    return request._api_caller


def _known_caller(request) -> str | None:
    token = getattr(request, "api_token", None)
    header = request.headers.get("Authorization", "")
    if token is None and header[: len(BEARER)].lower() == BEARER:
        token = active_token(header[len(BEARER) :].strip())  # a public read sent with a token
    if token is not None:
        return f"token{token.pk}"
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user{user.pk}"
    return None


class WindowThrottle(BaseThrottle):
    """At most `limit` requests per `window` seconds per caller (the setting names both)."""

    def __init__(self, setting: str):
        self.setting = setting

    def caller(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request) -> bool:
        caller = self.caller(request)
        limit = getattr(settings, self.setting)
        return caller is None or within_limit(f"api:{self.setting}", caller, limit)

    def wait(self):
        """Seconds until the current window closes (stateless: instances serve every thread)."""
        return seconds_left(getattr(settings, self.setting))


class CallerThrottle(WindowThrottle):
    """Callers with a token, or a session: per token, or per person."""

    def caller(self, request):
        return known_caller(request)


class AddressThrottle(WindowThrottle):
    """Everyone else, by the client's address (core.limits.client_address)."""

    def caller(self, request):
        return None if known_caller(request) is not None else address_caller(request)


THROTTLES = [CallerThrottle("API_RATE_LIMIT"), AddressThrottle("API_ANONYMOUS_RATE_LIMIT")]
