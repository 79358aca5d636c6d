import zoneinfo
from datetime import date, datetime

import pytest
from django.utils import translation

from escape_events.events.recurrence_text import (
    CUSTOM_RULE,
    DAY_NAMES,
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


# These read the compiled catalogues (fr, de, it, es) for the rule patterns and ordinals.
@pytest.mark.parametrize(
    ("language", "rule", "words"),
    [
        ("en-gb", "FREQ=MONTHLY;BYDAY=2WE,4WE", "Every 2nd and 4th Wednesday of each month"),
        ("fr", "FREQ=MONTHLY;BYDAY=2WE,4WE", "2e et 4e mercredi de chaque mois"),
        ("de", "FREQ=MONTHLY;BYDAY=2WE,4WE", "Jeden 2. und 4. Mittwoch im Monat"),
        ("it", "FREQ=MONTHLY;BYDAY=2WE,4WE", "Ogni 2° e 4° mercoledì del mese"),
        ("es", "FREQ=MONTHLY;BYDAY=2WE,4WE", "2.º y 4.º miércoles de cada mes"),
        ("fr", "FREQ=MONTHLY;BYDAY=-1FR", "Dernier vendredi de chaque mois"),
        ("it", "FREQ=MONTHLY;BYDAY=1SU,3SU", "Ogni 1ª e 3ª domenica del mese"),
        ("es", "FREQ=MONTHLY;BYDAY=1MO,3TH", "1.er lunes y 3.er jueves de cada mes"),
        ("de", "FREQ=WEEKLY;BYDAY=MO,TU", "Jeden Montag und Dienstag"),
        ("fr", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "Toutes les 2 semaines, le lundi"),
        ("it", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "Ogni 2 settimane, di lunedì"),
        ("es", "FREQ=YEARLY", "Cada año el 25 de septiembre"),
        ("de", "FREQ=DAILY;COUNT=5", "Jeden Tag, 5-mal"),
    ],
)
def test_rules_read_naturally_in_each_language(language, rule, words):
    with translation.override(language):
        assert describe_rule(rule, WEDNESDAY) == words


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en-gb", "Every week on Wednesday, until 30 Jun 2026"),
        ("fr", "Chaque mercredi, jusqu’au 30 juin 2026"),
        ("de", "Jeden Mittwoch, bis 30. Juni 2026"),
        ("it", "Ogni mercoledì, fino al 30 giu 2026"),
        ("es", "Cada miércoles, hasta el 30 jun 2026"),
    ],
)
def test_the_last_day_is_said_in_each_language(language, words):
    start = datetime(2026, 1, 14, 14, tzinfo=ZURICH)
    with translation.override(language):
        assert describe_rule("FREQ=WEEKLY;BYDAY=WE;UNTIL=20260630T215959Z", start) == words


def test_weekday_names_follow_the_language_without_catalogues():
    """CLDR's names (Babel): German capitalised, the others lowercase inside a sentence."""
    with translation.override("de"):
        assert [str(name) for name in DAY_NAMES[:3]] == ["Montag", "Dienstag", "Mittwoch"]
    with translation.override("fr"):
        assert str(DAY_NAMES[2]) == "mercredi"
    with translation.override("es"):
        assert str(DAY_NAMES[2]) == "miércoles"
    assert str(DAY_NAMES[2]) == "Wednesday"
