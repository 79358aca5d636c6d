"""Who may use the organiser pages; who runs which event is answered by events.permissions."""

from collections.abc import Iterable
from functools import cache as cache_statement

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction
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
    in the cache per person (no query on most pages; one query, with three subqueries, to
    answer it again), since it changes only when `forget_organiser_side` is told."""
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
    with connection.cursor() as cursor:
        cursor.execute(
            _organiser_side_statement(),
            {"user": user.pk, "app_label": "events", "codename": "add_event"},
        )
        return bool(cursor.fetchone()[0])


# Organises an event or a series, or holds `events.add_event` directly or through a group.
ORGANISER_SIDE_SQL = """
SELECT
    EXISTS(SELECT 1 FROM {event_organisers} WHERE {event_organiser} = %(user)s)
    OR EXISTS(SELECT 1 FROM {series_organisers} WHERE {series_organiser} = %(user)s)
    OR EXISTS(
        SELECT 1 FROM {permissions} p JOIN {content_types} ct ON ct.{content_type_key} = p.{type_of}
        WHERE ct.{app_label} = %(app_label)s AND p.{codename} = %(codename)s AND (
            EXISTS(
                SELECT 1 FROM {user_permissions} own
                WHERE own.{own_permission} = p.{permission_key} AND own.{own_user} = %(user)s
            )
            OR EXISTS(
                SELECT 1 FROM {group_permissions} granted
                JOIN {memberships} member ON member.{member_group} = granted.{granted_group}
                WHERE granted.{granted_permission} = p.{permission_key}
                    AND member.{member_user} = %(user)s
            )
        )
    )
"""


@cache_statement
def _organiser_side_statement() -> str:
    """ORGANISER_SIDE_SQL with the models' table and column names, once per process: every
    person's first page asks it, and compiling the ORM version cost more than running it."""
    quote = connection.ops.quote_name
    User = get_user_model()
    own, member, granted = (
        User.user_permissions.through,
        User.groups.through,
        Group.permissions.through,
    )

    def table(model) -> str:
        return quote(model._meta.db_table)

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    return ORGANISER_SIDE_SQL.format(
        event_organisers=table(Event.organisers.through),
        event_organiser=column(Event.organisers.through, "user"),
        series_organisers=table(Series.organisers.through),
        series_organiser=column(Series.organisers.through, "user"),
        permissions=table(Permission),
        permission_key=quote(Permission._meta.pk.column),
        type_of=column(Permission, "content_type"),
        codename=column(Permission, "codename"),
        content_types=table(ContentType),
        content_type_key=quote(ContentType._meta.pk.column),
        app_label=column(ContentType, "app_label"),
        user_permissions=table(own),
        own_permission=column(own, "permission"),
        own_user=column(own, "user"),
        group_permissions=table(granted),
        granted_group=column(granted, "group"),
        granted_permission=column(granted, "permission"),
        memberships=table(member),
        member_group=column(member, "group"),
        member_user=column(member, "user"),
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
