"""An event's or a series' title and description in one other language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import single_line


class TranslationForm(forms.Form):
    """One language of the translations page; an empty title leaves that language out."""

    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, validators=[single_line]
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Markdown. Left empty, readers see the original description."),
    )

    def __init__(self, *args, language: str, language_name: str, **kwargs):
        self.language, self.language_name = language, language_name
        super().__init__(*args, prefix=language, **kwargs)
        for field in self.fields.values():  # the text typed in is in that language
            field.widget.attrs["lang"] = language

    def clean(self):
        data = super().clean()
        if data.get("description", "").strip() and not data.get("title", "").strip():
            self.add_error("title", _("Give the title too, or leave both fields empty."))
        return data
