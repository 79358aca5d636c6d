"""The participant list and what is done to a selection of it: filter, export, act, write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from escape_events.events.models import Attachment
from escape_events.registrations.models import Question, Registration, RegistrationTag
from escape_events.registrations.services import clean_tags

from ..exports import COLUMN_CHOICES, DEFAULT_COLUMNS
from ..models import (
    MESSAGE_ATTACHMENTS_MAX_BYTES,
    MESSAGE_BODY_MAX,
    MESSAGE_RECIPIENTS_MAX,
    MESSAGE_SUBJECT_MAX,
    ExportLog,
)
from ..placeholders import PLACEHOLDERS
from ..selectors import AUDIENCES, DEFAULT_AUDIENCES, ParticipantFilter
from .fields import WallClockField, lazy_format, single_line

Mode = Registration.Mode
Status = Registration.Status
SORT_CHOICES = [
    ("registered", _("Registration time, oldest first")),
    ("-registered", _("Registration time, newest first")),
    ("name", _("Name")),
    ("-name", _("Name, Z to A")),
    ("email", _("E-mail")),
    ("status", _("Status")),
    ("mode", _("Mode")),
    ("-checked_in", _("Check-in time, latest first")),
]


class ParticipantFilterForm(forms.Form):
    """The participant list's query string; the export and messages reuse it as hidden fields."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    mode = forms.ChoiceField(
        label=_("Mode"), choices=[("", _("Any mode")), *Mode.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    checked_in = forms.ChoiceField(
        label=_("Checked in"),
        choices=[("", _("Either")), ("yes", _("Checked in")), ("no", _("Not checked in"))],
        required=False,
    )
    question = forms.TypedChoiceField(
        label=_("Question"), coerce=int, required=False, empty_value=None
    )
    answer = forms.CharField(label=_("Answer contains"), max_length=100, required=False)
    tag = forms.CharField(
        label=_("Tagged"),
        max_length=RegistrationTag._meta.get_field("name").max_length,
        required=False,
        widget=forms.TextInput(attrs={"list": "event-tags"}),
    )
    sort = forms.ChoiceField(
        label=pgettext_lazy("order of a list", "Sort by"), choices=SORT_CHOICES, required=False
    )

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {question.pk: question for question in questions}
        self.fields["question"].choices = [("", _("Any answers"))] + [
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
            tag=" ".join(data["tag"].split()),
            sort=data["sort"] or "registered",
        )

    def as_query(self) -> dict:
        """The filter as plain values, for logs and for links that keep it."""
        return {key: str(value) for key, value in self.cleaned_data.items() if value}


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ExportLog.Format.choices,
        initial="csv",
        widget=forms.RadioSelect,
    )
    columns = forms.MultipleChoiceField(
        label=_("Columns"),
        choices=COLUMN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=DEFAULT_COLUMNS,
        error_messages={"required": _("Pick at least one column.")},
    )
    include_cancelled = forms.BooleanField(
        label=_("Also list people who cancelled or were declined"),
        required=False,
        help_text=_(
            "Left out unless ticked, so that someone who cancelled and registered again "
            "is one row. A filter on one of these statuses lists them anyway."
        ),
    )


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        label=pgettext_lazy("what to do with the ticked participants", "Action"),
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("promote", _("Promote from the waiting list")),
            ("cancel", pgettext_lazy("cancel registrations", "Cancel")),
            ("check_in", _("Check in")),
            ("tag", _("Add the tag")),
            ("message", _("Write to them")),
        ],
        error_messages={"invalid_choice": _("Unknown action; nothing was changed.")},
    )
    selected = forms.TypedMultipleChoiceField(
        label=_("Selected participants"),
        coerce=int,
        error_messages={
            "required": _("Tick at least one participant."),
            "invalid_choice": _(
                "A selected registration does not belong to this event; nothing was changed."
            ),
        },
    )

    tag = forms.CharField(
        label=_("Tag"),
        max_length=RegistrationTag._meta.get_field("name").max_length,
        required=False,
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    # Actions that take places away and mail people: the page asks before doing them.
    ASK_FIRST = {"cancel": pgettext_lazy("cancel registrations", "Cancel"), "reject": _("Decline")}

    def __init__(self, *args, registration_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(pk, pk) for pk in registration_ids]

    @property
    def needs_confirmation(self) -> bool:
        data = self.cleaned_data
        return data["action"] in self.ASK_FIRST and not data["confirmed"]

    def clean(self):
        data = super().clean()
        if data.get("action") == "tag":
            tags = clean_tags([data.get("tag", "")])
            if not tags:
                self.add_error("tag", _("Give the tag to add."))
            else:
                data["tag"] = tags[0]
        return data

    def clean_selected(self):
        selected = self.cleaned_data["selected"]
        if len(selected) > MESSAGE_RECIPIENTS_MAX:
            raise ValidationError(
                _("Select at most %(most)d people at once.") % {"most": MESSAGE_RECIPIENTS_MAX}
            )
        return selected


class MessageForm(forms.Form):
    audiences = forms.MultipleChoiceField(
        label=_("Write to"),
        choices=AUDIENCES,
        initial=DEFAULT_AUDIENCES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose whom to write to.")},
        help_text=_(
            "Among the people on the participant list as filtered. The waiting list is "
            "written to only when ticked."
        ),
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=MESSAGE_SUBJECT_MAX, validators=[single_line]
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=lazy(
            lambda: (
                _(
                    "Plain text, at most %(most)s characters. Placeholders: %(placeholders)s. "
                    "Write {{ or }} for a brace itself."
                )
                % {
                    "most": number_format(MESSAGE_BODY_MAX, force_grouping=True),
                    "placeholders": "; ".join(
                        f"{{{name}}} {meaning}" for name, meaning in PLACEHOLDERS.items()
                    ),
                }
            ),
            str,
        )(),
    )
    include_inactive = forms.BooleanField(
        label=_("Also write to people who cancelled or were declined"), required=False
    )
    attachments = forms.ModelMultipleChoiceField(
        label=_("Attach files"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=lazy_format(
            _("Files uploaded on the event's Files page; at most %(size)d MB together."),
            size=MESSAGE_ATTACHMENTS_MAX_BYTES // (1024 * 1024),
        ),
        error_messages={"invalid_choice": _("Choose files of this event.")},
    )
    send_at = WallClockField(
        label=_("Send at (optional)"),
        required=False,
        help_text=_(
            "In the event's time zone; empty: now. The mail worker sends it then, to the "
            "people chosen now."
        ),
    )

    def __init__(self, *args, event, chosen_people: bool = False, **kwargs):
        """`chosen_people`: ticked one by one on the list, so no audience is asked. A send-at
        time is typed in the event's zone; attachments are the event's files."""
        super().__init__(*args, **kwargs)
        self.zone = event.zone
        self.fields["attachments"].queryset = Attachment.objects.filter(event=event)
        if not self.fields["attachments"].queryset.exists():
            del self.fields["attachments"]
        if chosen_people:
            del self.fields["audiences"]

    def clean_send_at(self):
        wall = self.cleaned_data["send_at"]
        return wall.replace(tzinfo=self.zone) if wall else None

    def chosen_audiences(self) -> list[str]:
        """The audiences as posted (even before validation, to count the recipients), else the
        default; all of them for people ticked one by one."""
        if "audiences" not in self.fields:
            return [key for key, _label in AUDIENCES]
        if not self.is_bound:
            return list(DEFAULT_AUDIENCES)
        known = {key for key, _label in AUDIENCES}
        return [key for key in self.data.getlist("audiences") if key in known]


class AddParticipantForm(forms.Form):
    """One person, added by an organiser; invited by mail if they have no account yet."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Family name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    affiliation = forms.CharField(label=_("Affiliation"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("Attends"), choices=Mode.choices, widget=forms.RadioSelect)

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [(m, label) for m, label in Mode.choices if m in modes]
        if len(self.fields["mode"].choices) == 1:
            self.fields["mode"].initial = self.fields["mode"].choices[0][0]

    def clean(self):
        data = super().clean()
        for name in ("first_name", "last_name"):
            if name in data and not data[name].strip():
                self.add_error(name, _("This field is required."))
        return data


class ImportForm(forms.Form):
    """A CSV list of people: e-mail, name (or first and family name), affiliation, mode."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Exported from Indico, a spreadsheet (“CSV UTF-8”) or similar, at most 1 MB."),
    )
    default_mode = forms.ChoiceField(
        label=_("Mode for rows that do not say"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, modes=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(m, label) for m, label in Mode.choices if m in modes]
        self.fields["default_mode"].choices = choices
        self.fields["default_mode"].initial = choices[0][0] if choices else None


class ImportConfirmForm(forms.Form):
    rows = forms.CharField(widget=forms.HiddenInput, max_length=2_000_000)
