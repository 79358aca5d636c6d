"""When reminders go out before an event or each meeting of a series."""

from django import forms
from django.utils.translation import gettext_lazy as _

from escape_events.registrations.models import REMINDER_CHOICES, REMINDER_NOTE_MAX


class ReminderPlanForm(forms.Form):
    minutes_before = forms.TypedMultipleChoiceField(
        label=_("Send a reminder"),
        choices=REMINDER_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to send no reminders."),
        error_messages={"invalid_choice": _("Pick reminders from the list.")},
    )
    note = forms.CharField(
        label=_("A paragraph of your own"),
        required=False,
        max_length=REMINDER_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "In every reminder, after the opening line; plain text, e.g. “Please check that "
            "your SWAN login works and bring a laptop.”"
        ),
    )
    include_agenda = forms.BooleanField(label=_("Include the agenda"), required=False)
    include_calendar = forms.BooleanField(
        label=_("Attach the event as a calendar file (.ics)"), required=False
    )
