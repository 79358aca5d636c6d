"""The versions of what public pages and feeds show, for caches keyed on them.

Database triggers (`version_triggers.py`) change them with every write to that content, whoever
writes, so a cache keyed on a version is never stale and needs no invalidation:

- `for_event(event_id)`: one event's page and feeds (its row, agenda, registration settings and
  questions, the events colocated with it, and the rows it shares with other events: venue,
  series, privacy notice);
- `current()`: the whole site, for lists and feeds of many events;
- `read(event_ids=None)`: either of them, or the version of a few events together (a series'
  meetings), with the moment it last changed (for Last-Modified);
- `with_event_tokens(events)` and `of_event(event)`: an event's version read in the event's own
  query, as `for_event` gives it.

Each is one query, made outside any transaction (see `read`). None means "do not cache".
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat

from .models import ContentVersion
from .version_triggers import EVENT, SHARED, SITE


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: datetime


def read(*, event_ids: Iterable[int] | QuerySet | None = None) -> Version | None:
    """The site's version, or that of the events `event_ids` names (ids, or a queryset of
    events such as `series.occurrences.all()`), now.

    None, meaning "do not cache", in a database whose versions were not started (see the
    migrations).

    Read it before the content: a change committed in between then gives a newer content under
    an older key (replaced at the next change), never an older content under a newer key. Read
    both outside any transaction, as the GET views that cache do (ATOMIC_REQUESTS is off): in a
    transaction that wrote, its writes are visible before the version names them (on
    PostgreSQL the version changes at commit), so what it renders would be kept under a version
    that lacks them, and be wrong if it rolls back. tests/core/test_content_version.py fails
    if a page or feed that caches reads a version inside a transaction.
    """
    if event_ids is None:
        first, rows = SITE, ContentVersion.objects.filter(scope=SITE)
    else:
        first, rows = (
            SHARED,
            ContentVersion.objects.filter(Q(scope=SHARED) | Q(scope__in=_event_scopes(event_ids))),
        )
    found = dict(sorted((scope, rest) for scope, *rest in rows.values_list(*_FIELDS)))
    if first not in found:  # a database emptied since its migration (tests' flush)
        return None
    if event_ids is None:
        token, changed_at = found[SITE]
        return Version(token=token, changed_at=changed_at)
    return Version(
        token=_combined({scope: token for scope, (token, _) in found.items()}),
        changed_at=max(changed_at for _, changed_at in found.values()),
    )


def _combined(tokens: dict[str, str]) -> str:
    # An event without a row has not changed since versioning began: the shared token, new in
    # every database, keeps the key apart from one an earlier database left in a cache.
    material = "|".join(f"{scope}={token}" for scope, token in sorted(tokens.items()))
    return hashlib.sha256(material.encode()).hexdigest()[:32]


_FIELDS = ("scope", "token", "changed_at")


def with_event_tokens(events: QuerySet) -> QuerySet:
    """`events` with the tokens each one's version is made of (see `of_event`), read in the
    same statement: one statement reads one snapshot, so this is as safe as reading the version
    before the event (see `read`)."""
    return events.annotate(
        shared_version_token=Subquery(
            ContentVersion.objects.filter(scope=SHARED).values("token")[:1]
        ),
        event_version_token=Subquery(
            ContentVersion.objects.filter(scope=_event_scope(OuterRef("pk"))).values("token")[:1]
        ),
    )


def of_event(event) -> str | None:
    """The version of an event read with `with_event_tokens`: the token `for_event` gives."""
    if event.shared_version_token is None:  # versions not started (see `read`)
        return None
    tokens = {SHARED: event.shared_version_token}
    if event.event_version_token is not None:
        tokens[f"{EVENT}{event.pk}"] = event.event_version_token
    return _combined(tokens)


def _event_scope(event_id) -> Concat:
    return Concat(Value(EVENT), Cast(event_id, CharField()), output_field=CharField())


def _event_scopes(event_ids: Iterable[int] | QuerySet) -> list[str] | QuerySet:
    if isinstance(event_ids, QuerySet):
        return event_ids.annotate(version_scope=_event_scope("pk")).values("version_scope")
    return [f"{EVENT}{event_id}" for event_id in event_ids]


def current() -> str | None:
    """The site's version: what lists and feeds of many events are keyed on."""
    version = read()
    return version.token if version else None


def for_event(event_id: int) -> str | None:
    """One event's version: what its page and its own feeds are keyed on."""
    version = read(event_ids=[event_id])
    return version.token if version else None
