"""Values read by hand-written SQL, converted as the ORM converts them.

A few hot statements are SQL written once per process (the ORM took longer to build them than
the database to run them); their raw values still need the backend's conversions (SQLite hands
dates back as text, booleans as integers) before they mean what the model field says.
"""

from django.db import connection


def converted(field, value, *, table: str | None = None):
    """`value` as read from `field`'s column, through the backend's and the field's converters."""
    column = field.get_col(table or field.model._meta.db_table)
    for convert in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = convert(value, column, connection)
    return value
