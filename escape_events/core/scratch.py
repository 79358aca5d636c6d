"""The one folder for temporary files of exports (SCRATCH_DIR), and how a file lives in it.

A file there has a name only while a writer that needs one (the .xlsx writer takes a path) is at
work: the reader opens it, the name goes at once, and the data live as long as the open handle
(the response closes it). A writer that raises loses its file in the same step; a process killed
mid-way leaves one behind, which `manage.py sweep_scratch` removes at the next start, before the
app servers run (`make run` and `make prod` call it, as they call migrate).
"""

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

PREFIX = "escape-"  # only what we made is swept


def scratch_folder() -> Path:
    folder = Path(settings.SCRATCH_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def scratch_path(suffix: str) -> Iterator[str]:
    """A new, empty file's path in the scratch folder; gone when the block ends, however it ends."""
    handle, name = tempfile.mkstemp(prefix=PREFIX, suffix=suffix, dir=scratch_folder())
    os.close(handle)
    try:
        yield name
    finally:
        Path(name).unlink(missing_ok=True)


def nameless_file():
    """A temporary file with no name at all (O_TMPFILE on Linux): nothing to leave behind."""
    return tempfile.TemporaryFile(prefix=PREFIX, dir=scratch_folder())


def sweep_scratch() -> int:
    """Remove what killed processes left in the scratch folder; how many files went.

    Only while no export runs (at start-up): a file being written has a name too.
    """
    removed = 0
    for path in scratch_folder().glob(f"{PREFIX}*"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
