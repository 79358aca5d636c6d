import zoneinfo
from datetime import date, datetime

import pytest

from escape_events.events.recurrence_text import (
    CUSTOM_RULE,
    MONTHLY_WORD,
    WEEKLY_WORD,
    SimpleRule,
    describe_rule,
    local_rule,
    parse_simple_rule,
)

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
WEDNESDAY = datetime(2019, 9, 25, 14)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=2WE,4WE", "Every 2nd and 4th Wednesday of each month"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every last Friday of each month"),
        ("FREQ=MONTHLY;BYDAY=1MO,3TH", "Every 1st Monday and 3rd Thursday of each month"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "Every 2 weeks on Wednesday"),
        ("FREQ=WEEKLY", "Every week on Wednesday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU", "Every week on Monday and Tuesday"),
        ("FREQ=MONTHLY", "Every month on day 25"),
        ("FREQ=MONTHLY;BYMONTHDAY=3", "Every month on day 3"),
        ("FREQ=MONTHLY;BYDAY=WE", "Every Wednesday"),
        ("FREQ=YEARLY", "Every year on 25 September"),
        ("FREQ=DAILY;INTERVAL=3", "Every 3 days"),
        ("FREQ=DAILY;COUNT=5", "Every day, 5 times"),
    ],
)
def test_common_rules_in_words(rule, words):
    assert describe_rule(rule, WEDNESDAY) == words


@pytest.mark.parametrize(
    "rule", ["FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR", "FREQ=YEARLY;BYWEEKNO=20"]
)
def test_rules_it_cannot_say_are_never_shown_as_rfc_5545(rule):
    words = describe_rule(rule, WEDNESDAY)
    assert words == CUSTOM_RULE
    assert "FREQ" not in words


def test_the_last_day_is_said_in_the_series_zone():
    # 23:59:59 on 30 June in Zurich is 21:59:59 UTC: the words say 30 June, not the UTC day.
    start = datetime(2026, 1, 14, 14, tzinfo=ZURICH)
    words = describe_rule("FREQ=WEEKLY;BYDAY=WE;UNTIL=20260630T215959Z", start)
    assert words == "Every week on Wednesday, until 30 Jun 2026"


@pytest.mark.parametrize(
    ("simple", "rule", "words"),
    [
        (
            SimpleRule(MONTHLY_WORD, (2,), ordinals=(2, 4)),
            "FREQ=MONTHLY;BYDAY=2WE,4WE",
            "Every 2nd and 4th Wednesday of each month",
        ),
        (SimpleRule(WEEKLY_WORD, (0,)), "FREQ=WEEKLY;BYDAY=MO", "Every week on Monday"),
        (
            SimpleRule(WEEKLY_WORD, (1, 3), interval=2, until=date(2027, 6, 30)),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20270630T215959Z",
            "Every 2 weeks on Tuesday and Thursday, until 30 Jun 2027",
        ),
        (
            SimpleRule(MONTHLY_WORD, (4,), ordinals=(-1,)),
            "FREQ=MONTHLY;BYDAY=-1FR",
            "Every last Friday of each month",
        ),
    ],
)
def test_a_rule_picked_in_words_round_trips(simple, rule, words):
    start = datetime(2026, 1, 14, 14, tzinfo=ZURICH)
    assert simple.to_rrule(ZURICH) == rule
    assert simple.describe() == words
    assert describe_rule(rule, start) == words
    assert parse_simple_rule(rule, start) == simple


def test_the_last_meeting_of_a_rule_with_an_end_is_on_its_last_day():
    start = datetime(2026, 6, 3, 18, tzinfo=ZURICH)
    rule = SimpleRule(WEEKLY_WORD, (2,), until=date(2026, 6, 24)).to_rrule(ZURICH)
    meetings = list(local_rule(rule, start))
    assert [meeting.day for meeting in meetings] == [3, 10, 17, 24]  # 18:00 on 24 June is in


def test_rules_the_form_cannot_show_are_not_simple():
    assert parse_simple_rule("FREQ=MONTHLY;BYMONTHDAY=3", WEDNESDAY) is None
    assert parse_simple_rule("FREQ=MONTHLY;BYDAY=1MO,3TH", WEDNESDAY) is None  # two weekdays
    assert parse_simple_rule("FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE", WEDNESDAY) is None
