"""Path converters of the organiser's side."""

from datetime import UTC, datetime

FORMAT = "%Y%m%dT%H%M%SZ"


class OccurrenceConverter:
    """A meeting's original start (its RECURRENCE-ID) in UTC, as iCalendar writes it:
    20300313T130000Z. Not a date at all gives 404; whether the series has a meeting then
    is the view's question."""

    regex = r"\d{8}T\d{6}Z"

    def to_python(self, value: str) -> datetime:
        return datetime.strptime(value, FORMAT).replace(tzinfo=UTC)

    def to_url(self, value: datetime) -> str:
        return value.astimezone(UTC).strftime(FORMAT)
