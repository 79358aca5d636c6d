"""Fragments of a page that look the same to many people, rendered once per process.

A caller that can name everything a fragment shows by a key (a digest of it) renders it here:
the first request with a key renders it, later ones in the same process reuse that HTML. The key
names the content for good, so a kept fragment is never stale and needs no invalidation. Each
person still gets their own CSRF token: the fragment is rendered with a slot that no content can
contain (a secret of this process), which every use replaces with the requester's token. Rendered
without the request, a fragment cannot pick up anything of the first person who caused it.
"""

import secrets
import threading
import weakref

from cachetools import LRUCache
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# Renderings kept per compiled template, as the cached template loader (Django's default) keeps
# it: when the loaders are reset (templates edited under runserver), the new one starts afresh.
_kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()
KEPT_PER_TEMPLATE = 256
_CSRF_SLOT = f"csrf-slot-{secrets.token_hex(16)}"


def render(template_name: str, context: dict, csrf_token, *, shared_key: str | None) -> SafeString:
    """`template_name` rendered with `context` (not the request's context processors) and the
    requester's `csrf_token` (the page's: a lazy one is asked only by fragments with a form);
    once per `shared_key` in this process, or every time when it is None (the fragment shows
    something of the person or of their submission)."""
    template = get_template(template_name)
    if shared_key is None:
        return template.render({**context, "csrf_token": csrf_token})
    # What else changes how the same values render: the language, and the addresses of links.
    key = (shared_key, get_language(), get_script_prefix(), get_urlconf())
    with _lock:
        kept = _kept.setdefault(template.template, LRUCache(maxsize=KEPT_PER_TEMPLATE))
        html = kept.get(key)
    if html is None:
        html = template.render({**context, "csrf_token": _CSRF_SLOT})
        with _lock:
            kept[key] = html
    if _CSRF_SLOT in html:
        # The token is letters and digits only: nothing to escape.
        html = mark_safe(html.replace(_CSRF_SLOT, str(csrf_token or "")))  # noqa: S308
    return html
