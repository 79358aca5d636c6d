"""Say a recurrence rule in words for the series page ("2nd and 4th Wednesday of each month")."""

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrulestr

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
UNITS = {DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year"}


def _ordinal(number: int) -> str:
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


def describe_rule(rule_text: str, dtstart) -> str:
    """Words for the common rules; the rule itself for anything more exotic."""
    keys = {part.split("=", 1)[0].upper() for part in rule_text.split(";") if part}
    if not keys <= {"FREQ", "INTERVAL", "BYDAY", "WKST"}:
        return rule_text
    rule = rrulestr(rule_text, dtstart=dtstart.replace(tzinfo=None))
    frequency = rule._freq  # dateutil keeps the parsed parts only as attributes
    interval = rule._interval
    unit = UNITS.get(frequency)
    if unit is None:
        return rule_text
    every = f"Every {unit}" if interval == 1 else f"Every {interval} {unit}s"
    by_day = "BYDAY" in keys
    if frequency == MONTHLY and rule._bynweekday:
        ordinals: dict[int, list[int]] = {}
        for weekday, nth in rule._bynweekday:
            ordinals.setdefault(weekday, []).append(nth)
        parts = [
            f"{_join([_ordinal(n) for n in sorted(nths, key=lambda n: (n < 0, n))])} "
            f"{DAY_NAMES[weekday]}"
            for weekday, nths in sorted(ordinals.items())
        ]
        month = "each month" if interval == 1 else f"every {interval} months"
        return f"{_join(parts)} of {month}"
    if frequency == WEEKLY:
        days = sorted(rule._byweekday) if by_day else [dtstart.weekday()]
        return f"{every} on {_join([DAY_NAMES[day] for day in days])}"
    if by_day:
        return rule_text
    if frequency == MONTHLY:
        return f"{every} on day {dtstart.day}"
    if frequency == YEARLY:
        return f"{every} on {dtstart.day} {dtstart:%B}"
    return every
