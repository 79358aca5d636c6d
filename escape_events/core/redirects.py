"""Where a `next` parameter may send someone: a path on this site, or nowhere.

One rule for every `next` (the follow, unfollow, cancel and switch forms, the admin's login,
allauth's sign-in): Django's `url_has_allowed_host_and_scheme`, then only a path starting with one
"/". Anything else ("-1", a date, "//evil.example", "javascript:") falls back to a page the caller
names, so a bad `next` neither sends a person off the site nor turns a saved action into an error.
"""

import unicodedata
from urllib.parse import urlsplit

from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

MAX_LENGTH = 2000  # longer than any page address here; a longer one is not ours


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site ("/events/x/?tab=1"), else None."""
    if not target or len(target) > MAX_LENGTH or not target.startswith("/"):
        return None
    if any(unicodedata.category(character).startswith("C") for character in target):
        return None  # control characters: never part of a link this site wrote
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return None  # "//host", "/\\host": another site, however it is spelled
    parts = urlsplit(target)
    return target if not (parts.scheme or parts.netloc) else None


def redirect_to_next(request, fallback: str, *, field: str = "next") -> HttpResponseRedirect:
    """A plain redirect to the request's `next` path, else to `fallback` (a URL name or path)."""
    target = request.POST.get(field) or request.GET.get(field)
    return HttpResponseRedirect(local_path(target) or resolve_url(fallback))
