"""Making an API token on the account page."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError

from escape_events.organisers.permissions import organised_events

from .models import ApiToken

LIFETIMES = [("7", "7 days"), ("30", "30 days"), ("90", "90 days"), ("365", "1 year")]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What it is for, so you recognise it later, e.g. 'mailing list'."
    )
    registrations = forms.BooleanField(
        label="My registrations: read them, register, cancel, switch mode", required=False
    )
    organiser = forms.ChoiceField(
        label="Events I organise", choices=ApiToken.OrganiserAccess.choices, required=False
    )
    event = forms.ModelChoiceField(
        label="Only this event",
        queryset=None,
        required=False,
        empty_label="Every event I organise",
    )
    lifetime = forms.TypedChoiceField(
        label="Expires after", choices=LIFETIMES, initial="90", coerce=int
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = organised_events(user).order_by("-start")

    def clean(self):
        data = super().clean()
        if not data.get("registrations") and not data.get("organiser"):
            raise ValidationError("Give the token something to do: tick at least one scope.")
        if data.get("event") and not data.get("organiser"):
            self.add_error("event", "Limiting to one event needs access to events you organise.")
        return data

    def lifetime_delta(self) -> timedelta:
        return timedelta(days=self.cleaned_data["lifetime"])
