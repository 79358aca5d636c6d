"""When reminders go out before an event or each meeting of a series."""

from django import forms

from escape_events.registrations.models import REMINDER_CHOICES


class ReminderPlanForm(forms.Form):
    minutes_before = forms.TypedMultipleChoiceField(
        label="Send a reminder",
        choices=REMINDER_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick none to send no reminders.",
        error_messages={"invalid_choice": "Pick reminders from the list."},
    )
