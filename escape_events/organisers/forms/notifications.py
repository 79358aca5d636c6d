"""Who among the organisers hears what happens at an event, and how often."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ..models import Happening, NotificationSettings
from .fields import lazy_format

EXTRA_ADDRESSES_MAX = 20


class NotificationSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Tell organisers what happens"), required=False)
    all_organisers = forms.TypedChoiceField(
        label=_("Who is told"),
        choices=[
            ("yes", _("Every organiser of the event")),
            ("no", _("Only the organisers ticked")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    chosen_organisers = forms.ModelMultipleChoiceField(
        label=_("Organisers told"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    extra_addresses = forms.CharField(
        label=_("Also write to"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=lazy_format(
            _("One address per line, at most %(most)d (a team list, a secretariat)."),
            most=EXTRA_ADDRESSES_MAX,
        ),
    )
    happenings = forms.MultipleChoiceField(
        label=_("About"),
        choices=Happening.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Pick among the listed happenings.")},
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=NotificationSettings.Frequency.choices,
        widget=forms.RadioSelect,
        initial=NotificationSettings.Frequency.IMMEDIATELY,
    )

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen_organisers"].queryset = organisers
        self.fields["chosen_organisers"].label_from_instance = lambda person: (
            f"{person.display_name} ({person.email})"
        )

    @staticmethod
    def initial_for(stored: NotificationSettings | None) -> dict:
        if stored is None:
            return {"happenings": list(Happening.values)}
        return {
            "enabled": True,
            "all_organisers": "yes" if stored.all_organisers else "no",
            "chosen_organisers": list(stored.chosen_organisers.all()),
            "extra_addresses": "\n".join(stored.extra_addresses),
            "happenings": stored.happenings,
            "frequency": stored.frequency,
        }

    def clean_extra_addresses(self):
        addresses = [line.strip() for line in self.cleaned_data["extra_addresses"].splitlines()]
        addresses = list(dict.fromkeys(address for address in addresses if address))
        if len(addresses) > EXTRA_ADDRESSES_MAX:
            raise ValidationError(_("At most %(most)d addresses.") % {"most": EXTRA_ADDRESSES_MAX})
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise ValidationError(
                    _("Not an e-mail address: %(address)s") % {"address": address[:100]}
                ) from None
        return addresses

    def clean(self):
        data = super().clean()
        if not data.get("enabled"):
            return data
        if not data.get("happenings"):
            self.add_error("happenings", _("Tick at least one happening."))
        nobody = data.get("all_organisers") is False and not data.get("chosen_organisers")
        if nobody and not data.get("extra_addresses") and "extra_addresses" not in self.errors:
            self.add_error("chosen_organisers", _("Tick an organiser or give an address."))
        return data

    def values(self) -> dict | None:
        """What `save_notification_settings` takes (None: nobody is told)."""
        data = self.cleaned_data
        if not data["enabled"]:
            return None
        return {
            "all_organisers": data["all_organisers"],
            "chosen_organisers": list(data["chosen_organisers"]),
            "extra_addresses": data["extra_addresses"],
            "happenings": data["happenings"],
            "frequency": data["frequency"],
        }
