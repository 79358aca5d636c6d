"""How an event takes registrations: capacities, dates, who may register, questions asked."""

from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from escape_events.registrations import question_kinds
from escape_events.registrations.models import LibraryQuestion, Question, RegistrationSettings

from .fields import WallClockField, wall_clock


class RegistrationSettingsForm(forms.Form):
    """How people register; times are read in the event's time zone."""

    registration_required = forms.BooleanField(label=_("Take registrations"), required=False)
    opens_at = WallClockField(label=_("Registration opens"), required=False)
    closes_at = WallClockField(
        label=_("Registration closes"), required=False, help_text=_("Empty: when the event starts.")
    )
    allow_onsite = forms.BooleanField(label=_("On-site attendance"), required=False, initial=True)
    onsite_capacity = forms.IntegerField(
        label=_("On-site seats"), min_value=0, max_value=100_000, required=False,
        help_text=_("Empty: unlimited."),
    )  # fmt: skip
    allow_remote = forms.BooleanField(label=_("Remote attendance"), required=False, initial=True)
    remote_capacity = forms.IntegerField(
        label=_("Remote places"), min_value=0, max_value=100_000, required=False,
        help_text=_("Empty: unlimited."),
    )  # fmt: skip
    needs_approval = forms.BooleanField(label=_("Organisers approve each person"), required=False)
    cancellation_deadline = WallClockField(
        label=_("Cancellation deadline"),
        required=False,
        help_text=_("Empty: attendees may cancel until the event starts."),
    )
    modification_deadline = WallClockField(
        label=_("Attendees may change their registration until"),
        required=False,
        help_text=_("Answers, names, mode and waiting lists. Empty: until registration closes."),
    )
    restricted_to_groups = forms.ModelMultipleChoiceField(
        label=_("Only for members of"), queryset=Group.objects.all(), required=False,
        help_text=_("Empty: everyone with an account."),
    )  # fmt: skip
    public_participant_list = forms.BooleanField(
        label=_("Public list of participants who consent"), required=False
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
            self.add_error("opens_at", _("Say when registration opens."))
        if not (data.get("allow_onsite") or data.get("allow_remote")):
            self.add_error("allow_onsite", _("Offer on-site or remote attendance (or both)."))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Registration must close after it opens."))
        return data


def parse_options(text: str) -> tuple[list[str], dict[str, int], list[str]]:
    """Options one per line, each optionally limited ("Laptop | 5"); returns the options, the
    limits and what is wrong, in words."""
    options: list[str] = []
    limits: dict[str, int] = {}
    problems: list[str] = []
    for line in text.splitlines():
        option, bar, limit = (part.strip() for part in line.partition("|"))
        if not option:
            continue
        if len(option) > question_kinds.MAX_OPTION_LENGTH:
            problems.append(
                _("“%(option)s…” is too long (at most 200 characters).") % {"option": option[:40]}
            )
        elif option in options:
            problems.append(_("“%(option)s” is listed twice.") % {"option": option})
        options.append(option)
        if bar:
            if not limit.isdigit() or int(limit) < 1 or int(limit) > 100_000:
                problems.append(
                    _("“%(option)s”: after | give how many may pick it (1 or more).")
                    % {"option": option}
                )
            else:
                limits[option] = int(limit)
    return options, limits, problems


class QuestionDefinitionForm(forms.ModelForm):
    """What a question asks, for an event's form and for the organiser's library alike."""

    choices_text = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For choice questions: one option per line."),
    )
    takes_limits = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            limits = getattr(self.instance, "option_limits", {}) or {}
            self.initial["choices_text"] = "\n".join(
                f"{option} | {limits[option]}" if option in limits else option
                for option in self.instance.choices
            )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options, limits, problems = parse_options(data.get("choices_text", ""))
        is_choice = kind in question_kinds.CHOICE_KINDS
        for problem in problems:
            self.add_error("choices_text", problem)
        if is_choice and len(options) < 2:
            self.add_error("choices_text", _("Give at least two options, one per line."))
        if limits and not self.takes_limits:
            self.add_error("choices_text", _("Limits per option are set at each event."))
        if kind != Question.Kind.NUMBER:
            data["min_value"] = data["max_value"] = None
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The largest number must not be below the smallest."))
        self.instance.choices = options if is_choice else []
        if self.takes_limits:
            self.instance.option_limits = limits if is_choice else {}
        return data


class QuestionForm(QuestionDefinitionForm):
    """A question of one event; order, condition and option limits are the event's own."""

    takes_limits = True

    class Meta:
        model = Question
        fields = [
            "label", "kind", "required", "position", "help_text", "min_value", "max_value",
            "shown_if", "shown_if_value",
        ]  # fmt: skip
        labels = {
            "label": _("Question (or heading)"),
            "kind": _("Answer type"),
            "position": _("Order"),
            "help_text": _("Help text"),
            "required": _("Required"),
            "shown_if": _("Ask only if the answer to"),
            "shown_if_value": pgettext_lazy("condition", "is"),
        }
        help_texts = {
            "shown_if": _("An earlier yes/no or choice question of this event (saved already)."),
            "shown_if_value": _("One of its options, or yes / no."),
        }

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choices_text"].help_text = _(
            "For choice questions: one option per line. To limit how many people may pick an "
            "option, add | and a number: “Laptop | 5”."
        )
        triggers = Question.objects.none()
        if event is not None:
            triggers = Question.objects.filter(
                event=event, kind__in=question_kinds.CONDITION_KINDS
            ).exclude(pk=self.instance.pk)
        self.fields["shown_if"].queryset = triggers
        self.fields["shown_if"].empty_label = _("Always ask")

    def clean(self):
        data = super().clean()
        trigger, value = data.get("shown_if"), data.get("shown_if_value", "").strip()
        if trigger is None:
            data["shown_if_value"] = ""
        elif not value:
            self.add_error("shown_if_value", _("Say which answer shows this question."))
        elif trigger.kind == Question.Kind.YES_NO:
            if value.lower() not in {"yes", "no"}:
                self.add_error("shown_if_value", _("Answer yes or no."))
            data["shown_if_value"] = value.lower()
        elif value not in trigger.choices:
            self.add_error(
                "shown_if_value",
                _("Give one of the options of “%(question)s” exactly.")
                % {"question": trigger.label},
            )
        return data


class BaseQuestionFormSet(forms.BaseModelFormSet):
    """An event's questions; a question may only depend on one asked before it."""

    def __init__(self, *args, event=None, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "event": self.event}

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and not self._should_delete_form(form)
            and (form.instance.pk or form.has_changed())
        ]
        order = {
            form.instance.pk: (form.cleaned_data.get("position") or 0, form.instance.pk)
            for form in kept
            if form.instance.pk
        }
        for form in kept:
            trigger = form.cleaned_data.get("shown_if")
            if trigger is None:
                continue
            if trigger.pk not in order:
                form.add_error("shown_if", _("The question it depends on is being removed."))
                continue
            mine = (form.cleaned_data.get("position") or 0, form.instance.pk or float("inf"))
            if order[trigger.pk] >= mine:
                form.add_error("shown_if", _("The question it depends on must be asked before it."))


QuestionFormSet = forms.modelformset_factory(
    Question,
    form=QuestionForm,
    formset=BaseQuestionFormSet,
    extra=3,
    can_delete=True,
    max_num=60,
    validate_max=True,
)


class LibraryQuestionForm(QuestionDefinitionForm):
    class Meta:
        model = LibraryQuestion
        fields = ["label", "kind", "required", "help_text", "min_value", "max_value"]
        labels = {
            "label": _("Question"),
            "kind": _("Answer type"),
            "required": _("Required"),
            "help_text": _("Help text"),
        }
        help_texts = {"required": _("Ticked at the events that pick it (they may change it).")}

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        choices = self.fields["kind"].choices
        self.fields["kind"].choices = [c for c in choices if c[0] != Question.Kind.SECTION]

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        taken = LibraryQuestion.objects.filter(owner=self.owner, label__iexact=label)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Your library has a question with this label already."))
        return label


class BaseLibraryFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, owner=None, **kwargs):
        self.owner = owner
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "owner": self.owner}


LibraryQuestionFormSet = forms.modelformset_factory(
    LibraryQuestion,
    form=LibraryQuestionForm,
    formset=BaseLibraryFormSet,
    extra=3,
    can_delete=True,
    max_num=200,
    validate_max=True,
)


class PickFromLibraryForm(forms.Form):
    """Questions from the organiser's library to add to the event (asked identically)."""

    library_questions = forms.ModelMultipleChoiceField(
        label=_("Add questions from your library"),
        queryset=LibraryQuestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["library_questions"].queryset = LibraryQuestion.objects.filter(owner=owner)
