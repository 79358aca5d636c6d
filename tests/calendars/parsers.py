"""Independent readers of our iCalendar output: icalendar, vobject and Mozilla's ical.js."""

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
import vobject

ROOT = Path(__file__).resolve().parents[2]
ICALJS_SCRIPT = ROOT / "tests" / "js" / "ical_check.mjs"


def read_with_icalendar(body: bytes) -> icalendar.Calendar:
    """Parse strictly: no component parse errors, every TZID has its VTIMEZONE."""
    calendar = icalendar.Calendar.from_ical(body)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    assert calendar.get_missing_tzids() == set()
    return calendar


def read_with_vobject(body: bytes):
    calendar = vobject.readOne(body.decode("utf-8"))
    for event in getattr(calendar, "vevent_list", []):
        event.dtstart.value  # noqa: B018 - resolving the value is what can fail
    return calendar


def read_with_icaljs(body: bytes, tmp_path: Path, after: datetime | None = None, before=None):
    """What ical.js (run by Node) reads; with a range, the occurrences it expands in it."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: ical.js checks need `node` (Node 20)")
    if not (ROOT / "node_modules" / "ical.js").is_dir():
        pytest.skip("node_modules/ical.js is missing: run `npm ci` in the project folder")
    path = tmp_path / "calendar.ics"
    path.write_bytes(body)
    command = [node, str(ICALJS_SCRIPT), str(path)]
    if after is not None:
        command += [after.isoformat(), before.isoformat()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def expand_with_recurring_ical_events(body: bytes, after: datetime, before: datetime):
    calendar = icalendar.Calendar.from_ical(body)
    return recurring_ical_events.of(calendar).between(after, before)
