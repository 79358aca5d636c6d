"""The streamed ZIP: what comes out is a valid archive with the bytes put in, under safe and
distinct names, and it arrives a block at a time."""

import io
import zipfile
from datetime import UTC, datetime

from escape_events.timetable.bundles import Member, safe_part, stream_zip, unique_paths


def test_a_streamed_zip_holds_every_byte_and_arrives_in_blocks():
    contents = {"a/one.pdf": b"%PDF-" + bytes(range(256)) * 40, "b/two.txt": b"plain\n" * 999}
    moment = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    members = [
        Member(path, len(data), moment, lambda data=data: io.BytesIO(data))
        for path, data in contents.items()
    ]
    chunks = list(stream_zip(members, block=1024))
    assert len(chunks) > 10  # sent as it is written, not at the end
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    assert {name: archive.read(name) for name in archive.namelist()} == contents
    assert archive.getinfo("a/one.pdf").date_time == (2026, 12, 7, 9, 30, 0)


def test_names_are_one_safe_segment_and_never_twice():
    assert safe_part('../slides: "final"?/v2') == "slides final v2"
    assert safe_part("...") == "untitled"
    assert unique_paths(["x/Slides.pdf", "x/slides.pdf", "x/Slides.pdf", "x/notes"]) == [
        "x/Slides.pdf",
        "x/slides (2).pdf",
        "x/Slides (3).pdf",
        "x/notes",
    ]
