"""A ZIP of materials written while it is sent: memory stays flat whatever the total size.

The standard library's zipfile writes to a stream it cannot seek (sizes go in a data
descriptor after each file), so no extra dependency is needed: it writes into a small pipe that
the response drains after every block. Files are stored, not compressed: slides, notebooks
packed as ZIP and PDFs barely shrink, and storing keeps the CPU free.
"""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

BLOCK = 1024 * 1024  # read and sent per step: the memory one download holds
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@dataclass(frozen=True)
class Member:
    """One file of the archive: its path inside it, its size, its time, how to open it."""

    path: str
    size: int
    modified: datetime
    open: Callable[[], io.BufferedIOBase]


class _Pipe(io.RawIOBase):
    """Where zipfile writes; `drain` hands over what was written since the last call."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def safe_part(text: str, fallback: str = "untitled") -> str:
    """One path segment: no separators, control characters or dots-only names."""
    cleaned = " ".join(_UNSAFE.sub(" ", text).split()).strip(".").strip()
    return cleaned[:120] or fallback


def unique_paths(paths: Iterable[str]) -> list[str]:
    """The same paths, a later duplicate becoming 'name (2).pdf'."""
    seen: set[str] = set()
    result = []
    for path in paths:
        candidate, number = path, 1
        while candidate.lower() in seen:
            number += 1
            stem, dot, suffix = path.rpartition(".")
            candidate = (
                f"{stem} ({number}).{suffix}" if dot and "/" not in suffix else f"{path} ({number})"
            )
        seen.add(candidate.lower())
        result.append(candidate)
    return result


def stream_zip(members: Iterable[Member], block: int = BLOCK) -> Iterator[bytes]:
    """The archive's bytes, a block at a time (ZIP64 where a member or the whole needs it)."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member in members:
            info = zipfile.ZipInfo(member.path, date_time=member.modified.timetuple()[:6])
            info.file_size = member.size
            with member.open() as source, archive.open(info, "w") as target:
                while data := source.read(block):
                    target.write(data)
                    yield pipe.drain()
            if tail := pipe.drain():
                yield tail
    if tail := pipe.drain():
        yield tail
