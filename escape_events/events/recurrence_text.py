"""Recurrence rules in words, both ways: "2nd and 4th Wednesday of each month" for the series
page, and the simple rules an organiser picks in words (`SimpleRule`) turned into an RRULE."""

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrulestr

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
UNITS = {DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year"}
WEEKLY_WORD, MONTHLY_WORD = "weekly", "monthly"
CUSTOM_RULE = "On a schedule of its own (see the dates of the meetings)"


def ordinal(number: int) -> str:
    if number == -1:
        return "last"
    suffix = (
        "th"
        if 10 <= abs(number) % 100 <= 20
        else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _day(moment: date) -> str:
    return f"{moment.day} {moment:%b %Y}"


_UTC_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


def _local_rule_text(rule_text: str, zone: tzinfo) -> str:
    """The rule with its UNTIL (UTC, as RFC 5545 wants with a zoned DTSTART) in local wall time."""

    def local(match: re.Match) -> str:
        moment = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return f"UNTIL={moment.astimezone(zone):%Y%m%dT%H%M%S}"

    return _UTC_UNTIL.sub(local, rule_text)


def local_rule(rule_text: str, dtstart: datetime):
    """The rule expanded on local wall-clock time from a zoned start, so 14:00 stays 14:00
    across daylight-saving changes; it yields naive local datetimes."""
    zone = dtstart.tzinfo or UTC
    return rrulestr(_local_rule_text(rule_text, zone), dtstart=dtstart.replace(tzinfo=None))


@dataclass(frozen=True)
class SimpleRule:
    """What the organiser's series form offers: every N weeks on some weekdays, or the nth
    (and last) given weekday of each month; optionally until a last day."""

    frequency: str  # WEEKLY_WORD or MONTHLY_WORD
    weekdays: tuple[int, ...]  # 0 is Monday; monthly rules have exactly one
    interval: int = 1
    ordinals: tuple[int, ...] = ()  # monthly: 1 to 4, or -1 for the last
    until: date | None = None

    def to_rrule(self, zone: zoneinfo.ZoneInfo) -> str:
        if self.frequency == MONTHLY_WORD:
            (weekday,) = self.weekdays
            days = ",".join(f"{number}{DAY_CODES[weekday]}" for number in self.ordinals)
            parts = ["FREQ=MONTHLY", f"BYDAY={days}"]
        else:
            parts = ["FREQ=WEEKLY", "BYDAY=" + ",".join(DAY_CODES[day] for day in self.weekdays)]
            if self.interval > 1:
                parts.insert(1, f"INTERVAL={self.interval}")
        if self.until:
            # The end of the last day in the series' zone, written in UTC as RFC 5545 asks.
            last = datetime.combine(self.until, time(23, 59, 59), zone).astimezone(UTC)
            parts.append(f"UNTIL={last:%Y%m%dT%H%M%SZ}")
        return ";".join(parts)

    def describe(self) -> str:
        days = _join([DAY_NAMES[day] for day in self.weekdays])
        if self.frequency == MONTHLY_WORD:
            numbers = sorted(self.ordinals, key=lambda number: (number < 0, number))
            words = f"Every {_join([ordinal(number) for number in numbers])} {days} of each month"
        elif self.interval == 1:
            words = f"Every week on {days}"
        else:
            words = f"Every {self.interval} weeks on {days}"
        return f"{words}, until {_day(self.until)}" if self.until else words


def parse_simple_rule(rule_text: str, dtstart: datetime) -> SimpleRule | None:
    """The rule as the form's choices, or None when the form cannot show it (set in the admin)."""
    keys = {part.split("=", 1)[0].upper() for part in rule_text.split(";") if part}
    if not keys <= {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "WKST"}:
        return None
    rule = local_rule(rule_text, dtstart)
    until = rule._until.date() if rule._until else None  # dateutil keeps parts as attributes
    if rule._freq == WEEKLY:
        weekdays = tuple(sorted(rule._byweekday or (dtstart.weekday(),)))
        return SimpleRule(WEEKLY_WORD, weekdays, interval=rule._interval, until=until)
    if rule._freq == MONTHLY and rule._interval == 1 and rule._bynweekday:
        weekdays = {weekday for weekday, _ in rule._bynweekday}
        numbers = tuple(sorted(number for _, number in rule._bynweekday))
        if len(weekdays) == 1 and not rule._byweekday:
            return SimpleRule(MONTHLY_WORD, tuple(weekdays), ordinals=numbers, until=until)
    return None


def describe_rule(rule_text: str, dtstart: datetime) -> str:
    """Words for a rule; never the RFC 5545 text itself, which people cannot read."""
    simple = parse_simple_rule(rule_text, dtstart)
    if simple is not None:
        return simple.describe()
    keys = {part.split("=", 1)[0].upper() for part in rule_text.split(";") if part}
    if not keys <= {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "UNTIL", "COUNT", "WKST"}:
        return CUSTOM_RULE
    rule = local_rule(rule_text, dtstart)
    unit = UNITS.get(rule._freq)
    if unit is None:
        return CUSTOM_RULE
    interval = rule._interval
    every = f"Every {unit}" if interval == 1 else f"Every {interval} {unit}s"
    if rule._freq == MONTHLY and rule._bynweekday:
        ordinals: dict[int, list[int]] = {}
        for weekday, nth in rule._bynweekday:
            ordinals.setdefault(weekday, []).append(nth)
        parts = [
            f"{_join([ordinal(n) for n in sorted(nths, key=lambda n: (n < 0, n))])} "
            f"{DAY_NAMES[weekday]}"
            for weekday, nths in sorted(ordinals.items())
        ]
        month = "each month" if interval == 1 else f"every {interval} months"
        words = f"Every {_join(parts)} of {month}"
    elif rule._freq == MONTHLY and "BYDAY" in keys:
        words = f"Every {_join([DAY_NAMES[day] for day in sorted(rule._byweekday)])}"
        if interval > 1:
            words += f", every {interval} months"
    elif "BYDAY" in keys:
        return CUSTOM_RULE
    elif rule._freq == MONTHLY:
        days = _join([str(day) for day in sorted(rule._bymonthday)])
        words = f"{every} on day {days}"
    elif rule._freq == YEARLY:
        words = f"{every} on {dtstart.day} {dtstart:%B}"
    else:
        words = every
    if rule._until:
        words += f", until {_day(rule._until)}"
    elif rule._count:
        words += f", {rule._count} times"
    return words
