"""What is versioned, and the database triggers that change the content versions.

The one list of what public pages and feeds show: every table of `VERSIONED_APPS` and the tables
of `VERSIONED_MODELS`, their auto-created many-to-many tables included. Triggers are installed
after every `migrate` (and test database set-up), so a new model there is covered without anyone
writing SQL.

A row that belongs to one event (found by following foreign keys to the event) changes that
event's version, its colocated events' versions (their pages show each other) and the site
version. Any other row (a venue, a series, the privacy notice: rows many events show) changes
the shared version, which every event's version includes, and the site version. One shared row
rather than the versions of every event it reaches: a venue edit then writes two rows, not
thousands, and these rows change rarely.

On PostgreSQL they are deferred constraint triggers: they run at commit, so the version rows are
locked only for an instant, after every other lock the transaction took. Each firing writes the
site row first: the first version row any writer locks is the same one, so two writers never
wait for each other in a circle (no deadlock), and a writer of one event never waits for a
transaction still open on another. On SQLite, writes are serialised anyway.
"""

import hashlib

from django.apps import apps
from django.db import connections, transaction
from django.db.models import Model

from .models import ContentVersion

VERSIONED_APPS = ("events", "timetable")
# Models of other apps that the event page shows: the registration settings (and the groups
# they admit) and questions, and the privacy notice the form asks to accept. Registrations are
# not here: every one would change the version.
VERSIONED_MODELS = (
    "registrations.RegistrationSettings",
    "registrations.Question",
    "accounts.PrivacyNotice",
)
EVENT_MODEL = "events.Event"
# An event's page shows the events held alongside it (their titles, their questions).
SHOWN_TOGETHER = "colocated_with"

# Only constants and table and column names from the app registry go into the SQL below.
PREFIX = "content_version_"
SITE, SHARED, EVENT = "site", "shared", "event:"
_DEPTH = 3  # foreign keys followed from a row to its event


def versioned_models() -> list[type[Model]]:
    """Every model whose table carries the triggers, many-to-many tables included."""
    found = {
        model
        for label in VERSIONED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    for label in VERSIONED_MODELS:
        model = apps.get_model(label)
        found.add(model)
        found |= {field.remote_field.through for field in model._meta.local_many_to_many}
    kept = [model for model in found if model._meta.managed and not model._meta.proxy]
    return sorted(kept, key=lambda model: model._meta.db_table)


def versioned_tables() -> list[str]:
    return [model._meta.db_table for model in versioned_models()]


def event_ids(model: type[Model], row: str, quote, depth: int = 0) -> list[str]:
    """SQL expressions for the events a row of `model` (named `row`) belongs to: its foreign
    keys to the event, or else its event's through the first foreign key to a versioned row
    that has one; none for a shared row."""
    event = apps.get_model(EVENT_MODEL)
    if model is event:
        return [f"{row}.{quote(event._meta.pk.column)}"]
    relations = [field for field in model._meta.concrete_fields if field.is_relation]
    direct = [f"{row}.{quote(field.column)}" for field in relations if field.related_model is event]
    if direct or depth == _DEPTH:
        return direct
    versioned = set(versioned_models())
    alias = f"parent{depth}"
    for field in relations:
        if field.related_model not in versioned:
            continue
        parent = field.related_model._meta
        if found := [
            f"(SELECT {inner} FROM {quote(parent.db_table)} {alias} "  # noqa: S608
            f"WHERE {alias}.{quote(field.target_field.column)} = {row}.{quote(field.column)})"
            for inner in event_ids(field.related_model, alias, quote, depth + 1)
        ]:
            return found
    return []


def _bump_statements(ids: list[str], quote, *, token: str, now: str) -> list[str]:
    """The site row first (see the module's docstring), then the shared or the events' rows."""
    table = quote(ContentVersion._meta.db_table)
    scope_, token_, changed_at = (quote(name) for name in ("scope", "token", "changed_at"))
    columns = f"({scope_}, {token_}, {changed_at})"
    upsert = (
        f"ON CONFLICT ({scope_}) DO UPDATE SET {token_} = EXCLUDED.{token_}, "
        f"{changed_at} = EXCLUDED.{changed_at}"
    )

    def one(scope: str) -> str:
        return f"INSERT INTO {table} {columns} VALUES ('{scope}', {token}, {now}) {upsert}"  # noqa: S608

    if not ids:
        return [one(SITE), one(SHARED)]
    together = apps.get_model(EVENT_MODEL)._meta.get_field(SHOWN_TOGETHER)
    listed = ", ".join(ids)
    selects = [f"SELECT {expression} AS id" for expression in ids] + [
        f"SELECT {quote(together.m2m_reverse_name())} FROM "  # noqa: S608
        f"{quote(together.remote_field.through._meta.db_table)} "
        f"WHERE {quote(together.m2m_column_name())} IN ({listed})"
    ]
    events = (
        f"INSERT INTO {table} {columns} SELECT '{EVENT}' || ids.id, {token}, {now} "  # noqa: S608
        f"FROM ({' UNION '.join(selects)}) ids WHERE ids.id IS NOT NULL {upsert}"
    )
    return [one(SITE), events]


def _name(table: str) -> str:
    """A name that fits the 63 characters PostgreSQL keeps, suffixes included."""
    name = f"{PREFIX}{table}"
    if len(name) > 50:
        name = f"{PREFIX}{hashlib.sha256(table.encode()).hexdigest()[:16]}"
    return name


_PG_RANDOM, _PG_NOW = "gen_random_uuid()::text", "clock_timestamp()"
_PG_EVERYTHING = f"{PREFIX}everything"


def _plpgsql(name: str, statements: list[str]) -> str:
    body = "".join(f"  {statement};\n" for statement in statements)
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}  RETURN NULL;\nEND\n$$"
    )


def _postgres(model: type[Model], quote) -> tuple[list[str], list[str]]:
    """How to drop and how to create the triggers (and function) of one table."""
    table = model._meta.db_table
    name, quoted = _name(table), quote(table)
    ids = event_ids(model, "NEW", quote) + event_ids(model, "OLD", quote)
    drop = [
        f"DROP TRIGGER IF EXISTS {name} ON {quoted}",
        f"DROP TRIGGER IF EXISTS {name}_truncate ON {quoted}",
        f"DROP FUNCTION IF EXISTS {name}()",
    ]
    create = [
        _plpgsql(name, _bump_statements(ids, quote, token=_PG_RANDOM, now=_PG_NOW)),
        f"CREATE CONSTRAINT TRIGGER {name} "
        f"AFTER INSERT OR UPDATE OR DELETE ON {quoted} DEFERRABLE INITIALLY DEFERRED "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {quoted} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {_PG_EVERYTHING}()",
    ]
    return drop, create


_SQLITE_RANDOM = "lower(hex(randomblob(16)))"
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
_SQLITE_ROWS = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}


def _sqlite(model: type[Model], quote) -> tuple[list[str], list[str]]:
    table = model._meta.db_table
    drop, create = [], []
    for operation, rows in _SQLITE_ROWS.items():
        name = f"{_name(table)}_{operation.lower()}"
        ids = [expression for row in rows for expression in event_ids(model, row, quote)]
        body = "".join(
            f"{statement}; "
            for statement in _bump_statements(ids, quote, token=_SQLITE_RANDOM, now=_SQLITE_NOW)
        )
        drop.append(f"DROP TRIGGER IF EXISTS {name}")
        create.append(f"CREATE TRIGGER {name} AFTER {operation} ON {quote(table)} BEGIN {body}END")
    return drop, create


def install(using: str = "default") -> None:
    """Create or replace the triggers; safe to run any number of times. Without the version
    table (core migrated back to zero) they are only removed, or every write would fail."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No content version triggers for {connection.vendor}")
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    versioned = ContentVersion._meta.db_table in existing
    statements = []
    if connection.vendor == "postgresql":
        statements.append(
            _plpgsql(_PG_EVERYTHING, _bump_statements([], quote, token=_PG_RANDOM, now=_PG_NOW))
            if versioned
            else f"DROP FUNCTION IF EXISTS {_PG_EVERYTHING}() CASCADE"
        )
    for model in versioned_models():
        if model._meta.db_table in existing:
            drop, create = (_postgres if connection.vendor == "postgresql" else _sqlite)(
                model, quote
            )
            statements += drop + (create if versioned else [])
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for sql in statements:  # replaced in one transaction: never a moment without them
            cursor.execute(sql)


def constraint_names() -> list[str]:
    """The PostgreSQL constraint triggers, by name (for `SET CONSTRAINTS ... IMMEDIATE`)."""
    return [_name(table) for table in versioned_tables()]


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
