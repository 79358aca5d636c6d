"""The feedback survey of an event: its settings, its questions (the registration question form
on the survey's model, so the same kinds and checks), and when it closes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from escape_events.surveys.models import Survey, SurveyQuestion

from .fields import WallClockField
from .registration_settings import QuestionDefinitionForm, QuestionForm


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "intro", "anonymous"]
        labels = {"title": _("Title"), "anonymous": _("Anonymous answers")}
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}


class SurveyQuestionForm(QuestionDefinitionForm):
    class Meta:
        model = SurveyQuestion
        fields = ["label", "kind", "required", "position", "help_text", "min_value", "max_value"]
        labels = QuestionForm.Meta.labels


SurveyQuestionFormSet = forms.modelformset_factory(
    SurveyQuestion, form=SurveyQuestionForm, extra=1, can_delete=True, max_num=30,
    validate_max=True,
)  # fmt: skip


class OpenSurveyForm(forms.Form):
    closes_at = WallClockField(
        label=_("Open until"), help_text=_("Local time in the event's time zone; at most 90 days.")
    )

    def closes_at_in(self, zone):
        return self.cleaned_data["closes_at"].replace(tzinfo=zone)


class SurveyExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", _("CSV")), ("xlsx", _("Excel (.xlsx)"))]
    )
