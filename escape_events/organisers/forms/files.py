"""Files and minutes of an event: the upload is checked again by events.services.add_attachment."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from escape_events.events.attachments import ALLOWED_TYPES
from escape_events.events.models import Attachment
from escape_events.timetable.minutes import MAX_MINUTES_LENGTH

ACCEPT = ",".join(f".{extension}" for extension in sorted(ALLOWED_TYPES))


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("As people will see it."))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Choose…")), *Attachment.Kind.choices]
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Up to %(size)s: %(types)s.") % {
            "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            "types": ", ".join(f".{extension}" for extension in sorted(ALLOWED_TYPES)),
        }


class MinutesForm(forms.Form):
    """The text, and the revision the organiser started from (a lost update is refused)."""

    text = forms.CharField(
        label=_("Text of the minutes"),
        required=False,
        max_length=MAX_MINUTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "true"}),
        help_text=_(
            "Markdown: a blank line between paragraphs, - for a list, **bold**, [text](link). "
            "Shown on the event page; empty hides them (the history keeps every revision)."
        ),
    )
    base_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class RestoreRevisionForm(forms.Form):
    base_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
