"""Creating, editing and cloning an event, and adding a co-organiser to it."""

import zoneinfo
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from escape_events.events.models import TIME_ZONE_CHOICES, Event, Kind, Venue

from .fields import VenueFields, WallClockField, single_line, wall_clock


class EventForm(VenueFields):
    """Create or edit an event. Times are read in the event's own time zone."""

    title = forms.CharField(label=_("Title"), max_length=200, validators=[single_line])
    kind = forms.ChoiceField(
        label=pgettext_lazy("kind of event", "Kind"), choices=Kind.choices, initial=Kind.HANDS_ON
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=300, required=False, validators=[single_line]
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Markdown."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONE_CHOICES, initial="Europe/Zurich"
    )
    start = WallClockField(label=_("Start"), help_text=_("Local time in the event's time zone."))
    end = WallClockField(label=_("End"), help_text=_("For an all-day event: its last day."))
    all_day = forms.BooleanField(label=_("All day"), required=False)
    online_url = forms.URLField(label=_("Remote participation link"), required=False)
    remote_note = forms.CharField(
        label=_("Note on remote participation"),
        max_length=300,
        required=False,
        help_text=_('e.g. "Hands-on sessions are hard to follow remotely."'),
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    audience_note = forms.CharField(label=_("Audience note"), max_length=300, required=False)
    is_listed = forms.BooleanField(
        label=_("Listed on the public pages"), required=False, initial=True
    )
    colocated_with = forms.ModelMultipleChoiceField(
        label=_("Held alongside"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Other events you organise at the same time and place (Ctrl/⌘-click to pick "
            "several). To link someone else's event, ask them to make you a co-organiser."
        ),
    )

    def __init__(self, *args, event: Event | None = None, **kwargs):
        self.event = event
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(event)
        super().__init__(*args, **kwargs)
        recent = timezone.now() - timedelta(days=400)
        others = Event.objects.filter(series__isnull=True, end__gte=recent).order_by("start")
        if event is not None:
            others = others.exclude(pk=event.pk)
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"),
                choices=Event.Status.choices,
                help_text=_(
                    "Cancelling tells registrants; the Cancel button asks for confirmation."
                ),
            )
            self.initial.setdefault("status", event.status)
        self.fields["colocated_with"].queryset = others

    @staticmethod
    def initial_for(event: Event) -> dict:
        zone = event.zone
        end = wall_clock(event.end, zone)
        if event.all_day:
            end -= timedelta(days=1)
        names = (
            "title", "kind", "summary", "description", "time_zone", "all_day", "online_url",
            "remote_note", "contact_name", "contact_email", "audience_note", "is_listed", "status",
        )  # fmt: skip
        initial = {name: getattr(event, name) for name in names}
        initial.update(
            start=wall_clock(event.start, zone),
            end=end,
            venue=event.venue_id,
            colocated_with=[other.pk for other in event.colocated_with.all()],
        )
        return initial

    def clean(self):
        data = super().clean()
        zone_name, start, end = data.get("time_zone"), data.get("start"), data.get("end")
        if not (zone_name and start and end):
            return data
        zone = zoneinfo.ZoneInfo(zone_name)
        if data.get("all_day"):
            start = datetime.combine(start.date(), time.min)
            end = datetime.combine(end.date() + timedelta(days=1), time.min)
        data["start"], data["end"] = start.replace(tzinfo=zone), end.replace(tzinfo=zone)
        if data["end"] <= data["start"]:
            self.add_error("end", _("The end must be after the start."))
        return data

    def event_values(self, venue: Venue | None) -> dict:
        """The model fields for events.services (venue resolved by the view's service call)."""
        skip = {*self.VENUE_FIELDS, "colocated_with"}
        values = {name: value for name, value in self.cleaned_data.items() if name not in skip}
        values["venue"] = venue
        return values


class CloneEventForm(forms.Form):
    start = WallClockField(
        label=_("New start"), help_text=_("Local time in the event's time zone.")
    )

    def __init__(self, *args, event: Event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def clean_start(self):
        return self.cleaned_data["start"].replace(tzinfo=self.event.zone)


class CoOrganiserForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the co-organiser"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(
                _(
                    "No one has an account with this e-mail address. Ask them to sign up first, "
                    "then add them here."
                )
            )
        self.user = user
        return email
