"""The event with its registration settings, as a registration reads it: one statement whose
SQL is written once per process from the models' columns.

A registration reads the event twice (the form before the lock, the decision under it). Built by
the ORM, most of each read's time went into compiling the same statement again (with its EXISTS
columns and an empty questions prefetch), and the read under the lock holds up everyone queued
behind it. Instances are built with `Model.from_db`, as the ORM does.
"""

from functools import cache

from django.db import connection

from escape_events.core.rows import converted
from escape_events.events.models import Event

from .models import Question, RegistrationSettings


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _has_rows(model, field: str) -> str:
    """EXISTS: whether `model` has rows whose `field` points at the event of the row."""
    table, column = _quoted(model._meta.db_table), _quoted(model._meta.get_field(field).column)
    event = f"{_quoted(Event._meta.db_table)}.{_quoted(Event._meta.pk.column)}"
    return f"EXISTS(SELECT 1 FROM {table} WHERE {column} = {event})"  # noqa: S608


def _fields(model) -> list:
    return list(model._meta.concrete_fields)


@cache
def _statement(key: str, *, facts: bool) -> str:
    """SELECT the event's columns, then its settings' (NULL when it has none), then, with
    `facts`, whether it has events held alongside and questions (EXISTS columns); WHERE `key` =
    the parameter. Table and column names come from the models, quoted; values are bound
    parameters."""
    event, settings = Event._meta, RegistrationSettings._meta
    table = _quoted(event.db_table)
    columns = [f"{table}.{_quoted(field.column)}" for field in _fields(Event)]
    columns += [f"s.{_quoted(field.column)}" for field in _fields(RegistrationSettings)]
    if facts:
        columns += [
            _has_rows(Event.colocated_with.through, "from_event"),
            _has_rows(Question, "event"),
        ]
    settings_event = settings.get_field("event").column
    return (
        f"SELECT {', '.join(columns)} FROM {table} "  # noqa: S608
        f"LEFT JOIN {_quoted(settings.db_table)} s "
        f"ON s.{_quoted(settings_event)} = {table}.{_quoted(event.pk.column)} "
        f"WHERE {table}.{_quoted(event.get_field(key).column)} = %s"
    )


def _instance(model, values):
    """An instance from its columns' raw values, converted as the ORM's compiler converts them."""
    fields = _fields(model)
    converted_values = [
        converted(field, value) for field, value in zip(fields, values, strict=True)
    ]
    return model.from_db(connection.alias, [field.attname for field in fields], converted_values)


def _read(key: str, value, *, facts: bool) -> Event | None:
    with connection.cursor() as cursor:
        cursor.execute(_statement(key, facts=facts), [value])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_fields(Event))
    settings_end = split + len(_fields(RegistrationSettings))
    event = _instance(Event, row[:split])
    settings = None
    if row[split] is not None:  # the settings' primary key: NULL when the event has none
        settings = _instance(RegistrationSettings, row[split:settings_end])
        RegistrationSettings.event.field.set_cached_value(settings, event)
    Event.registration_settings.related.set_cached_value(event, settings)
    if facts:
        event.has_colocated_with, event.has_questions = map(bool, row[settings_end:])
    return event


def event_with_settings(pk: int) -> Event | None:
    """The event and its registration settings (`event.registration_settings`, missing when it
    has none), read again: under the lock, exact."""
    return _read("id", pk, facts=False)


def event_to_register_by_slug(slug: str) -> Event | None:
    """The event and its settings, knowing whether events are held alongside
    (`has_colocated_with`) and whether it asks questions (`has_questions`)."""
    return _read("slug", slug, facts=True)
