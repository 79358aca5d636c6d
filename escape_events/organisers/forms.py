"""Forms of the organiser's side: they validate and hand plain values to services."""

import zoneinfo
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from escape_events.events.models import TIME_ZONE_CHOICES, Event, Kind, Venue
from escape_events.registrations.models import Question, Registration, RegistrationSettings

from .exports import COLUMN_CHOICES
from .models import (
    MESSAGE_BODY_MAX,
    MESSAGE_RECIPIENTS_MAX,
    MESSAGE_SUBJECT_MAX,
    ExportLog,
)
from .selectors import ParticipantFilter

Mode = Registration.Mode
Status = Registration.Status
SORT_CHOICES = [
    ("registered", "Registration time, oldest first"),
    ("-registered", "Registration time, newest first"),
    ("name", "Name"),
    ("-name", "Name, Z to A"),
    ("email", "E-mail"),
    ("status", "Status"),
    ("mode", "Mode"),
    ("-checked_in", "Check-in time, latest first"),
]

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
                    f"Enter a year between {YEARS[0]} and {YEARS[1]}.", code="out_of_range"
                )
            return moment
        raise ValidationError("Enter a date and time such as 2030-10-14 14:00.", code="invalid")


def wall_clock(moment: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


class EventForm(forms.Form):
    """Create or edit an event. Times are read in the event's own time zone."""

    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.HANDS_ON)
    summary = forms.CharField(max_length=300, required=False)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text="Markdown."
    )
    time_zone = forms.ChoiceField(choices=TIME_ZONE_CHOICES, initial="Europe/Zurich")
    start = WallClockField(help_text="Local time in the event's time zone.")
    end = WallClockField(help_text="For an all-day event: its last day.")
    all_day = forms.BooleanField(required=False)
    venue = forms.ModelChoiceField(
        queryset=Venue.objects.all(), required=False, empty_label="Online / to be announced"
    )
    new_venue_name = forms.CharField(
        label="…or a new venue", max_length=200, required=False, help_text="e.g. CERN"
    )
    new_venue_room = forms.CharField(label="Room", max_length=200, required=False)
    new_venue_address = forms.CharField(label="Address", max_length=300, required=False)
    online_url = forms.URLField(label="Remote participation link", required=False)
    remote_note = forms.CharField(
        label="Note on remote participation",
        max_length=300,
        required=False,
        help_text='e.g. "Hands-on sessions are hard to follow remotely."',
    )
    contact_name = forms.CharField(max_length=200, required=False)
    contact_email = forms.EmailField(required=False)
    audience_note = forms.CharField(max_length=300, required=False)
    is_listed = forms.BooleanField(label="Listed on the public pages", required=False, initial=True)
    colocated_with = forms.ModelMultipleChoiceField(
        label="Held alongside",
        queryset=Event.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Other events at the same time and place (Ctrl/⌘-click to pick several).",
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
                choices=Event.Status.choices,
                help_text="Cancelling tells registrants; the Cancel button asks for confirmation.",
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
            self.add_error("end", "The end must be after the start.")
        if data.get("venue") and data.get("new_venue_name"):
            self.add_error("new_venue_name", "Pick an existing venue or name a new one, not both.")
        return data

    def event_values(self, venue: Venue | None) -> dict:
        """The model fields for events.services (venue resolved by the view's service call)."""
        skip = {"venue", "new_venue_name", "new_venue_room", "new_venue_address", "colocated_with"}
        values = {name: value for name, value in self.cleaned_data.items() if name not in skip}
        values["venue"] = venue
        return values


class CloneEventForm(forms.Form):
    start = WallClockField(label="New start", help_text="Local time in the event's time zone.")

    def __init__(self, *args, event: Event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def clean_start(self):
        return self.cleaned_data["start"].replace(tzinfo=self.event.zone)


class CoOrganiserForm(forms.Form):
    email = forms.EmailField(label="E-mail address of the co-organiser")

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(
                "No one has an account with this e-mail address. Ask them to sign up first, "
                "then add them here."
            )
        self.user = user
        return email


class RegistrationSettingsForm(forms.Form):
    """How people register; times are read in the event's time zone."""

    registration_required = forms.BooleanField(label="Take registrations", required=False)
    opens_at = WallClockField(label="Registration opens", required=False)
    closes_at = WallClockField(
        label="Registration closes", required=False, help_text="Empty: when the event starts."
    )
    allow_onsite = forms.BooleanField(label="On-site attendance", required=False, initial=True)
    onsite_capacity = forms.IntegerField(
        label="On-site seats", min_value=0, max_value=100_000, required=False,
        help_text="Empty: unlimited.",
    )  # fmt: skip
    allow_remote = forms.BooleanField(label="Remote attendance", required=False, initial=True)
    remote_capacity = forms.IntegerField(
        label="Remote places", min_value=0, max_value=100_000, required=False,
        help_text="Empty: unlimited.",
    )  # fmt: skip
    needs_approval = forms.BooleanField(label="Organisers approve each person", required=False)
    cancellation_deadline = WallClockField(
        required=False, help_text="Empty: attendees may cancel until the event starts."
    )
    restricted_to_groups = forms.ModelMultipleChoiceField(
        label="Only for members of", queryset=Group.objects.all(), required=False,
        help_text="Empty: everyone with an account.",
    )  # fmt: skip
    public_participant_list = forms.BooleanField(
        label="Public list of participants who consent", required=False
    )

    @staticmethod
    def initial_for(stored: RegistrationSettings | None, zone) -> dict:
        if stored is None:
            return {"opens_at": wall_clock(timezone.now(), zone).replace(second=0, microsecond=0)}
        initial = {
            name: getattr(stored, name)
            for name in (
                "registration_required", "allow_onsite", "onsite_capacity", "allow_remote",
                "remote_capacity", "needs_approval", "public_participant_list",
            )
        }  # fmt: skip
        for name in ("opens_at", "closes_at", "cancellation_deadline"):
            value = getattr(stored, name)
            initial[name] = wall_clock(value, zone) if value else None
        initial["restricted_to_groups"] = [group.pk for group in stored.restricted_to_groups.all()]
        return initial

    def clean_for(self, zone) -> dict | None:
        """Model values in `zone`, or None when the event takes no registrations."""
        data = self.cleaned_data
        if not data["registration_required"]:
            return None
        values = {
            name: data[name]
            for name in (
                "registration_required", "allow_onsite", "onsite_capacity", "allow_remote",
                "remote_capacity", "needs_approval", "public_participant_list",
            )
        }  # fmt: skip
        for name in ("opens_at", "closes_at", "cancellation_deadline"):
            values[name] = data[name].replace(tzinfo=zone) if data[name] else None
        return values

    def clean(self):
        data = super().clean()
        if not data.get("registration_required"):
            return data
        if not data.get("opens_at"):
            self.add_error("opens_at", "Say when registration opens.")
        if not (data.get("allow_onsite") or data.get("allow_remote")):
            self.add_error("allow_onsite", "Offer on-site or remote attendance (or both).")
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "Registration must close after it opens.")
        return data


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label="Options",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For choice questions: one option per line.",
    )

    class Meta:
        model = Question
        fields = ["label", "kind", "required", "position"]
        labels = {"label": "Question", "kind": "Answer type", "position": "Order"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["choices_text"] = "\n".join(self.instance.choices)

    def clean(self):
        data = super().clean()
        options = [line.strip() for line in data.get("choices_text", "").splitlines()]
        options = [option for option in options if option]
        choice_kinds = {Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE}
        if data.get("kind") in choice_kinds and len(options) < 2:
            self.add_error("choices_text", "Give at least two options, one per line.")
        self.instance.choices = options if data.get("kind") in choice_kinds else []
        return data


QuestionFormSet = forms.modelformset_factory(
    Question, form=QuestionForm, extra=1, can_delete=True, max_num=30, validate_max=True
)


class ParticipantFilterForm(forms.Form):
    """The participant list's query string; the export and messages reuse it as hidden fields."""

    q = forms.CharField(label="Search", max_length=100, required=False)
    mode = forms.ChoiceField(choices=[("", "Any mode"), *Mode.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    checked_in = forms.ChoiceField(
        label="Checked in",
        choices=[("", "Either"), ("yes", "Checked in"), ("no", "Not checked in")],
        required=False,
    )
    question = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    answer = forms.CharField(label="Answer contains", max_length=100, required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {question.pk: question for question in questions}
        self.fields["question"].choices = [("", "Any answers")] + [
            (question.pk, question.label) for question in questions
        ]

    def to_filter(self) -> ParticipantFilter:
        data = self.cleaned_data
        return ParticipantFilter(
            mode=data["mode"],
            status=data["status"],
            checked_in=data["checked_in"],
            q=data["q"].strip(),
            question=self.questions.get(data["question"]),
            answer=data["answer"].strip(),
            sort=data["sort"] or "registered",
        )

    def as_query(self) -> dict:
        """The filter as plain values, for logs and for links that keep it."""
        return {key: str(value) for key, value in self.cleaned_data.items() if value}


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=ExportLog.Format.choices, initial="csv", widget=forms.RadioSelect
    )
    columns = forms.MultipleChoiceField(
        choices=COLUMN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["name", "email", "affiliation", "mode", "status"],
        error_messages={"required": "Pick at least one column."},
    )


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("approve", "Approve"),
            ("reject", "Reject"),
            ("promote", "Promote from the waiting list"),
            ("cancel", "Cancel"),
            ("message", "Write to them"),
        ]
    )
    selected = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": "Tick at least one participant."},
    )

    def __init__(self, *args, registration_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(pk, pk) for pk in registration_ids]

    def clean_selected(self):
        selected = self.cleaned_data["selected"]
        if len(selected) > MESSAGE_RECIPIENTS_MAX:
            raise ValidationError(f"Select at most {MESSAGE_RECIPIENTS_MAX} people at once.")
        return selected


class MessageForm(forms.Form):
    subject = forms.CharField(max_length=MESSAGE_SUBJECT_MAX)
    body = forms.CharField(
        label="Message",
        max_length=MESSAGE_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=f"Plain text, at most {MESSAGE_BODY_MAX:,} characters.",
    )


class CheckInForm(forms.Form):
    code = forms.CharField(label="Code on the ticket", max_length=300, required=False)
    registration = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("code") and not data.get("registration"):
            raise ValidationError("Scan or type a code, or pick a name.")
        return data


class AttendanceForm(forms.Form):
    names = forms.CharField(
        label="Who was present",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One name per line, or separated by commas as in the minutes.",
    )

    def clean_names(self):
        text = self.cleaned_data["names"].replace("\n", ",")
        names = [" ".join(part.split()) for part in text.split(",")]
        names = [name for name in names if name]
        if any(len(name) > 200 for name in names):
            raise ValidationError("A name is longer than 200 characters.")
        if len(names) > 500:
            raise ValidationError("At most 500 names at once.")
        return names
