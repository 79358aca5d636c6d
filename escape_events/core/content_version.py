"""The version of what public pages show, for caches keyed on it.

The app that keeps the version (feeds, whose database triggers change it with every write to
the content) sits above the pages that want it, so it registers its reader here when it starts;
the pages ask `current()` without importing it.
"""

from collections.abc import Callable

from django.db import connection

_reader: Callable[[], str] | None = None


def read_with(reader: Callable[[], str] | None) -> None:
    """Read the version with `reader` from now on (None: no version, nothing is cached)."""
    global _reader
    _reader = reader


def current() -> str | None:
    """The version now, or None, meaning "do not cache".

    None inside a transaction the code opened: its own writes are visible to it before the
    version changes (on PostgreSQL the version changes at commit), so what it renders could be
    kept under the version that does not have them, and be wrong if it rolls back. Tests run in
    a transaction of Django's own, which does not count (Django's `durable` check reads the same
    mark).
    """
    if _reader is None or _in_own_transaction():
        return None
    return _reader()


def _in_own_transaction() -> bool:
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
