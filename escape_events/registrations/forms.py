"""The one-step registration form: mode, the event's questions, consent, co-located events."""

from django import forms

from escape_events.accounts.services import privacy_notice_in_force

from .models import Question, Registration
from .selectors import Panel
from .services import MAX_ANSWER_LENGTH, RegistrationRequest, retention_months

Mode = Registration.Mode
WAIT_SUFFIX = "+wait"


def question_field(question: Question, *, required: bool) -> forms.Field:
    common = {"label": question.label, "required": required}
    if question.kind == Question.Kind.SINGLE_CHOICE:
        choices = [(choice, choice) for choice in question.choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        choices = [(choice, choice) for choice in question.choices]
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == Question.Kind.YES_NO:
        return forms.ChoiceField(
            choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, **common
        )
    return forms.CharField(max_length=MAX_ANSWER_LENGTH, **common)


def attend_choices(panel: Panel) -> list[tuple[str, str]]:
    """The ways to attend, saying plainly which are full and what the waiting list offers."""
    choices = []
    for offer in panel.offers:
        if offer.is_full:
            label = f"{offer.label} — full, join the waiting list"
        elif offer.free is None:
            label = offer.label
        else:
            label = f"{offer.label} ({offer.free} of {offer.capacity} places left)"
        choices.append((offer.mode, label))
    full = panel.full_offer
    if full:
        other = panel.other_offer(full)
        choices.insert(
            0,
            (
                f"{other.mode}{WAIT_SUFFIX}",
                f"{full.label} is full — join {other.label.lower()} now "
                f"and stay on the {full.label.lower()} waiting list",
            ),
        )
    return choices


def _first_allowed(settings) -> str:
    return next(mode for mode in Mode.values if settings.allows(mode))


class RegistrationForm(forms.Form):
    attend = forms.ChoiceField(label="How will you attend?", widget=forms.RadioSelect)
    consent_to_list = forms.BooleanField(
        label="Show my name in the list of participants", required=False
    )
    accept_privacy_notice = forms.BooleanField(
        label="I have read the privacy notice",
        error_messages={"required": "Please read the privacy notice and tick the box."},
    )
    privacy_notice_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, panel: Panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel = panel
        self.notice = privacy_notice_in_force()
        self.fields["privacy_notice_version"].initial = self.notice.version
        self.retention_months = retention_months(panel.settings)
        self.fields["attend"].choices = attend_choices(panel)
        if len(self.fields["attend"].choices) == 1:
            self.fields["attend"].initial = self.fields["attend"].choices[0][0]
        if not (panel.settings and panel.settings.public_participant_list):
            del self.fields["consent_to_list"]
        for question in panel.event.questions.all():
            self.fields[f"q{question.pk}"] = question_field(question, required=question.required)
        for partner in panel.colocated:
            self.fields[f"also{partner.pk}"] = forms.BooleanField(
                label=f"Also register for {partner.title}", required=False
            )
            for question in partner.questions.all():
                field = question_field(question, required=False)
                field.label = f"{question.label} ({partner.title})"
                self.fields[f"c{partner.pk}q{question.pk}"] = field

    def clean_privacy_notice_version(self):
        """Someone who read an older version (the page was open while a new one came out)
        accepts the new one knowingly."""
        version = self.cleaned_data["privacy_notice_version"]
        if version != self.notice.version:
            raise forms.ValidationError(
                f"The privacy notice has changed since this page was loaded: please read "
                f"version {self.notice.version} and tick the box again."
            )
        return version

    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith("q")]

    def colocated_fields(self):
        return [
            (
                self[f"also{partner.pk}"],
                [self[n] for n in self.fields if n.startswith(f"c{partner.pk}q")],
            )
            for partner in self.panel.colocated
        ]

    @staticmethod
    def _value(value) -> str:
        return "\n".join(value) if isinstance(value, list) else (value or "")

    def requests(self) -> list[RegistrationRequest]:
        data = self.cleaned_data
        mode = data["attend"].removesuffix(WAIT_SUFFIX)
        full = self.panel.full_offer
        wait_for_mode = full.mode if full and data["attend"].endswith(WAIT_SUFFIX) else ""
        consent = data.get("consent_to_list", False)
        requests = [
            RegistrationRequest(
                event=self.panel.event,
                mode=mode,
                answers={
                    question.pk: self._value(data.get(f"q{question.pk}"))
                    for question in self.panel.event.questions.all()
                },
                consent_to_list=consent,
                wait_for_mode=wait_for_mode,
                privacy_notice=self.notice,
            )
        ]
        for partner in self.panel.colocated:
            if not data.get(f"also{partner.pk}"):
                continue
            settings = partner.registration_settings
            requests.append(
                RegistrationRequest(
                    event=partner,
                    mode=mode if settings.allows(mode) else _first_allowed(settings),
                    answers={
                        question.pk: self._value(data.get(f"c{partner.pk}q{question.pk}"))
                        for question in partner.questions.all()
                    },
                    consent_to_list=consent,
                    privacy_notice=self.notice,
                )
            )
        return requests


class SwitchModeForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices)
    keep_waiting = forms.BooleanField(required=False)


class ListingConsentForm(forms.Form):
    consent = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])
