"""When reminders go out before an event or each meeting of a series."""

from django import forms

from escape_events.registrations.models import REMINDER_CHOICES, REMINDER_NOTE_MAX


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
    note = forms.CharField(
        label="A paragraph of your own",
        required=False,
        max_length=REMINDER_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In every reminder, after the opening line; plain text, e.g. “Please check that "
        "your SWAN login works and bring a laptop.”",
    )
    include_agenda = forms.BooleanField(label="Include the agenda", required=False)
    include_calendar = forms.BooleanField(
        label="Attach the event as a calendar file (.ics)", required=False
    )
