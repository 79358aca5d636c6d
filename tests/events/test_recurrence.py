from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from escape_events.events.models import Event, validate_rrule
from escape_events.events.selectors import expand_series, next_occurrences, occurrences_between
from escape_events.events.services import materialise_occurrence
from tests.conftest import ZURICH

AUTUMN_2019 = (datetime(2019, 9, 1, tzinfo=UTC), datetime(2019, 12, 1, tzinfo=UTC))


def local(*args):
    return datetime(*args, tzinfo=ZURICH)


def test_wp2_rule_gives_second_and_fourth_wednesdays(wp2_series):
    starts = [occ.start for occ in expand_series(wp2_series, *AUTUMN_2019)]
    assert starts == [
        local(2019, 9, 25, 14),
        local(2019, 10, 9, 14),
        local(2019, 10, 23, 14),
        local(2019, 11, 13, 14),
        local(2019, 11, 27, 14),
    ]


def test_local_time_is_kept_across_the_dst_change(wp2_series):
    """Summer meetings are 12:00Z, winter ones 13:00Z: the wall clock stays at 14:00."""
    occurrences = expand_series(wp2_series, *AUTUMN_2019)
    utc_hours = [occ.start.astimezone(UTC).hour for occ in occurrences]
    assert utc_hours == [12, 12, 12, 13, 13]
    assert {occ.local_start.strftime("%H:%M") for occ in occurrences} == {"14:00"}
    assert occurrences[2].local_start.tzname() == "CEST"
    assert occurrences[3].local_start.tzname() == "CET"


def test_moved_and_cancelled_occurrences_over_dst(wp2_series):
    moved = materialise_occurrence(series=wp2_series, recurrence_id=local(2019, 10, 23, 14))
    moved.start, moved.end = local(2019, 10, 24, 10), local(2019, 10, 24, 11)
    moved.save()
    cancelled = materialise_occurrence(series=wp2_series, recurrence_id=local(2019, 11, 13, 14))
    cancelled.status = Event.Status.CANCELLED
    cancelled.save()

    occurrences = occurrences_between(*AUTUMN_2019, [wp2_series])

    assert [occ.start for occ in occurrences] == [
        local(2019, 9, 25, 14),
        local(2019, 10, 9, 14),
        local(2019, 10, 24, 10),
        local(2019, 11, 13, 14),
        local(2019, 11, 27, 14),
    ]
    assert occurrences[2].is_moved and occurrences[2].override == moved
    assert occurrences[3].is_cancelled and not occurrences[4].is_cancelled


def test_occurrence_moved_into_the_range_from_outside_is_listed(wp2_series):
    moved = materialise_occurrence(series=wp2_series, recurrence_id=local(2019, 12, 11, 14))
    moved.start, moved.end = local(2019, 11, 29, 9), local(2019, 11, 29, 10)
    moved.save()
    occurrences = occurrences_between(*AUTUMN_2019, [wp2_series])
    assert occurrences[-1].start == local(2019, 11, 29, 9)


def test_extra_date_outside_the_rule_is_an_occurrence(wp2_series):
    extra = materialise_occurrence(series=wp2_series, recurrence_id=local(2019, 9, 4, 14))
    assert not wp2_series.rule_includes(extra.recurrence_id)
    assert wp2_series.rule_includes(local(2019, 9, 25, 14))
    starts = [occ.start for occ in occurrences_between(*AUTUMN_2019, [wp2_series])]
    assert starts[0] == local(2019, 9, 4, 14)


def test_occurrences_are_computed_without_stored_rows(wp2_series):
    after = datetime(2030, 1, 1, tzinfo=UTC)
    occurrences = occurrences_between(after, after + timedelta(days=3650), [wp2_series])
    assert len(occurrences) == 240
    assert not Event.objects.exists()


def test_next_occurrences_start_after_now(wp2_series):
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    upcoming = next_occurrences(wp2_series, 3, now)
    assert [occ.local_start.date().isoformat() for occ in upcoming] == [
        "2026-11-25",  # today, 14:00 Zurich is 13:00Z: still ahead
        "2026-12-09",
        "2026-12-23",
    ]


@pytest.mark.parametrize(
    "rule", ["", "FREQ=SOMETIMES", "RRULE:FREQ=DAILY", "FREQ=DAILY\nDTSTART:2019", "BYDAY=XX"]
)
def test_invalid_rules_are_rejected_with_a_message(rule):
    with pytest.raises(ValidationError) as error:
        validate_rrule(rule)
    assert error.value.messages[0]


@pytest.mark.parametrize("rule", ["FREQ=HOURLY", "FREQ=MINUTELY;INTERVAL=30", "FREQ=SECONDLY"])
def test_rules_repeating_more_often_than_daily_are_refused(rule):
    with pytest.raises(ValidationError, match="at most daily"):
        validate_rrule(rule)
