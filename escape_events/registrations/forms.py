"""The one-step registration form: mode, the event's questions, consent, and the events held
alongside (each with its own mode; a question both ask is asked once)."""

import copy
from dataclasses import dataclass

from django import forms

from escape_events.accounts.forms import NamesForm, check_names, save_names
from escape_events.accounts.services import privacy_notice_in_force

from .availability import load_availability
from .models import Question, Registration
from .selectors import Panel
from .services import (
    MAX_ANSWER_LENGTH,
    RegistrationRefused,
    RegistrationRequest,
    edit_registration,
    retention_months,
)

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


def question_key(question: Question) -> tuple:
    """Two events ask "the same question" when label (case aside), kind and options match."""
    return (question.label.strip().casefold(), question.kind, tuple(question.choices))


def _mode_and_wait(value: str, panel: Panel) -> tuple[str, str]:
    """The mode a choice of `attend_choices` means, and the mode waited for ("" if none)."""
    full = panel.full_offer
    waits = value.endswith(WAIT_SUFFIX)
    return value.removesuffix(WAIT_SUFFIX), (full.mode if full and waits else "")


@dataclass
class PartnerPart:
    """The part of the form for one event held alongside: tick it, choose its mode, and answer
    its questions that the main event does not already ask."""

    panel: Panel
    also: str  # field names
    attend: str
    own: dict[int, str]  # partner question pk -> its own field
    shared: dict[int, str]  # partner question pk -> the main event's field that answers it

    @property
    def event(self):
        return self.panel.event


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

    def __init__(self, *args, panel: Panel, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel = panel
        # Accounts without a name (a provider that sent none) give it once, here.
        self.asks_names = user is not None and user.is_authenticated and not user.has_name
        if self.asks_names:
            for name, field in NamesForm.base_fields.items():
                self.fields[name] = copy.deepcopy(field)
                self.initial[name] = getattr(user, name)
        self.notice = privacy_notice_in_force()
        self.fields["privacy_notice_version"].initial = self.notice.version
        self.retention_months = retention_months(panel.settings)
        _set_choices(self.fields["attend"], attend_choices(panel))
        if not (panel.settings and panel.settings.public_participant_list):
            del self.fields["consent_to_list"]
        asked: dict[tuple, str] = {}
        for question in panel.questions:
            name = f"q{question.pk}"
            self.fields[name] = question_field(question, required=question.required)
            asked.setdefault(question_key(question), name)
        self.partners = [self._partner(partner, asked) for partner in panel.colocated]

    def _partner(self, partner, asked: dict[tuple, str]) -> PartnerPart:
        settings = partner.registration_settings
        part = PartnerPart(
            panel=Panel(
                event=partner, settings=settings, offers=load_availability(settings).offered
            ),
            also=f"also{partner.pk}",
            attend=f"attend{partner.pk}",
            own={},
            shared={},
        )
        self.fields[part.also] = forms.BooleanField(
            label=f"Also register for {partner.title}", required=False
        )
        attend = forms.ChoiceField(
            label=f"How will you attend {partner.title}?", widget=forms.RadioSelect,
            required=False,
        )  # fmt: skip
        attend.needed = True  # once the event is ticked; clean() checks it
        _set_choices(attend, attend_choices(part.panel))
        self.fields[part.attend] = attend
        for question in partner.questions.all():
            if question_key(question) in asked:
                part.shared[question.pk] = asked[question_key(question)]
                continue
            name = f"c{partner.pk}q{question.pk}"
            # Needed only when the partner is ticked: clean() checks that, at the field.
            field = question_field(question, required=False)
            field.needed = question.required
            if question.required and question.kind == Question.Kind.TEXT:
                field.widget.attrs["aria-required"] = "true"  # groups have it on their legend
            self.fields[name] = field
            part.own[question.pk] = name
        return part

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

    def name_fields(self):
        return [self[name] for name in NamesForm.base_fields] if self.asks_names else []

    def save_names(self, user) -> None:
        """Store the names given with this registration on the person's profile."""
        if self.asks_names:
            save_names(user, self.cleaned_data)

    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith("q")]

    def colocated_fields(self):
        """Per event held alongside: its tick box, its mode and its own questions."""
        return [
            (self[part.also], self[part.attend], [self[name] for name in part.own.values()])
            for part in self.partners
        ]

    def shared_with(self, field_name: str) -> list[str]:
        """Titles of the events held alongside that take this answer too (shown at the field)."""
        return [part.event.title for part in self.partners if field_name in part.shared.values()]

    def clean(self):
        data = super().clean()
        if self.asks_names:
            check_names(self, data)
        for part in self.partners:
            if not data.get(part.also):
                continue
            title = part.event.title
            if not data.get(part.attend):
                self.add_error(part.attend, f"Choose how you will attend {title}.")
            questions = {question.pk: question for question in part.event.questions.all()}
            for pk, name in part.own.items():
                if questions[pk].required and not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Needed to register for {title} too.")
            for pk, name in part.shared.items():
                if questions[pk].required and not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Needed to register for {title} too.")
        return data

    @staticmethod
    def _value(value) -> str:
        return "\n".join(value) if isinstance(value, list) else (value or "")

    def requests(self) -> list[RegistrationRequest]:
        data = self.cleaned_data
        mode, wait_for_mode = _mode_and_wait(data["attend"], self.panel)
        consent = data.get("consent_to_list", False)
        requests = [
            RegistrationRequest(
                event=self.panel.event,
                mode=mode,
                answers={
                    question.pk: self._value(data.get(f"q{question.pk}"))
                    for question in self.panel.questions
                },
                consent_to_list=consent,
                wait_for_mode=wait_for_mode,
                privacy_notice_id=self.notice.pk,
            )
        ]
        for part in self.partners:
            if not data.get(part.also):
                continue
            mode, wait_for_mode = _mode_and_wait(data[part.attend], part.panel)
            answers = {pk: self._value(data.get(name)) for pk, name in part.own.items()}
            answers |= {pk: self._value(data.get(name)) for pk, name in part.shared.items()}
            requests.append(
                RegistrationRequest(
                    event=part.event,
                    mode=mode,
                    answers=answers,
                    consent_to_list=consent,
                    wait_for_mode=wait_for_mode,
                    privacy_notice_id=self.notice.pk,
                )
            )
        return requests


def _set_choices(field: forms.ChoiceField, choices: list[tuple[str, str]]) -> None:
    field.choices = choices
    if len(choices) == 1:  # the only way to attend is chosen already
        field.initial = choices[0][0]


class SwitchModeForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices)
    keep_waiting = forms.BooleanField(required=False)


class ListingConsentForm(forms.Form):
    consent = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])


class EditRegistrationForm(forms.Form):
    """One registration's answers and the person's names, as the person or an organiser changes
    them (the same fields as registering); organisers also keep a private note and tags."""

    TAGS_HELP = "Seen by the organisers only; separate tags with commas."

    def __init__(self, *args, registration: Registration, questions, organiser=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.has_person = registration.user_id is not None
        if self.has_person:
            for name, field in NamesForm.base_fields.items():
                self.fields[name] = copy.deepcopy(field)
                self.initial[name] = getattr(registration.user, name)
        stored = {answer.question_id: answer.value for answer in registration.answers.all()}
        for question in self.questions:
            name = f"q{question.pk}"
            self.fields[name] = question_field(question, required=question.required)
            value = stored.get(question.pk, "")
            multiple = question.kind == Question.Kind.MULTIPLE_CHOICE
            self.initial[name] = value.splitlines() if multiple else value
        self.organiser = organiser
        if organiser:
            self.fields["note"] = forms.CharField(
                label="Organisers' note",
                required=False,
                max_length=MAX_ANSWER_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Seen by the organisers only, never by the person.",
            )
            self.initial["note"] = registration.note
            self.fields["tags"] = forms.CharField(
                required=False, max_length=1100, help_text=self.TAGS_HELP
            )
            self.initial["tags"] = ", ".join(tag.name for tag in registration.tags.all())

    def name_fields(self):
        return [self[name] for name in NamesForm.base_fields] if self.has_person else []

    def question_fields(self):
        return [self[f"q{question.pk}"] for question in self.questions]

    def clean(self):
        data = super().clean()
        if self.has_person:
            check_names(self, data)
        return data

    def save(self, *, registration: Registration, by) -> bool:
        """Hand the changes to `services.edit_registration`: True when it took them (`change`:
        the change kept, None if nothing changed); a refusal becomes the form's error, with its
        status in `refusal_status`."""
        try:
            self.change = edit_registration(registration=registration, by=by, **self.changes())
        except RegistrationRefused as refused:
            self.add_error(None, refused.message)
            self.refusal_status = refused.status
            return False
        return True

    def changes(self) -> dict:
        """What to hand `services.edit_registration`."""
        data = self.cleaned_data
        values = {
            "answers": {
                question.pk: RegistrationForm._value(data.get(f"q{question.pk}"))
                for question in self.questions
            },
            "names": (
                {name: data[name] for name in NamesForm.base_fields} if self.has_person else None
            ),
        }
        if self.organiser:
            values["note"] = data["note"]
            values["tags"] = data["tags"].split(",")
        return values


class WaitingLineForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices)
