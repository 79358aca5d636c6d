"""Making an API token on the account page."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from escape_events.organisers.permissions import organised_events

from .models import ApiToken

LIFETIMES = [
    ("7", _("7 days")),
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("365", _("1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What it is for, so you recognise it later, e.g. 'mailing list'."),
    )
    registrations = forms.BooleanField(
        label=_("My registrations: read them, register, cancel, switch mode"), required=False
    )
    organiser = forms.ChoiceField(
        label=_("Events I organise"), choices=ApiToken.OrganiserAccess.choices, required=False
    )
    event = forms.ModelChoiceField(
        label=_("Only this event"),
        queryset=None,
        required=False,
        empty_label=_("Every event I organise"),
    )
    lifetime = forms.TypedChoiceField(
        label=_("Expires after"), choices=LIFETIMES, initial="90", coerce=int
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = organised_events(user).order_by("-start")

    def clean(self):
        data = super().clean()
        if not data.get("registrations") and not data.get("organiser"):
            raise ValidationError(_("Give the token something to do: tick at least one scope."))
        if data.get("event") and not data.get("organiser"):
            self.add_error("event", _("Limiting to one event needs access to events you organise."))
        return data

    def lifetime_delta(self) -> timedelta:
        return timedelta(days=self.cleaned_data["lifetime"])
