"""A meeting series (its rule chosen in words), an extra meeting, and moving one meeting."""

import zoneinfo
from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from escape_events.events.models import TIME_ZONE_CHOICES, Kind, Series, Venue
from escape_events.events.recurrence_text import (
    DAY_NAMES,
    MONTHLY_WORD,
    WEEKLY_WORD,
    SimpleRule,
    describe_rule,
    ordinal,
    parse_simple_rule,
)
from escape_events.events.selectors import Occurrence

from .fields import YEARS, VenueFields, WallClockField, single_line, wall_clock

KEEP_RULE = "keep"
WEEKDAY_CHOICES = [(str(number), name) for number, name in enumerate(DAY_NAMES)]
ORDINAL_CHOICES = [(str(number), ordinal(number)) for number in (1, 2, 3, 4, -1)]


class SeriesForm(VenueFields):
    """Create or edit a series. The rule is picked in words (weekly on some days, or the nth
    weekdays of each month); times are read in the series' own time zone."""

    title = forms.CharField(label=_("Title"), max_length=200, validators=[single_line])
    kind = forms.ChoiceField(
        label=pgettext_lazy("kind of event", "Kind"), choices=Kind.choices, initial=Kind.MEETING
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=300, required=False, validators=[single_line]
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Markdown."),
    )
    repeat = forms.ChoiceField(
        label=_("Repeats"),
        widget=forms.RadioSelect,
        choices=[
            (WEEKLY_WORD, _("Every week, or every few weeks, on the days ticked")),
            (MONTHLY_WORD, _("On given weekdays of each month (e.g. every 2nd and 4th Wednesday)")),
        ],
        initial=WEEKLY_WORD,
    )
    interval = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=52, initial=1,
        help_text=_("1: every week, 2: every other week…"),
    )  # fmt: skip
    weekdays = forms.MultipleChoiceField(
        label=_("On"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    ordinals = forms.MultipleChoiceField(
        label=_("The"), choices=ORDINAL_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    month_weekday = forms.ChoiceField(
        label=_("Weekday of the month"), choices=WEEKDAY_CHOICES, required=False
    )
    first_day = forms.DateField(
        label=_("First meeting on or after"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The first day the rule gives from this date on."),
    )
    until = forms.DateField(
        label=_("Last meeting on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: no end."),
    )
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONE_CHOICES, initial="Europe/Zurich"
    )
    online_url = forms.URLField(label=_("Video conference link"), required=False)
    remote_note = forms.CharField(
        label=_("Note on remote participation"), max_length=300, required=False
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    audience_note = forms.CharField(label=_("Audience note"), max_length=300, required=False)
    is_listed = forms.BooleanField(
        label=_("Listed on the public pages"), required=False, initial=True
    )

    def __init__(self, *args, series: Series | None = None, **kwargs):
        self.series = series
        self.kept_rule = ""
        if series is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(series)
        super().__init__(*args, **kwargs)
        if series is not None and parse_simple_rule(series.rrule, self._local_start) is None:
            # A rule set in the admin that the choices cannot show: offered as it is.
            self.kept_rule = describe_rule(series.rrule, self._local_start)
            self.fields["repeat"].choices = [
                (KEEP_RULE, _("As now: %(rule)s") % {"rule": self.kept_rule}),
                *self.fields["repeat"].choices,
            ]
            self.initial.setdefault("repeat", KEEP_RULE)

    @property
    def _local_start(self) -> datetime:
        return self.series.first_start.astimezone(self.series.zone)

    @staticmethod
    def initial_for(series: Series) -> dict:
        start = series.first_start.astimezone(series.zone)
        names = (
            "title", "kind", "summary", "description", "time_zone", "online_url", "remote_note",
            "contact_name", "contact_email", "audience_note", "is_listed",
        )  # fmt: skip
        initial = {name: getattr(series, name) for name in names}
        initial.update(
            venue=series.venue_id,
            first_day=start.date(),
            start_time=start.time(),
            end_time=(start + series.duration).time(),
        )
        rule = parse_simple_rule(series.rrule, start)
        if rule is not None:
            initial.update(repeat=rule.frequency, interval=rule.interval, until=rule.until)
            if rule.frequency == MONTHLY_WORD:
                initial.update(
                    ordinals=[str(number) for number in rule.ordinals],
                    month_weekday=str(rule.weekdays[0]),
                )
            else:
                initial["weekdays"] = [str(day) for day in rule.weekdays]
        return initial

    def clean_first_day(self):
        return _within_years(self.cleaned_data["first_day"])

    def clean_until(self):
        until = self.cleaned_data.get("until")
        return _within_years(until) if until else None

    def clean(self):
        data = super().clean()
        repeat = data.get("repeat")
        if repeat == WEEKLY_WORD and not data.get("weekdays"):
            self.add_error("weekdays", _("Tick the days of the week the series meets on."))
        if repeat == MONTHLY_WORD:
            if not data.get("ordinals"):
                self.add_error("ordinals", _("Tick which weeks of the month (e.g. 2nd and 4th)."))
            if not data.get("month_weekday"):
                self.add_error("month_weekday", _("Pick the weekday."))
        first, until = data.get("first_day"), data.get("until")
        if first and until and until < first:
            self.add_error("until", _("The last meeting cannot come before the first."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start (on the same day)."))
        return data

    def rrule(self, zone: zoneinfo.ZoneInfo) -> str:
        data = self.cleaned_data
        if data["repeat"] == KEEP_RULE:
            return self.series.rrule
        if data["repeat"] == MONTHLY_WORD:
            rule = SimpleRule(
                MONTHLY_WORD,
                (int(data["month_weekday"]),),
                ordinals=tuple(sorted(int(number) for number in data["ordinals"])),
                until=data["until"],
            )
        else:
            rule = SimpleRule(
                WEEKLY_WORD,
                tuple(sorted(int(day) for day in data["weekdays"])),
                interval=data["interval"],
                until=data["until"],
            )
        return rule.to_rrule(zone)

    def series_values(self, venue: Venue | None) -> dict:
        """The model fields for events.services (venue resolved by the view's service call)."""
        data = self.cleaned_data
        zone = zoneinfo.ZoneInfo(data["time_zone"])
        start = datetime.combine(data["first_day"], data["start_time"], zone)
        end = datetime.combine(data["first_day"], data["end_time"], zone)
        copied = (
            "title", "kind", "summary", "description", "time_zone", "online_url", "remote_note",
            "contact_name", "contact_email", "audience_note", "is_listed",
        )  # fmt: skip
        return {
            **{name: data[name] for name in copied},
            "venue": venue,
            "rrule": self.rrule(zone),
            "first_start": start,
            "duration": end - start,
        }


def _within_years(day: date) -> date:
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise ValidationError(
            _("Enter a year between %(first)d and %(last)d.")
            % {"first": YEARS[0], "last": YEARS[1]}
        )
    return day


class ExtraMeetingForm(forms.Form):
    """One more meeting outside the rule: its start, end and place, in the series' zone."""

    start = WallClockField(label=_("Start"))
    end = WallClockField(label=_("End"))
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.all(), required=False)

    def __init__(self, *args, series: Series, **kwargs):
        self.zone = series.zone
        super().__init__(*args, **kwargs)
        usual = series.venue or _("online / to be announced")
        zone = _("Local time in %(zone)s.") % {"zone": series.time_zone}
        self.fields["start"].help_text = zone
        self.fields["end"].help_text = zone
        self.fields["venue"].empty_label = _("The usual place (%(place)s)") % {"place": usual}

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            if cleaned.get(name):
                cleaned[name] = cleaned[name].replace(tzinfo=self.zone)
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] <= cleaned["start"]:
            self.add_error("end", ValidationError(_("The end must be after the start.")))
        return cleaned


class MoveMeetingForm(ExtraMeetingForm):
    """New start, end and place of one meeting, read in the series' own time zone."""

    def __init__(self, *args, series: Series, meeting: Occurrence, **kwargs):
        own_venue = meeting.override.venue_id if meeting.override else None
        kwargs.setdefault(
            "initial",
            {
                "start": wall_clock(meeting.start, series.zone),
                "end": wall_clock(meeting.end, series.zone),
                "venue": own_venue if own_venue != series.venue_id else None,
            },
        )
        super().__init__(*args, series=series, **kwargs)


def extra_meeting_initial(series: Series, after: datetime) -> dict:
    """A start a week from now at the series' usual time, as a starting point."""
    local = series.first_start.astimezone(series.zone)
    day = after.astimezone(series.zone).date() + timedelta(days=7)
    start = datetime.combine(day, local.time())
    return {"start": start, "end": start + series.duration}
