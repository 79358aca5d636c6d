"""Recurrence rules in words, both ways: "2nd and 4th Wednesday of each month" for the series
page, and the simple rules an organiser picks in words (`SimpleRule`) turned into an RRULE.

The words follow the active language: whole sentences are translatable patterns, ordinals are
translated per language (with Sunday apart, for Italian's feminine domenica), weekday names and
lists come from CLDR through Babel ("2e et 4e mercredi", "2. und 4. Mittwoch")."""

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from babel.dates import get_day_names
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrulestr
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from .when import babel_locale, date_text, day_of_year_text, list_text

DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKLY_WORD, MONTHLY_WORD = "weekly", "monthly"
SUNDAY = 6
CUSTOM_RULE = gettext_lazy("On a schedule of its own (see the dates of the meetings)")


def _day_name(weekday: int) -> str:
    """The weekday's name in the active language as CLDR writes it inside a sentence:
    'Wednesday', 'mercredi', 'Mittwoch', 'mercoledì', 'miércoles'."""
    return get_day_names("wide", locale=babel_locale())[weekday]


# Lazy, so form choices built at import follow the language of each request.
DAY_NAMES = [lazy(_day_name, str)(weekday) for weekday in range(7)]


def _ordinal(number: int, weekday: int | None = None) -> str:
    """'2nd', '2e', '2.', '2°' ('2ª' before Italian domenica), '2.º'; 'last'; '' when not said."""
    if weekday == SUNDAY:
        # Translators: an ordinal before "Sunday" ("the 2nd Sunday of the month"), for languages
        # where Sunday has another gender than the other days (Italian: 2ª domenica, ultima).
        words = {
            1: pgettext("before Sunday", "1st"),
            2: pgettext("before Sunday", "2nd"),
            3: pgettext("before Sunday", "3rd"),
            4: pgettext("before Sunday", "4th"),
            5: pgettext("before Sunday", "5th"),
            -1: pgettext("before Sunday", "last"),
            -2: pgettext("before Sunday", "second to last"),
        }
    else:
        # Translators: an ordinal before a weekday ("the 2nd Wednesday of the month"), also shown
        # alone as a choice in the series form.
        words = {
            1: pgettext("before a weekday", "1st"),
            2: pgettext("before a weekday", "2nd"),
            3: pgettext("before a weekday", "3rd"),
            4: pgettext("before a weekday", "4th"),
            5: pgettext("before a weekday", "5th"),
            -1: pgettext("before a weekday", "last"),
            -2: pgettext("before a weekday", "second to last"),
        }
    return words.get(number, "")


ordinal = lazy(_ordinal, str)


def _nth_weekdays(numbers, weekday: int) -> str:
    """'2nd and 4th Wednesday', '2e et 4e mercredi', '2. und 4. Mittwoch'."""
    ordered = sorted(numbers, key=lambda number: (number < 0, number))
    # Translators: ordinals and a weekday: "2nd and 4th Wednesday".
    return pgettext("ordinals and a weekday", "%(ordinals)s %(weekday)s") % {
        "ordinals": list_text([_ordinal(number, weekday) for number in ordered]),
        "weekday": _day_name(weekday),
    }


def _every_nth_weekdays(parts: list[str], interval: int) -> str:
    days = list_text(parts)
    if interval == 1:
        # Translators: a meeting series' rule: "Every 2nd and 4th Wednesday of each month".
        return gettext("Every %(days)s of each month") % {"days": days}
    return ngettext(
        "Every %(days)s of every %(count)s month",
        "Every %(days)s of every %(count)s months",
        interval,
    ) % {"days": days, "count": interval}


def _weekly(days: list[int], interval: int) -> str:
    names = list_text([_day_name(day) for day in days])
    if interval == 1:
        # Translators: a meeting series' rule: "Every week on Monday and Wednesday".
        return gettext("Every week on %(days)s") % {"days": names}
    return ngettext(
        "Every %(count)s week on %(days)s", "Every %(count)s weeks on %(days)s", interval
    ) % {"days": names, "count": interval}


def _until(words: str, until: date) -> str:
    # Translators: a rule with a last day: "Every week on Monday, until 30 Jun 2027".
    return gettext("%(rule)s, until %(day)s") % {"rule": words, "day": date_text(until)}


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
        if self.frequency == MONTHLY_WORD:
            (weekday,) = self.weekdays
            words = _every_nth_weekdays([_nth_weekdays(self.ordinals, weekday)], 1)
        else:
            words = _weekly(list(self.weekdays), self.interval)
        return capfirst(_until(words, self.until) if self.until else words)


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
        if len(weekdays) == 1 and not rule._byweekday and all(map(_ordinal, numbers)):
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
    interval = rule._interval
    if rule._freq == MONTHLY and rule._bynweekday:
        nths: dict[int, list[int]] = {}
        for weekday, nth in rule._bynweekday:
            nths.setdefault(weekday, []).append(nth)
        if any(not _ordinal(nth) for numbers in nths.values() for nth in numbers):
            return CUSTOM_RULE
        parts = [_nth_weekdays(numbers, weekday) for weekday, numbers in sorted(nths.items())]
        words = _every_nth_weekdays(parts, interval)
    elif rule._freq == MONTHLY and "BYDAY" in keys:
        days = list_text([_day_name(day) for day in sorted(rule._byweekday)])
        if interval == 1:
            # Translators: a rule such as "Every Wednesday" (of every month).
            words = gettext("Every %(days)s") % {"days": days}
        else:
            words = ngettext(
                "Every %(days)s, every %(count)s month",
                "Every %(days)s, every %(count)s months",
                interval,
            ) % {"days": days, "count": interval}
    elif "BYDAY" in keys or rule._freq not in (DAILY, WEEKLY, MONTHLY, YEARLY):
        return CUSTOM_RULE
    elif rule._freq == MONTHLY:
        days = list_text([str(day) for day in sorted(rule._bymonthday)])
        if interval == 1:
            # Translators: "Every month on day 1 and 15".
            words = gettext("Every month on day %(days)s") % {"days": days}
        else:
            words = ngettext(
                "Every %(count)s month on day %(days)s",
                "Every %(count)s months on day %(days)s",
                interval,
            ) % {"days": days, "count": interval}
    elif rule._freq == YEARLY:
        day = day_of_year_text(dtstart)
        if interval == 1:
            # Translators: "Every year on 25 September".
            words = gettext("Every year on %(date)s") % {"date": day}
        else:
            words = ngettext(
                "Every %(count)s year on %(date)s", "Every %(count)s years on %(date)s", interval
            ) % {"date": day, "count": interval}
    else:
        words = _every(rule._freq, interval)
    if rule._until:
        words = _until(words, rule._until)
    elif rule._count:
        words = ngettext("%(rule)s, %(count)s time", "%(rule)s, %(count)s times", rule._count) % {
            "rule": words,
            "count": rule._count,
        }
    return capfirst(words)


def _every(frequency: int, interval: int) -> str:
    """'Every day', 'Every 3 weeks'."""
    values = {"count": interval}
    if frequency == DAILY:
        if interval == 1:
            return gettext("Every day")
        return ngettext("Every %(count)s day", "Every %(count)s days", interval) % values
    if frequency == WEEKLY:
        if interval == 1:
            return gettext("Every week")
        return ngettext("Every %(count)s week", "Every %(count)s weeks", interval) % values
    if frequency == MONTHLY:
        if interval == 1:
            return gettext("Every month")
        return ngettext("Every %(count)s month", "Every %(count)s months", interval) % values
    if interval == 1:
        return gettext("Every year")
    return ngettext("Every %(count)s year", "Every %(count)s years", interval) % values
