"""Database triggers that replace the feed content version whenever feed data changes.

Installed after every `migrate` (and test database set-up) on every table of the apps whose data
feeds show, so a new model there is covered without anyone writing SQL, and on the tables of
other apps that public pages keep in the cache under the version (`VERSIONED_MODELS`). On
PostgreSQL they are deferred constraint triggers: they run at commit, so the version row is
locked only for an instant, after every other lock the transaction took (no deadlock, no queue
of writers behind a long transaction). On SQLite, writes are serialised anyway.
"""

import hashlib

from django.apps import apps
from django.db import connections, transaction

# Apps whose tables hold what feeds show (events, series, venues, occurrences; agendas). Every
# app whose data reaches a feed must be here, or a change there would not reach cached feeds.
FEED_SOURCE_APPS = ("events", "timetable")
# Models of other apps that the event page keeps with its shared parts (see events/pages.py):
# the registration settings and questions, and the privacy notice the form asks to accept.
# They change rarely (organisers' and site admins' edits), so feeds rebuilt for them cost
# little; registrations themselves are not here (every one would change the version).
VERSIONED_MODELS = (
    "registrations.RegistrationSettings",
    "registrations.Question",
    "accounts.PrivacyNotice",
)
TABLE = "feeds_contentversion"
PREFIX = "feeds_version_"

# Only constants and table names from the app registry go into this SQL.
_POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {PREFIX}bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {TABLE} (id, token, deleted_at)
    VALUES (1, gen_random_uuid()::text,
            CASE WHEN TG_OP IN ('DELETE', 'TRUNCATE') THEN clock_timestamp() END)
    ON CONFLICT (id) DO UPDATE
      SET token = EXCLUDED.token,
          deleted_at = COALESCE(EXCLUDED.deleted_at, {TABLE}.deleted_at);
  RETURN NULL;
END
$$
"""  # noqa: S608


def feed_tables() -> list[str]:
    """Every table of the feed source apps, many-to-many tables included, and the tables of
    the other versioned models."""
    return sorted(
        {
            model._meta.db_table
            for label in FEED_SOURCE_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
        | {apps.get_model(label)._meta.db_table for label in VERSIONED_MODELS}
    )


def _name(table: str) -> str:
    """A trigger name that fits the 63 characters PostgreSQL keeps, suffixes included."""
    name = f"{PREFIX}{table}"
    if len(name) > 50:
        name = f"{PREFIX}{hashlib.sha256(table.encode()).hexdigest()[:16]}"
    return name


def _postgres(table: str) -> tuple[list[str], list[str]]:
    """How to drop and how to create the triggers of one table."""
    quoted, name = f'"{table}"', _name(table)
    drop = [
        f"DROP TRIGGER IF EXISTS {name} ON {quoted}",
        f"DROP TRIGGER IF EXISTS {name}_truncate ON {quoted}",
    ]
    create = [
        f"CREATE CONSTRAINT TRIGGER {name} "
        f"AFTER INSERT OR UPDATE OR DELETE ON {quoted} DEFERRABLE INITIALLY DEFERRED "
        f"FOR EACH ROW EXECUTE FUNCTION {PREFIX}bump()",
        f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {quoted} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {PREFIX}bump()",
    ]
    return drop, create


def _sqlite(table: str) -> tuple[list[str], list[str]]:
    drop, create = [], []
    for operation in ("INSERT", "UPDATE", "DELETE"):
        name = f"{_name(table)}_{operation.lower()}"
        deleted = "strftime('%Y-%m-%d %H:%M:%f', 'now')" if operation == "DELETE" else "NULL"
        drop.append(f"DROP TRIGGER IF EXISTS {name}")
        create.append(
            f'CREATE TRIGGER {name} AFTER {operation} ON "{table}" BEGIN '  # noqa: S608
            f"INSERT INTO {TABLE} (id, token, deleted_at) "
            f"VALUES (1, lower(hex(randomblob(16))), {deleted}) "
            f"ON CONFLICT (id) DO UPDATE SET token = excluded.token, "
            f"deleted_at = coalesce(excluded.deleted_at, {TABLE}.deleted_at); END"
        )
    return drop, create


def install(using: str = "default") -> None:
    """Create or replace the triggers; safe to run any number of times. Without the version
    table (feeds migrated back to zero) they are only removed, or every write would fail."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No feed version triggers for {connection.vendor}")
    existing = set(connection.introspection.table_names())
    versioned = TABLE in existing
    statements = [_POSTGRES_FUNCTION] if versioned and connection.vendor == "postgresql" else []
    for table in feed_tables():
        if table in existing:
            drop, create = (_postgres if connection.vendor == "postgresql" else _sqlite)(table)
            statements += drop + (create if versioned else [])
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for sql in statements:  # replaced in one transaction: never a moment without them
            cursor.execute(sql)


def constraint_names() -> list[str]:
    """The PostgreSQL constraint triggers, by name (for `SET CONSTRAINTS ... IMMEDIATE`)."""
    return [_name(table) for table in feed_tables()]


def installed_on(using: str = "default") -> set[str]:
    """The tables that carry a version trigger now (for tests and checks)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE %s",
                [f"{PREFIX}%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE %s",
                [f"{PREFIX}%"],
            )
        return {row[0] for row in cursor.fetchall()}
