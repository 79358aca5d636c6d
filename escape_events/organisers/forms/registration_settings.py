"""How an event takes registrations: capacities, dates, who may register, questions asked."""

from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone

from escape_events.registrations.models import Question, RegistrationSettings

from .fields import WallClockField, wall_clock


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
    modification_deadline = WallClockField(
        label="Attendees may change their registration until",
        required=False,
        help_text="Answers, names, mode and waiting lists. Empty: until registration closes.",
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
        for name in ("opens_at", "closes_at", "cancellation_deadline", "modification_deadline"):
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
        for name in ("opens_at", "closes_at", "cancellation_deadline", "modification_deadline"):
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
