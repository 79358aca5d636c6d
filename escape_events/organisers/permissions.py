"""Who may use the organiser pages; who runs which event is answered by events.permissions."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.http import Http404

from escape_events.events.models import Event, Series
from escape_events.events.permissions import organised_events, organised_series
from escape_events.events.permissions import organises as can_organise

__all__ = [
    "can_create_events",
    "can_organise",
    "forget_organiser_side",
    "organised_event_or_404",
    "organised_events",
    "organised_series",
    "organised_series_or_404",
    "uses_organiser_side",
]


def can_create_events(user) -> bool:
    """Creating events is for site staff and for people given the right to: the
    `events.add_event` permission, e.g. through a group that the identity provider's claims
    map people into. Everyone else organises only what they were made organiser of."""
    return user.is_authenticated and (user.is_staff or user.has_perm("events.add_event"))


# How long the menu's answer is kept for a person; every change that can turn it (organisers of
# an event or series, the person's groups and permissions, a group's permissions) forgets it.
ORGANISER_SIDE_SECONDS = 600


def _organiser_side_key(user_id: int) -> str:
    return f"uses-organiser-side:{user_id}"


def uses_organiser_side(user) -> bool:
    """For the menu, on every page: organises an event or series, or may create events. Kept
    in the cache per person (no query on most pages; the permissions and what the person
    organises, asked again after that), since it changes only when `forget_organiser_side` is
    told."""
    if user.is_staff or user.is_superuser:
        return True
    key = _organiser_side_key(user.pk)
    answer = cache.get(key)
    if answer is None:
        answer = _organises_or_may_create(user)
        cache.add(key, answer, ORGANISER_SIDE_SECONDS)
    return answer


def forget_organiser_side(user_ids: Iterable[int]) -> None:
    """These people may have become (or stopped being) organisers: ask again on their next page.
    Forgotten now (for this transaction) and again on commit (over an answer read meanwhile)."""
    keys = [_organiser_side_key(pk) for pk in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def _organises_or_may_create(user) -> bool:
    """The rules the organiser pages apply, asked of the person: no copy of them to drift."""
    return (
        can_create_events(user)
        or organised_series(user).exists()
        or organised_events(user).exists()
    )


def organised_event_or_404(user, slug: str) -> Event:
    """The event if the user organises it; otherwise 404, so others learn nothing about it."""
    event = organised_events(user).select_related("venue", "series").filter(slug=slug).first()
    if event is None:
        raise Http404("No event you organise has this address.")
    return event


def organised_series_or_404(user, slug: str) -> Series:
    """The series if the user organises it (or is staff); otherwise 404, revealing nothing."""
    series = organised_series(user).select_related("venue").filter(slug=slug).first()
    if series is None:
        raise Http404("No series you organise has this address.")
    return series
