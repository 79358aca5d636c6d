"""The versions of what public pages and feeds show, for caches keyed on them.

Database triggers (`version_triggers.py`) change them with every write to that content, whoever
writes, so a cache keyed on a version is never stale and needs no invalidation:

- `for_event(event_id)`: one event's page and feeds (its row, agenda, registration settings and
  questions, the events colocated with it, and the rows it shares with other events: venue,
  series, privacy notice);
- `current()`: the whole site, for lists and feeds of many events;
- `read(event_id=None)`: either of them with the moment it last changed (for Last-Modified).

Each is one query. None means "do not cache" (see `read`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from .models import ContentVersion
from .version_triggers import EVENT, SHARED, SITE


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: datetime


def read(*, event_id: int | None = None) -> Version | None:
    """The site's version, or one event's, now; None, meaning "do not cache", in a database
    whose versions were not started (see the migrations), or inside a transaction the code
    opened: its own writes are visible to it before the version changes
    (on PostgreSQL the version changes at commit), so what it renders could be kept under the
    version that does not have them, and be wrong if it rolls back. Tests run in a transaction
    of Django's own, which does not count (Django's `durable` check reads the same mark).

    Read it before the content: a change committed in between then gives a newer content under
    an older key (replaced at the next change), never an older content under a newer key.
    """
    if _in_own_transaction():
        return None
    scopes = [SITE] if event_id is None else [SHARED, f"{EVENT}{event_id}"]
    found = ContentVersion.objects.filter(scope__in=scopes)
    rows = {scope: rest for scope, *rest in found.values_list("scope", "token", "changed_at")}
    if scopes[0] not in rows:  # a database emptied since its migration (tests' flush)
        return None
    token, changed_at = rows[scopes[0]]
    if event_id is not None:
        # No row: the event has not changed since versioning began; the shared token, new in
        # every database, keeps its key apart from one an earlier database left in a cache.
        event_token, event_changed_at = rows.get(scopes[1], ("", changed_at))
        token, changed_at = f"{token}.{event_token}", max(changed_at, event_changed_at)
    return Version(token=token, changed_at=changed_at)


def current() -> str | None:
    """The site's version: what lists and feeds of many events are keyed on."""
    version = read()
    return version.token if version else None


def for_event(event_id: int) -> str | None:
    """One event's version: what its page and its own feeds are keyed on."""
    version = read(event_id=event_id)
    return version.token if version else None


def _in_own_transaction() -> bool:
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
