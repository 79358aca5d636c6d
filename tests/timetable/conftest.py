"""Events with room for an agenda: a one-day hands-on and a three-day all-day camp."""

from datetime import datetime, timedelta

import pytest

from escape_events.timetable import services
from tests.conftest import ZURICH


@pytest.fixture
def hands_on(make_event):
    start = datetime(2030, 10, 14, 14, 0, tzinfo=ZURICH)
    return make_event(title="SWAN hands-on", start=start, end=start + timedelta(hours=3.5))


@pytest.fixture
def camp(make_event):
    """Mon 14 – Wed 16 Oct 2030, all day (ends at midnight after the last day)."""
    return make_event(
        title="Rucio coding camp",
        all_day=True,
        start=datetime(2030, 10, 14, tzinfo=ZURICH),
        end=datetime(2030, 10, 17, tzinfo=ZURICH),
    )


def at(day: int, clock: str) -> datetime:
    """14 Oct 2030 is day 1."""
    hour, minute = (int(part) for part in clock.split(":"))
    return datetime(2030, 10, 13 + day, hour, minute, tzinfo=ZURICH)


@pytest.fixture
def add():
    def make(event, start, end, title="Talk", session=None, **values):
        return services.add_entry(
            event=event,
            values={"start": start, "end": end, "title": title, "session": session, **values},
        )

    return make
