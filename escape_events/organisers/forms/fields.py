"""Fields and validators shared by the organiser's forms: wall-clock dates, one-line text."""

import zoneinfo
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from escape_events.core.headers import single_line
from escape_events.events.models import Venue

__all__ = [
    "WALL_CLOCK_FORMATS", "YEARS", "VenueFields", "WallClockField", "lazy_format", "single_line",
    "wall_clock",
]  # fmt: skip


def _format(message, values) -> str:
    return str(message) % values


# A translatable text with its values, put into words when shown (in the reader's language):
# for fields' help texts set when the module loads.
lazy_format = lazy(lambda message, **values: _format(message, values), str)

WALL_CLOCK_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
YEARS = (1900, 2999)


class WallClockField(forms.DateTimeField):
    """A date and time as typed, without a zone: the event's own time zone is applied later."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        for pattern in WALL_CLOCK_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
            except ValueError:
                continue
            # Far from year 9999, so adding a duration or a year later cannot overflow.
            if not YEARS[0] <= moment.year <= YEARS[1]:
                raise ValidationError(
                    _("Enter a year between %(first)d and %(last)d.")
                    % {"first": YEARS[0], "last": YEARS[1]},
                    code="out_of_range",
                )
            return moment
        raise ValidationError(_("Enter a date and time such as 2030-10-14 14:00."), code="invalid")


def wall_clock(moment: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


class VenueFields(forms.Form):
    """Where: pick a known venue or name a new one (events and series alike)."""

    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.all(),
        required=False,
        empty_label=_("Online / to be announced"),
    )
    new_venue_name = forms.CharField(
        label=_("…or a new venue"), max_length=200, required=False, help_text=_("e.g. CERN")
    )
    new_venue_room = forms.CharField(label=_("Room"), max_length=200, required=False)
    new_venue_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    VENUE_FIELDS = ("venue", "new_venue_name", "new_venue_room", "new_venue_address")

    def clean(self):
        data = super().clean()
        if data.get("venue") and data.get("new_venue_name"):
            self.add_error(
                "new_venue_name", _("Pick an existing venue or name a new one, not both.")
            )
        return data
