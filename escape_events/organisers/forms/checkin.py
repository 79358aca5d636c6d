"""Check-in at the door and attendance taken from the minutes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Code on the ticket"), max_length=300, required=False)
    registration = forms.IntegerField(required=False, widget=forms.HiddenInput)
    accept_remote = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("registration"):
            raise ValidationError(_("Scan or type a code, or pick a name."))
        return data


class AttendanceForm(forms.Form):
    names = forms.CharField(
        label=_("Who was present"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One name per line, or separated by commas as in the minutes."),
    )

    def clean_names(self):
        text = self.cleaned_data["names"].replace("\n", ",")
        names = [" ".join(part.split()) for part in text.split(",")]
        names = [name for name in names if name]
        if any(len(name) > 200 for name in names):
            raise ValidationError(_("A name is longer than 200 characters."))
        if len(names) > 500:
            raise ValidationError(_("At most 500 names at once."))
        return names
