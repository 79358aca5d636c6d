"""Feedback surveys after an event: asked of those who attended, once per person.

The questions are of the registration form's kinds (registrations.Question.Kind) and become
form fields through the same module (registrations.question_kinds), so a kind added there is
offered here too.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from escape_events.events.models import Event
from escape_events.registrations.models import QuestionDefinition


class Survey(models.Model):
    """One event's feedback survey: drafted, then opened (and mailed) once the event is over."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="survey")
    title = models.CharField(max_length=200, default="How was it?")
    intro = models.TextField(
        _("introduction"), blank=True, max_length=2_000, help_text=_("Shown above the questions.")
    )
    anonymous = models.BooleanField(
        default=True,
        help_text=_("Answers are kept without the name of who gave them (one per person still)."),
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the answers were deleted with the registrations.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opened_at__isnull=True) | Q(closes_at__gt=models.F("opened_at")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.event})"

    def is_open(self, now) -> bool:
        return self.opened_at is not None and self.opened_at <= now < self.closes_at


class SurveyQuestion(QuestionDefinition):
    """A question of the survey, defined as a registration question is (kind, options, help,
    number limits); no condition and no limit per option."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    required = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    # Conditions are a registration form's; question_kinds reads these.
    shown_if_id = None
    shown_if_value = ""

    class Meta(QuestionDefinition.Meta):
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.label


class SurveyResponse(models.Model):
    """One person's answers. `person_key` is a keyed hash of the survey and the person: it
    makes "once per person" a database constraint even when the answers are anonymous, and
    cannot be turned back into the person without the site's secret key."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Only for a survey that is not anonymous."),
    )
    person_key = models.CharField(
        max_length=64, blank=True, help_text=_("Empty once the answers were purged or let go of.")
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person_key"],
                condition=~Q(person_key=""),
                name="survey_response_once_per_person",
            )
        ]

    def __str__(self):
        return f"Answer to {self.survey} at {self.submitted_at:%Y-%m-%d %H:%M}"


class SurveyAnswer(models.Model):
    """The answer to one question; choices stored as their text, one per line (as registrations)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_answer_one_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"


class SurveyInvitation(models.Model):
    """The mail with the survey's link went to this person: one per person, however often the
    organisers press "invite"."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_invitation_once")
        ]

    def __str__(self):
        return f"{self.survey} to {self.user}"
