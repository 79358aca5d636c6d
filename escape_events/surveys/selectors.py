"""Reads of surveys: who may answer, and the results counted per question in a few queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from escape_events.events.models import Event
from escape_events.registrations.checkin import PRESENT
from escape_events.registrations.models import Question, Registration

from .models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

# Who attended: checked in on site (or at the door though remote), or confirmed to join remotely
# (a remote participant is not checked in).
ATTENDED = PRESENT | Q(status=Registration.Status.CONFIRMED, mode=Registration.Mode.REMOTE)
CHOICE_KINDS = {Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE, Question.Kind.YES_NO}
YES_NO = (("yes", _("Yes")), ("no", _("No")))


def person_key(survey: Survey, user) -> str:
    """A keyed hash of the survey and the person (the site's secret key): the same person gets
    the same key, so the unique constraint holds, and the key does not say who it is."""
    return salted_hmac("surveys.person", f"{survey.pk}:{user.pk}", algorithm="sha256").hexdigest()


def attendees(event: Event) -> QuerySet:
    """The people who attended the event, as users (one each)."""
    attended = Registration.objects.filter(ATTENDED, event=event, user__isnull=False)
    return get_user_model().objects.filter(pk__in=attended.values("user_id")).order_by("pk")


def survey_of(event: Event) -> Survey | None:
    return Survey.objects.filter(event=event).first()


def questions_of(survey: Survey) -> list[SurveyQuestion]:
    return list(survey.questions.order_by("position", "pk"))


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of the people who answered the question, for the bar's length


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def is_counted(self) -> bool:
        return self.question.kind in CHOICE_KINDS


@dataclass(frozen=True)
class Results:
    survey: Survey
    responses: int
    invited: int
    questions: list[QuestionResult]


def _options(question: SurveyQuestion) -> list[tuple[str, str]]:
    if question.kind == Question.Kind.YES_NO:
        return list(YES_NO)
    return [(choice, choice) for choice in question.choices]


def results(survey: Survey) -> Results:
    """Counts per option (a choice no one picked shows 0) and the free texts: 4 queries."""
    questions = questions_of(survey)
    found = {question.pk: QuestionResult(question) for question in questions}
    counts: dict[int, Counter] = {question.pk: Counter() for question in questions}
    answers = SurveyAnswer.objects.filter(response__survey=survey).order_by("response_id")
    for question_id, value in answers.values_list("question_id", "value").iterator():
        result = found[question_id]
        result.answered += 1
        if result.is_counted:
            counts[question_id].update(line for line in value.split("\n") if line)
        else:
            result.texts.append(value)
    for question in questions:
        result = found[question.pk]
        if not result.is_counted:
            continue
        for value, label in _options(question):
            count = counts[question.pk][value]
            percent = round(100 * count / result.answered) if result.answered else 0
            result.bars.append(Bar(str(label), count, percent))
    return Results(
        survey=survey,
        responses=SurveyResponse.objects.filter(survey=survey).count(),
        invited=survey.invitations.count(),
        questions=[found[question.pk] for question in questions],
    )


def answer_column(question: SurveyQuestion) -> str:
    return f"answer_{question.pk}"


def responses_for_export(survey: Survey, questions: list[SurveyQuestion]) -> QuerySet:
    """One row per response with each question's answer as a column `answer_<pk>`."""
    columns = {
        answer_column(question): Subquery(
            SurveyAnswer.objects.filter(response=OuterRef("pk"), question=question).values("value")[
                :1
            ]
        )
        for question in questions
    }
    return (
        SurveyResponse.objects.filter(survey=survey)
        .annotate(**columns)
        .order_by("submitted_at", "pk")
    )


def personal_answers(user) -> list[dict]:
    """The person's answers, named or anonymous (found by their key), for their data export."""
    kept = Survey.objects.filter(opened_at__isnull=False, purged_at__isnull=True)
    keys = [person_key(survey, user) for survey in kept.only("pk")]
    responses = (
        SurveyResponse.objects.filter(Q(user=user) | Q(person_key__in=keys))
        .select_related("survey__event")
        .prefetch_related("answers__question")
    )
    return [
        {
            "survey": response.survey.title,
            "event": response.survey.event.title,
            "anonymous": response.survey.anonymous,
            "submitted_at": response.submitted_at.isoformat(),
            "answers": {answer.question.label: answer.value for answer in response.answers.all()},
        }
        for response in responses
    ]


def surveys_awaiting(user, now) -> list[Survey]:
    """Open surveys of events the person attended that they have not answered: 2 queries."""
    attended = Registration.objects.filter(ATTENDED, user=user).values("event_id")
    surveys = list(
        Survey.objects.filter(event__in=attended, opened_at__lte=now, closes_at__gt=now)
        .select_related("event")
        .order_by("closes_at")
    )
    if not surveys:
        return []
    keys = {person_key(survey, user): survey for survey in surveys}
    answered = set(
        SurveyResponse.objects.filter(person_key__in=keys).values_list("person_key", flat=True)
    )
    return [survey for key, survey in keys.items() if key not in answered]
