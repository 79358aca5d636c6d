from datetime import datetime

import pytest

from escape_events.events.recurrence_text import describe_rule

WEDNESDAY = datetime(2019, 9, 25, 14)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=2WE,4WE", "2nd and 4th Wednesday of each month"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "last Friday of each month"),
        ("FREQ=MONTHLY;BYDAY=1MO,3TH", "1st Monday and 3rd Thursday of each month"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "Every 2 weeks on Wednesday"),
        ("FREQ=WEEKLY", "Every week on Wednesday"),
        ("FREQ=WEEKLY;BYDAY=MO,TU", "Every week on Monday and Tuesday"),
        ("FREQ=MONTHLY", "Every month on day 25"),
        ("FREQ=YEARLY", "Every year on 25 September"),
        ("FREQ=DAILY;INTERVAL=3", "Every 3 days"),
    ],
)
def test_common_rules_in_words(rule, words):
    assert describe_rule(rule, WEDNESDAY) == words


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY;BYMONTHDAY=3", "FREQ=MONTHLY;BYDAY=WE"])
def test_rules_it_cannot_say_are_shown_as_they_are(rule):
    assert describe_rule(rule, WEDNESDAY) == rule
