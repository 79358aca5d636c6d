"""Writing surveys: drafting, the ready "hands-on feedback" questions, opening (with one mail per
person who attended), answering once, and removing answers under the registrations' rules."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from escape_events.events.models import Event
from escape_events.registrations.models import Question
from escape_events.registrations.rules import is_organiser

from . import mails
from .models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse
from .selectors import attendees, person_key

Kind = Question.Kind
LONGEST_OPEN = timedelta(days=90)


class SurveyRefused(Exception):
    """A survey action that the rules do not allow; the message says why, to the person."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class TemplateQuestion:
    label: str
    kind: str
    choices: tuple[str, ...] = ()
    required: bool = False


HANDS_ON_FEEDBACK = (
    TemplateQuestion(
        _("How useful was the hands-on for your work?"),
        Kind.SINGLE_CHOICE,
        (_("Very useful"), _("Useful"), _("A little"), _("Not useful")),
        required=True,
    ),
    TemplateQuestion(
        _("Was the pace right?"),
        Kind.SINGLE_CHOICE,
        (_("Too slow"), pgettext_lazy("pace", "Right"), _("Too fast")),
    ),
    TemplateQuestion(_("Did the exercises run on your set-up?"), Kind.YES_NO),
    TemplateQuestion(
        _("What would you like more of next time?"),
        Kind.MULTIPLE_CHOICE,
        (
            _("Introduction"),
            _("Exercises"),
            _("Questions and answers"),
            _("Going through the solutions"),
        ),
    ),
    TemplateQuestion(_("What should we change next time?"), Kind.TEXT),
)


def _check_organiser(event: Event, by) -> None:
    if not is_organiser(event=event, user=by):
        raise SurveyRefused(gettext("Only the organisers can do this."), status=403)


def survey_for(*, event: Event, by) -> Survey:
    """The event's survey, drafted the first time an organiser asks for it."""
    _check_organiser(event, by)
    survey, _ = Survey.objects.get_or_create(event=event)
    return survey


def update_survey(*, survey: Survey, values: dict, by) -> Survey:
    """Title, introduction and anonymity; anonymity is fixed once someone answered, since
    people answered on the promise the page made them."""
    _check_organiser(survey.event, by)
    if values.get("anonymous", survey.anonymous) != survey.anonymous and survey.responses.exists():
        raise SurveyRefused(
            gettext(
                "People have answered already, on the promise that their answers are "
                "anonymous: this cannot change now."
            )
            if survey.anonymous
            else gettext(
                "People have answered already, on the promise that their answers are "
                "named: this cannot change now."
            )
        )
    for name in ("title", "intro", "anonymous"):
        if name in values:
            setattr(survey, name, values[name])
    survey.save(update_fields=["title", "intro", "anonymous"])
    return survey


def _check_draft(survey: Survey) -> None:
    if survey.opened_at is not None:
        raise SurveyRefused(
            gettext(
                "The survey has been opened: its questions stay as people saw them, so that "
                "every answer is to the same question."
            )
        )


def save_questions(*, survey: Survey, formset, by) -> None:
    """Store the questions edited on the survey page (a formset of SurveyQuestionForm)."""
    _check_organiser(survey.event, by)
    _check_draft(survey)
    with transaction.atomic():
        for question in formset.save(commit=False):
            question.survey = survey
            question.save()
        for question in formset.deleted_objects:
            question.delete()


def add_template_questions(*, survey: Survey, by) -> int:
    """Add the ready hands-on feedback questions after any already there."""
    _check_organiser(survey.event, by)
    _check_draft(survey)
    start = survey.questions.count()
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            survey=survey,
            label=str(item.label),  # stored in the organiser's language
            kind=item.kind,
            choices=[str(choice) for choice in item.choices],
            required=item.required,
            position=start + number,
        )
        for number, item in enumerate(HANDS_ON_FEEDBACK, start=1)
    )
    return len(HANDS_ON_FEEDBACK)


def open_survey(*, survey: Survey, closes_at, by, now=None) -> int:
    """Open the survey until `closes_at` and mail its link to everyone who attended; returns
    how many were mailed. Only once the event is over, with at least one question."""
    _check_organiser(survey.event, by)
    now = now or timezone.now()
    if survey.event.end > now:
        raise SurveyRefused(gettext("A feedback survey opens once the event is over."))
    if survey.opened_at is not None:
        raise SurveyRefused(gettext("The survey is open already."))
    if not survey.questions.exists():
        raise SurveyRefused(gettext("Add at least one question first."))
    if not now < closes_at <= now + LONGEST_OPEN:
        raise SurveyRefused(gettext("Close the survey between now and 90 days from now."))
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.opened_at is not None:  # a second press of the button waited for the first
            raise SurveyRefused(gettext("The survey is open already."))
        survey.opened_at, survey.closes_at = now, closes_at
        survey.save(update_fields=["opened_at", "closes_at"])
        return invite_attendees(survey=survey, by=by, now=now)


def invite_attendees(*, survey: Survey, by, now=None) -> int:
    """Mail the link to those who attended and were not mailed yet (checked in later, say):
    one invitation row per person, claimed by its unique index, one mail per row."""
    _check_organiser(survey.event, by)
    now = now or timezone.now()
    if not survey.is_open(now):
        raise SurveyRefused(gettext("The survey is not open."))
    sent = 0
    with transaction.atomic():
        already = SurveyInvitation.objects.filter(survey=survey).values("user_id")
        for user in attendees(survey.event).exclude(pk__in=already):
            try:
                with transaction.atomic():
                    SurveyInvitation.objects.create(survey=survey, user=user, sent_at=now)
            except IntegrityError:
                continue  # another press of the button got there first
            mails.send_invitation(survey=survey, user=user)
            sent += 1
    return sent


def close_survey(*, survey: Survey, by, now=None) -> Survey:
    """Close it now (answers already given stay)."""
    _check_organiser(survey.event, by)
    now = now or timezone.now()
    if not survey.is_open(now):
        raise SurveyRefused(gettext("The survey is not open."))
    survey.closes_at = now
    survey.save(update_fields=["closes_at"])
    return survey


def submit_response(*, survey: Survey, user, answers: dict[int, str], now=None) -> SurveyResponse:
    """Store one person's answers (question pk -> text); a second answer is refused by the
    database's unique constraint, whoever wins a double submit."""
    now = now or timezone.now()
    if not survey.is_open(now):
        raise SurveyRefused(gettext("This survey is closed."), status=403)
    if not attendees(survey.event).filter(pk=user.pk).exists():
        raise SurveyRefused(gettext("This survey is for the people who attended."), status=403)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                user=None if survey.anonymous else user,
                person_key=person_key(survey, user),
                submitted_at=now,
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(response=response, question_id=pk, value=value)
                for pk, value in answers.items()
                if value
            )
    except IntegrityError as error:
        raise SurveyRefused(gettext("You have answered this survey already: thank you.")) from error
    return response


def has_answered(*, survey: Survey, user) -> bool:
    return SurveyResponse.objects.filter(
        survey=survey, person_key=person_key(survey, user)
    ).exists()


def purge_survey_answers(*, event: Event, now=None) -> int:
    """The registrations' retention period is over: the answers go, and the responses keep no
    trace of their person (their number stays for the counts). Returns answers deleted."""
    now = now or timezone.now()
    responses = SurveyResponse.objects.filter(survey__event=event)
    deleted, _ = SurveyAnswer.objects.filter(response__in=responses).delete()
    responses.update(user=None, person_key="")
    SurveyInvitation.objects.filter(survey__event=event).delete()
    Survey.objects.filter(event=event).update(purged_at=now)
    return deleted


def forget_survey_person(*, user) -> None:
    """A person deletes their account: their named answers go, and their anonymous ones lose
    the key that tied them to the person (so they are anonymous for good)."""
    named = SurveyResponse.objects.filter(user=user)
    SurveyAnswer.objects.filter(response__in=named).delete()
    named.update(user=None, person_key="")
    kept = Survey.objects.filter(opened_at__isnull=False, purged_at__isnull=True)
    keys = [person_key(survey, user) for survey in kept.only("pk")]
    SurveyResponse.objects.filter(person_key__in=keys).update(person_key="")
