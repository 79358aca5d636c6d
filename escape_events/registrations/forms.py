"""The one-step registration form: mode, the event's questions, consent, co-located events."""

import copy

from django import forms

from escape_events.accounts.forms import NamesForm, check_names, save_names

from .models import Question, Registration
from .selectors import Panel
from .services import MAX_ANSWER_LENGTH, RegistrationRequest

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

    def __init__(self, *args, panel: Panel, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel = panel
        # Accounts without a name (a provider that sent none) give it once, here.
        self.asks_names = user is not None and user.is_authenticated and not user.has_name
        if self.asks_names:
            for name, field in NamesForm.base_fields.items():
                self.fields[name] = copy.deepcopy(field)
                self.initial[name] = getattr(user, name)
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

    def clean(self):
        data = super().clean()
        return check_names(self, data) if self.asks_names else data

    def name_fields(self):
        return [self[name] for name in NamesForm.base_fields] if self.asks_names else []

    def save_names(self, user) -> None:
        """Store the names given with this registration on the person's profile."""
        if self.asks_names:
            save_names(user, self.cleaned_data)

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
                )
            )
        return requests


class SwitchModeForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices)
    keep_waiting = forms.BooleanField(required=False)
