"""Rate limits: who the caller is, and one fixed-window counter in the shared cache.

Every limit asks `client_address` for an anonymous caller: sign-in and the admin (through
allauth's adapter), the API, personal feeds and uploads. Behind HAProxy every request comes from
the proxy, so the address is the one the trusted proxies appended (`TRUSTED_PROXY_COUNT`) or put
in `TRUSTED_CLIENT_IP_HEADER`. A chain shorter than the proxies in front did not pass through all
of them: it is not trusted, and the connecting address counts (allauth raised a 500 there).
Callers with a token or a session are counted per token or person, never per address.
"""

import functools
import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

IPV6_PREFIX = 64  # one household or host holds a whole /64: count it as one caller


def _address(value: str | None) -> str | None:
    """The address in `value`, normalised; None if it is not one."""
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)


def client_address(request) -> str:
    """The client's address as the trusted proxies saw it, else the connecting address."""
    connecting = _address(request.META.get("REMOTE_ADDR")) or "unknown"
    header = settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
    if header:
        return _address(request.headers.get(header)) or connecting
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    chain = request.headers.get("X-Forwarded-For", "").split(",")
    if proxies <= 0 or len(chain) < proxies:
        return connecting
    return _address(chain[-proxies]) or connecting


def address_caller(request) -> str:
    """An anonymous caller's key: a hash of the address (no address in the cache's keys)."""
    return "ip" + hashlib.sha256(client_address(request).encode()).hexdigest()[:16]


def page_caller(request) -> str:
    """A caller of a page: the person when signed in, else the address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user{user.pk}"
    return address_caller(request)


def within_limit(scope: str, caller: str, limit: tuple[int, int]) -> bool:
    """Count one request of `caller` in `scope`; False once `limit` (requests, seconds) is over.

    A fixed window counted with the cache's atomic `incr`: a list of timestamps read and written
    back loses counts when two workers answer the same caller at once.
    """
    allowed, window = limit
    start = int(time.time() // window) * window
    key = f"rate:{scope}:{caller}:{start}"
    cache.add(key, 0, window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, window + 1)
        count = 1
    return count <= allowed


def seconds_left(limit: tuple[int, int]) -> int:
    """Seconds until the current window closes."""
    _allowed, window = limit
    return int(window - time.time() % window) + 1


# What the 429 page says, by what the callers count (`what`): whole sentences, translated.
TOO_MANY = {
    "uploads": _("Too many uploads from you in a short time."),
    "calendar requests": _("Too many calendar requests from you in a short time."),
}


def too_many(request, limit: tuple[int, int], *, what: str):
    """The 429 page, with Retry-After."""
    wait = seconds_left(limit)
    context = {"what": what, "too_many": TOO_MANY.get(what), "wait": wait}
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def limit_posts(scope: str, setting: str, *, what: str):
    """Limit a view's POSTs (uploads) per person, or per address when signed out."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = getattr(settings, setting)
            if request.method == "POST" and not within_limit(scope, page_caller(request), limit):
                return too_many(request, limit, what=what)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
