"""Path converters of the organiser's side."""

from datetime import UTC, datetime

from escape_events.events.selectors import OCCURRENCE_YEARS

FORMAT = "%Y%m%dT%H%M%SZ"


class OccurrenceConverter:
    """A meeting's original start (its RECURRENCE-ID) in UTC, as iCalendar writes it:
    20300313T130000Z. Not a date at all, or a year outside OCCURRENCE_YEARS (where local
    times would overflow), gives 404; whether the series has a meeting then is the view's
    question."""

    regex = r"\d{8}T\d{6}Z"

    def to_python(self, value: str) -> datetime:
        moment = datetime.strptime(value, FORMAT).replace(tzinfo=UTC)
        if moment.year not in OCCURRENCE_YEARS:
            raise ValueError("No meeting is that far away.")
        return moment

    def to_url(self, value: datetime) -> str:
        return value.astimezone(UTC).strftime(FORMAT)
