"""The layers hold in URLs as in imports: an app never names the URLs of an app above it.

api, organisers, feeds > registrations > calendars > timetable > events > accounts, core
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRONT_ROOMS = ("api", "organisers", "feeds")
# Code and templates of the apps below the front rooms (their mails and pages included). Not
# templates/events: the public event and series pages are where the site is put together (the
# registration box, the calendar links of feeds, organisers' "Manage this event").
LOWER = {
    "registrations": ["escape_events/registrations", "templates/registrations",
                      "templates/mail/registrations"],
    "calendars": ["escape_events/calendars"],
    "events": ["escape_events/events"],
    "accounts": ["escape_events/accounts", "templates/account"],
    "core": ["escape_events/core"],
}  # fmt: skip
NAMED = re.compile(r"""["'](?:""" + "|".join(FRONT_ROOMS) + "):")


@pytest.mark.parametrize("app", sorted(LOWER))
def test_lower_apps_never_reverse_a_front_room_url(app):
    offenders = []
    for folder in LOWER[app]:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if NAMED.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
