"""The parts of an event page that are the same for everyone, rendered once per content version.

Everything they show comes from tables whose every write changes the content version (the
events and timetable apps: see feeds/triggers.py), and they are rendered without the request, so
nothing of one visitor can reach another's page. The view puts each person's own parts
(registration box, menu, "Manage this event") around them.
"""

import functools
import hashlib
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cachetools import LRUCache
from django.core.cache import cache
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from escape_events.core import content_version

from .models import Event
from .selectors import event_for_page

PARTS = ("links", "head", "main", "side", "foot")
# Kept for an hour at most: a part of an event nobody visits makes room for others.
TIMEOUT = 60 * 60
# Bump when code that renders the parts (their template tags and filters) changes its output;
# a change of their templates changes the key by itself.
FORMAT = "1"
# Folders whose templates the parts are rendered from (their includes and inclusion tags too).
TEMPLATE_FOLDERS = ("events", "timetable")
# Each process also keeps the pages it served last, pickled, beside the shared cache: the key
# names the content version, so a kept page is never stale, and unpickling it costs less than
# fetching it from Redis. Pickled, so that no request sees what another did to its objects.
KEPT_IN_PROCESS_BYTES = 4 * 1024 * 1024
_recent: LRUCache = LRUCache(maxsize=KEPT_IN_PROCESS_BYTES, getsizeof=len)
_lock = threading.Lock()


# What apps above this one load onto the page's event before it is kept (registrations: its
# settings and questions). Each may read only rows whose every write changes the content
# version (feeds/triggers.py), or the page would keep them stale.
_loaders: list[Callable[[Event], None]] = []


def load_with_page(loader: Callable[[Event], None]) -> None:
    """Have `loader(event)` load what it needs onto the event kept with the page."""
    if loader not in _loaders:
        _loaders.append(loader)


@dataclass(frozen=True)
class EventPage:
    """The event (with what its page needs loaded) and its shared parts as HTML."""

    event: Event
    links: SafeString  # in <head>: feeds, stylesheet
    head: SafeString
    main: SafeString
    side: SafeString
    foot: SafeString


def event_page(slug: str) -> EventPage | None:
    """The page's event and shared parts: from this process or the shared cache when kept for
    the content version read now (one query), else read and rendered, then kept."""
    version = content_version.current()
    if version is None:
        return _build(slug)
    key = cache_key(slug, version)
    with _lock:
        pickled = _recent.get(key)
    if pickled is not None:
        return pickle.loads(pickled)  # noqa: S301 - pickled by this process, below
    page = cache.get(key)
    if page is None:
        page = _build(slug)
        if page is None:
            return None
        cache.set(key, page, TIMEOUT)
    pickled = pickle.dumps(page, pickle.HIGHEST_PROTOCOL)
    if len(pickled) <= KEPT_IN_PROCESS_BYTES:
        with _lock:
            _recent[key] = pickled
    return page


def cache_key(slug: str, version: str) -> str:
    return f"event-page:{version}:{slug}:{get_language()}:{_templates_digest()}"


def _build(slug: str) -> EventPage | None:
    event = event_for_page(slug)
    if event is None:
        return None
    for load in _loaders:
        load(event)
    parts = {
        name: render_to_string(f"events/parts/{name}.html", {"event": event}) for name in PARTS
    }
    return EventPage(event=event, **parts)


@functools.cache
def _templates_digest() -> str:
    """Changes with the templates the parts are rendered from: after a deploy that changes
    them, parts rendered by the code before are not shown."""
    digest = hashlib.sha256(FORMAT.encode())
    for folder in engines["django"].engine.dirs:
        for name in TEMPLATE_FOLDERS:
            for path in sorted(Path(folder, name).rglob("*.html")):
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
