"""Every kind of question in one place: its form field (so its validation and its messages), how
its answer is stored and how it reads (on pages and in every export), and whether a conditional
question is asked.

The registration form, the answer check of the services (so the API too), the exports and the
privacy export all ask here; anything else that asks questions (feedback surveys) should too.
Answers are stored as text: a choice as its option, several choices one per line, a number in
digits, a date as YYYY-MM-DD, a country as its ISO 3166-1 alpha-2 code, yes/no as "yes"/"no".
"""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import QuestionDefinition

Kind = QuestionDefinition.Kind

MAX_ANSWER_LENGTH = 2000
MAX_LONG_ANSWER_LENGTH = 5000
MAX_OPTION_LENGTH = 200
# A number question without limits still takes no more than this (a spreadsheet cell holds it).
NUMBER_BOUND = 10**12
CHOICE_KINDS = frozenset({Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE})
# The kinds another question may depend on: their answers are among known values.
CONDITION_KINDS = CHOICE_KINDS | {Kind.YES_NO}


class AnswerInvalid(ValueError):
    """An answer its question does not take; `message` says why, as the form says it."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


class QuestionKind:
    """Plain text; the other kinds change what differs."""

    asks = True  # a section heading asks nothing

    def field(self, question, *, required: bool, free: Mapping[str, int] | None = None):
        return forms.CharField(max_length=MAX_ANSWER_LENGTH, **_common(question, required))

    def field_value(self, stored: str):
        """The stored answer as the field's submitted data."""
        return stored

    def stored(self, cleaned) -> str:
        return "" if cleaned is None else str(cleaned).strip()

    def display(self, stored: str) -> str:
        return stored


class LongText(QuestionKind):
    def field(self, question, *, required, free=None):
        return forms.CharField(
            max_length=MAX_LONG_ANSWER_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            **_common(question, required),
        )


class Number(QuestionKind):
    def field(self, question, *, required, free=None):
        low = -NUMBER_BOUND if question.min_value is None else question.min_value
        high = NUMBER_BOUND if question.max_value is None else question.max_value
        return forms.IntegerField(min_value=low, max_value=high, **_common(question, required))


class Date(QuestionKind):
    def field(self, question, *, required, free=None):
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": _("Enter a valid date (YYYY-MM-DD).")},
            **_common(question, required),
        )

    def stored(self, cleaned):
        return cleaned.isoformat() if cleaned else ""


class Country(QuestionKind):
    def field(self, question, *, required, free=None):
        return forms.ChoiceField(
            choices=[("", _("Choose a country"))] + [(code, name) for code, name in countries],
            error_messages={"invalid_choice": _("Choose a country from the list.")},
            **_common(question, required),
        )

    def field_value(self, stored):
        return stored.upper()

    def display(self, stored):
        # An unknown code (ISO 3166 withdrew it since) still shows as it was stored.
        return str(countries.name(stored) or stored) if stored else ""


class Email(QuestionKind):
    def field(self, question, *, required, free=None):
        return forms.EmailField(max_length=254, **_common(question, required))


class Url(QuestionKind):
    def field(self, question, *, required, free=None):
        return forms.URLField(
            max_length=MAX_ANSWER_LENGTH, assume_scheme="https", **_common(question, required)
        )


class SingleChoice(QuestionKind):
    def field(self, question, *, required, free=None):
        return forms.ChoiceField(
            choices=option_choices(question, free),
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Pick one of the options.")},
            **_common(question, required),
        )


class MultipleChoice(QuestionKind):
    def field(self, question, *, required, free=None):
        return forms.MultipleChoiceField(
            choices=option_choices(question, free),
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": _("Pick among the options.")},
            **_common(question, required),
        )

    def field_value(self, stored):
        return stored.splitlines()

    def stored(self, cleaned):
        return "\n".join(cleaned or [])

    def display(self, stored):
        return ", ".join(stored.splitlines())


class YesNo(QuestionKind):
    def field(self, question, *, required, free=None):
        return forms.ChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Answer with yes or no."},
            **_common(question, required),
        )

    def display(self, stored):
        return str({"yes": _("Yes"), "no": _("No")}.get(stored, stored))


class Section(QuestionKind):
    asks = False

    def field(self, question, *, required, free=None):
        return None


KINDS: dict[str, QuestionKind] = {
    Kind.TEXT: QuestionKind(),
    Kind.LONG_TEXT: LongText(),
    Kind.NUMBER: Number(),
    Kind.DATE: Date(),
    Kind.COUNTRY: Country(),
    Kind.EMAIL: Email(),
    Kind.URL: Url(),
    Kind.SINGLE_CHOICE: SingleChoice(),
    Kind.MULTIPLE_CHOICE: MultipleChoice(),
    Kind.YES_NO: YesNo(),
    Kind.SECTION: Section(),
}


def kind_of(question) -> QuestionKind:
    return KINDS[question.kind]


def _common(question, required: bool) -> dict:
    return {"label": question.label, "required": required, "help_text": question.help_text}


def option_choices(question, free: Mapping[str, int] | None) -> list[tuple[str, str]]:
    """The options, each saying how many are left when it is limited (`free`: option -> left)."""
    free = free or {}
    choices = []
    for option in question.choices:
        left = free.get(option)
        if left is None:
            label = option
        elif left == 0:
            label = gettext("%(option)s — none left") % {"option": option}
        else:
            label = ngettext("%(option)s (%(left)s left)", "%(option)s (%(left)s left)", left) % {
                "option": option,
                "left": left,
            }
        choices.append((option, label))
    return choices


def form_field(question, *, required: bool, free: Mapping[str, int] | None = None):
    """The form field that asks `question` (None for a section heading)."""
    return kind_of(question).field(question, required=required, free=free)


def clean_answer(question, value, *, required: bool) -> str:
    """The answer as stored ("" for none); raises AnswerInvalid with the form's message."""
    kind = kind_of(question)
    if isinstance(value, list | tuple):  # several choices, as the API sends them
        value = "\n".join(str(item) for item in value)
    field = kind.field(question, required=required)
    try:
        return kind.stored(field.clean(kind.field_value(str(value or "").strip())))
    except ValidationError as error:
        raise AnswerInvalid(error.messages[0], code=error.error_list[0].code or "invalid") from None


def chosen_options(question, stored: str) -> list[str]:
    """The options an answer picks (none for kinds without options)."""
    if question.kind == Kind.MULTIPLE_CHOICE:
        return stored.splitlines()
    if question.kind in CONDITION_KINDS:
        return [stored] if stored else []
    return []


def condition_met(question, answers: Mapping[int, str], questions: Mapping[int, object]) -> bool:
    """Whether `question` is asked, given the stored answers to the earlier questions
    (`questions`: pk -> question, to read the one it depends on)."""
    if question.shown_if_id is None:
        return True
    trigger = questions.get(question.shown_if_id)
    if trigger is None:
        return False
    return question.shown_if_value in chosen_options(trigger, answers.get(trigger.pk, ""))


def display(question, stored: str) -> str:
    """The answer as people read it: on pages, in exports (CSV, XLSX, JSON, API) and in the
    person's data export."""
    return kind_of(question).display(stored) if stored else ""
