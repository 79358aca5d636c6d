"""Moving one meeting of a series."""

from django import forms
from django.core.exceptions import ValidationError

from escape_events.events.models import Series, Venue
from escape_events.events.selectors import Occurrence

from .fields import WallClockField, wall_clock


class MoveMeetingForm(forms.Form):
    """New start, end and place of one meeting, read in the series' own time zone."""

    start = WallClockField()
    end = WallClockField()
    venue = forms.ModelChoiceField(queryset=Venue.objects.all(), required=False)

    def __init__(self, *args, series: Series, meeting: Occurrence, **kwargs):
        self.zone = series.zone
        own_venue = meeting.override.venue_id if meeting.override else None
        kwargs.setdefault(
            "initial",
            {
                "start": wall_clock(meeting.start, self.zone),
                "end": wall_clock(meeting.end, self.zone),
                "venue": own_venue if own_venue != series.venue_id else None,
            },
        )
        super().__init__(*args, **kwargs)
        usual = series.venue or "online / to be announced"
        self.fields["start"].help_text = f"Local time in {series.time_zone}."
        self.fields["end"].help_text = f"Local time in {series.time_zone}."
        self.fields["venue"].empty_label = f"The usual place ({usual})"

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            if cleaned.get(name):
                cleaned[name] = cleaned[name].replace(tzinfo=self.zone)
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", ValidationError("The end must be after the start."))
        return cleaned
