"""The survey as a form: each question becomes the field a registration question of its kind
becomes (registrations.question_kinds), so it is validated the same way."""

from django import forms

from escape_events.registrations import question_kinds

from .models import SurveyQuestion


class SurveyAnswerForm(forms.Form):
    def __init__(self, *args, questions: list[SurveyQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        # A section heading asks nothing: the page shows it between the questions.
        self.questions = [q for q in questions if question_kinds.kind_of(q).asks]
        for question in self.questions:
            self.fields[f"q{question.pk}"] = question_kinds.form_field(
                question, required=question.required
            )

    def answers(self) -> dict[int, str]:
        """Question pk -> the answer as stored, as registrations store it."""
        return {
            question.pk: question_kinds.kind_of(question).stored(
                self.cleaned_data.get(f"q{question.pk}")
            )
            for question in self.questions
        }
