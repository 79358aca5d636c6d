from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Kind


class EventFilterForm(forms.Form):
    """The query string of listing pages; bad values give a 400 with the form's message."""

    kind = forms.ChoiceField(
        label=pgettext_lazy("kind of event", "Kind"),
        choices=[("", _("All kinds")), *Kind.choices],
        required=False,
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)

    def kind_label(self) -> str:
        """The chosen kind in words ("Hands-on / tutorial"), for feed titles."""
        kind = self.cleaned_data.get("kind", "") if self.is_valid() else ""
        return Kind(kind).label if kind else ""
