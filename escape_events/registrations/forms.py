"""The one-step registration form: mode, the event's questions, consent, and the events held
alongside (each with its own mode; a question both ask is asked once)."""

import copy
from dataclasses import dataclass
from dataclasses import field as dc_field

from django import forms
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from escape_events.accounts.forms import NamesForm, check_names, save_names
from escape_events.accounts.services import privacy_notice_in_force

from . import question_kinds
from .availability import load_availability, options_free
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


def attend_choices(panel: Panel) -> list[tuple[str, str]]:
    """The ways to attend, saying plainly which are full and what the waiting list offers."""
    choices = []
    for offer in panel.offers:
        if offer.is_full:
            label = gettext("%(mode)s — full, join the waiting list") % {"mode": offer.label}
        elif offer.free is None:
            label = offer.label
        else:
            label = ngettext(
                "%(mode)s (%(free)s of %(capacity)s places left)",
                "%(mode)s (%(free)s of %(capacity)s places left)",
                offer.free,
            ) % {"mode": offer.label, "free": offer.free, "capacity": offer.capacity}
        choices.append((offer.mode, label))
    full = panel.full_offer
    if full:
        other = panel.other_offer(full)
        choices.insert(
            0,
            (
                f"{other.mode}{WAIT_SUFFIX}",
                gettext("On-site is full — join remote now and stay on the on-site waiting list")
                if full.mode == Registration.Mode.ONSITE
                else gettext(
                    "Remote is full — join on-site now and stay on the remote waiting list"
                ),
            ),
        )
    return choices


def question_key(question: Question) -> tuple:
    """Two events ask "the same question" when what it asks matches: label (case aside), kind,
    options, limits and help (a question picked from the same library entry does). A conditional
    question is its own event's: what it depends on differs per event."""
    if question.shown_if_id is not None:
        return ("conditional", question.pk)
    return (
        question.label.strip().casefold(),
        question.kind,
        tuple(question.choices),
        question.min_value,
        question.max_value,
        question.help_text.strip(),
    )


@dataclass
class AskedItem:
    """One row of the questions as the form shows them: a section heading (no field) or a
    question's field, with the events that take the answer too and what it depends on."""

    question: Question
    field: forms.BoundField | None = None
    shared: list[str] = dc_field(default_factory=list)
    depends_on: str = ""  # the field whose answer shows this one
    condition: str = ""  # said in words, for browsers without the script

    @property
    def is_section(self) -> bool:
        return self.field is None


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
    questions: list[Question] = dc_field(default_factory=list)
    free: dict[int, dict[str, int]] = dc_field(default_factory=dict)  # limited options left

    @property
    def names(self) -> dict[int, str]:
        return self.own | self.shared

    @property
    def event(self):
        return self.panel.event


class RegistrationForm(forms.Form):
    attend = forms.ChoiceField(label=_("How will you attend?"), widget=forms.RadioSelect)
    consent_to_list = forms.BooleanField(
        label=_("Show my name in the list of participants"), required=False
    )
    accept_privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice"),
        error_messages={"required": _("Please read the privacy notice and tick the box.")},
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
        self.free = options_free(panel.questions)
        self.names: dict[int, str] = {}
        asked: dict[tuple, str] = {}
        for question in panel.questions:
            if not question_kinds.kind_of(question).asks:
                continue
            name = f"q{question.pk}"
            self.fields[name] = self._field(question, free=self.free)
            self.names[question.pk] = name
            asked.setdefault(question_key(question), name)
        self.partners = [self._partner(partner, asked) for partner in panel.colocated]

    @staticmethod
    def _field(question: Question, *, free, needed_only: bool = False) -> forms.Field:
        """The question's field; a conditional one (or one `needed_only` once its event is
        ticked) is checked in clean(), where it is known whether it is asked."""
        if needed_only or question.shown_if_id is not None:
            field = question_kinds.form_field(question, required=False, free=free.get(question.pk))
            field.needed = question.required
            if question.required and not isinstance(
                field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                field.widget.attrs["aria-required"] = "true"  # groups have it on their legend
            return field
        return question_kinds.form_field(
            question, required=question.required, free=free.get(question.pk)
        )

    def _partner(self, partner, asked: dict[tuple, str]) -> PartnerPart:
        settings = partner.registration_settings
        questions = list(partner.questions.all())
        part = PartnerPart(
            panel=Panel(
                event=partner, settings=settings, offers=load_availability(settings).offered
            ),
            also=f"also{partner.pk}",
            attend=f"attend{partner.pk}",
            own={},
            shared={},
            questions=questions,
            free=options_free(questions),
        )
        self.fields[part.also] = forms.BooleanField(
            label=gettext("Also register for %(event)s") % {"event": partner.title}, required=False
        )
        attend = forms.ChoiceField(
            label=gettext("How will you attend %(event)s?") % {"event": partner.title},
            widget=forms.RadioSelect,
            required=False,
        )
        attend.needed = True  # once the event is ticked; clean() checks it
        _set_choices(attend, attend_choices(part.panel))
        self.fields[part.attend] = attend
        for question in questions:
            if not question_kinds.kind_of(question).asks:
                continue
            if question_key(question) in asked:
                part.shared[question.pk] = asked[question_key(question)]
                continue
            name = f"c{partner.pk}q{question.pk}"
            # Needed only when the partner is ticked: clean() checks that, at the field.
            self.fields[name] = self._field(question, free=part.free, needed_only=True)
            part.own[question.pk] = name
        return part

    def clean_privacy_notice_version(self):
        """Someone who read an older version (the page was open while a new one came out)
        accepts the new one knowingly."""
        version = self.cleaned_data["privacy_notice_version"]
        if version != self.notice.version:
            raise forms.ValidationError(
                gettext(
                    "The privacy notice has changed since this page was loaded: please read "
                    "version %(version)s and tick the box again."
                )
                % {"version": self.notice.version}
            )
        return version

    def name_fields(self):
        return [self[name] for name in NamesForm.base_fields] if self.asks_names else []

    def save_names(self, user) -> None:
        """Store the names given with this registration on the person's profile."""
        if self.asks_names:
            save_names(user, self.cleaned_data)

    def _items(self, questions: list[Question], names: dict[int, str], shown: set[str]):
        """The rows for `questions`: headings, and the fields in `shown` (others are asked
        elsewhere in the form), each saying what it depends on."""
        labels = {question.pk: question.label for question in questions}
        items = []
        for question in questions:
            if not question_kinds.kind_of(question).asks:
                items.append(AskedItem(question=question))
                continue
            name = names[question.pk]
            if name not in shown:
                continue
            item = AskedItem(question=question, field=self[name], shared=self.shared_with(name))
            if question.shown_if_id in names:
                item.depends_on = names[question.shown_if_id]
                item.condition = gettext("Only if you answered “%(answer)s” to “%(question)s”.") % {
                    "answer": question.shown_if_value,
                    "question": labels[question.shown_if_id],
                }
            items.append(item)
        return items

    def question_items(self) -> list[AskedItem]:
        return self._items(self.panel.questions, self.names, set(self.names.values()))

    def colocated_fields(self):
        """Per event held alongside: its tick box, its mode and its own questions."""
        return [
            (
                self[part.also],
                self[part.attend],
                self._items(part.questions, part.names, set(part.own.values())),
            )
            for part in self.partners
        ]

    def shared_with(self, field_name: str) -> list[str]:
        """Titles of the events held alongside that take this answer too (shown at the field)."""
        return [part.event.title for part in self.partners if field_name in part.shared.values()]

    def _stored(self, question: Question, name: str) -> str:
        if name in self.errors:
            return ""
        return question_kinds.kind_of(question).stored(self.cleaned_data.get(name))

    def _check_answers(self, questions, names, free, *, needed: str) -> dict[int, str]:
        """What the server will check too, said at the fields: a question asked (its condition
        met) and required is answered; a limited option has some left. Returns the answers as
        stored, for the questions asked."""
        known = {question.pk: question for question in questions}
        answers: dict[int, str] = {}
        for question in questions:
            name = names.get(question.pk)
            if name is None or not question_kinds.condition_met(question, answers, known):
                continue
            answers[question.pk] = value = self._stored(question, name)
            if question.required and not value and name not in self.errors:
                self.add_error(name, needed)
            left = free.get(question.pk, {})
            for option in question_kinds.chosen_options(question, value):
                if left.get(option) == 0 and name not in self.errors:
                    self.add_error(
                        name,
                        gettext("“%(option)s” has none left: please pick another option.")
                        % {"option": option},
                    )
        return answers

    def clean(self):
        data = super().clean()
        if self.asks_names:
            check_names(self, data)
        self.answers = self._check_answers(
            self.panel.questions,
            self.names,
            self.free,
            needed=gettext("Please answer this question."),
        )
        self.partner_answers = {}
        for part in self.partners:
            if not data.get(part.also):
                continue
            title = part.event.title
            if not data.get(part.attend):
                self.add_error(
                    part.attend,
                    gettext("Choose how you will attend %(event)s.") % {"event": title},
                )
            self.partner_answers[part.also] = self._check_answers(
                part.questions,
                part.names,
                part.free,
                needed=gettext("Needed to register for %(event)s too.") % {"event": title},
            )
        return data

    def requests(self) -> list[RegistrationRequest]:
        data = self.cleaned_data
        mode, wait_for_mode = _mode_and_wait(data["attend"], self.panel)
        consent = data.get("consent_to_list", False)
        requests = [
            RegistrationRequest(
                event=self.panel.event,
                mode=mode,
                answers=self.answers,
                consent_to_list=consent,
                wait_for_mode=wait_for_mode,
                privacy_notice_id=self.notice.pk,
            )
        ]
        for part in self.partners:
            if not data.get(part.also):
                continue
            mode, wait_for_mode = _mode_and_wait(data[part.attend], part.panel)
            answers = self.partner_answers[part.also]
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
    mode = forms.ChoiceField(
        label=pgettext_lazy("a registration's way of attending", "Attendance"),
        choices=Mode.choices,
    )
    keep_waiting = forms.BooleanField(label=_("Stay on the waiting list"), required=False)


class ListingConsentForm(forms.Form):
    consent = forms.ChoiceField(
        label=_("Show my name in the list of participants"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
    )


class EditRegistrationForm(forms.Form):
    """One registration's answers and the person's names, as the person or an organiser changes
    them (the same fields as registering); organisers also keep a private note and tags."""

    TAGS_HELP = _("Seen by the organisers only; separate tags with commas.")

    def __init__(self, *args, registration: Registration, questions, organiser=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.has_person = registration.user_id is not None
        if self.has_person:
            for name, field in NamesForm.base_fields.items():
                self.fields[name] = copy.deepcopy(field)
                self.initial[name] = getattr(registration.user, name)
        stored = {answer.question_id: answer.value for answer in registration.answers.all()}
        # Section headings ask nothing; conditions and option limits are the service's to check.
        self.questions = [q for q in self.questions if question_kinds.kind_of(q).asks]
        free = options_free(self.questions)
        for question in self.questions:
            name = f"q{question.pk}"
            self.fields[name] = question_kinds.form_field(
                question, required=False, free=free.get(question.pk)
            )
            value = stored.get(question.pk, "")
            multiple = question.kind == Question.Kind.MULTIPLE_CHOICE
            self.initial[name] = value.splitlines() if multiple else value
        self.organiser = organiser
        if organiser:
            self.fields["note"] = forms.CharField(
                label=_("Organisers' note"),
                required=False,
                max_length=MAX_ANSWER_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Seen by the organisers only, never by the person."),
            )
            self.initial["note"] = registration.note
            self.fields["tags"] = forms.CharField(
                label=_("Tags"), required=False, max_length=1100, help_text=self.TAGS_HELP
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
                question.pk: question_kinds.kind_of(question).stored(data.get(f"q{question.pk}"))
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
    mode = forms.ChoiceField(
        label=pgettext_lazy("a registration's way of attending", "Attendance"),
        choices=Mode.choices,
    )
