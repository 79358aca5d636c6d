"""The survey as a form: each question becomes the field a registration question of its kind
becomes (registrations.forms.question_field), so it is validated the same way."""

from django import forms

from escape_events.registrations.forms import question_field

from .models import SurveyQuestion


class SurveyAnswerForm(forms.Form):
    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = question_field(question, required=question.required)

    def answers(self) -> dict[int, str]:
        """Question pk -> the answer as stored: choices one per line, as registrations store."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            values[question.pk] = "\n".join(value) if isinstance(value, list) else (value or "")
        return values
