"""The event page and the registration POST run a fixed number of queries, whatever the number
of people registered or of questions asked: a rush costs each request the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escape_events.accounts.services import privacy_notice_in_force
from escape_events.registrations.models import Question, Registration
from escape_events.registrations.services import register


@pytest.fixture
def queued_mail(settings):
    """Mail queued in the database with the registration, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _event_with(make_registrable, make_user, *, registered: int, questions: int):
    # A site publishes its privacy notice on the first form it shows: that changes the content
    # version once, and would have the page built a second time.
    privacy_notice_in_force()
    event = make_registrable(onsite=10, remote=10)
    for number in range(questions):
        Question.objects.create(event=event, label=f"Question {number}", required=True)
    answers = {question.pk: "An answer" for question in event.questions.all()}
    for _ in range(registered):
        register(event=event, user=make_user(), mode=Registration.Mode.ONSITE, answers=answers)
    return event


def _answers(event) -> dict[str, str]:
    return {f"q{question.pk}": "An answer" for question in event.questions.all()}


def _queries(action) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return [query["sql"] for query in captured.captured_queries]


# The database session, the user, the event with its registration settings and whether events
# are held alongside or questions asked, its questions, the availability that also says whether
# the person holds a registration, whether the person has a verified address and is in the
# groups registering may be restricted to (one query; the privacy notice comes from the cache);
# then, in the transaction: the lock, the event and settings again, the availability again,
# the registration, its status history, its answers, the queued confirmation mail.
POST_QUERIES = 13
# Without questions, none are read and no answers inserted.
POST_QUERIES_WITHOUT_QUESTIONS = 11


@pytest.mark.parametrize(("registered", "questions"), [(1, 0), (1, 1), (30, 4)])
def test_the_registration_post_runs_a_fixed_number_of_queries(
    client, person, make_registrable, make_user, queued_mail, registered, questions
):
    event = _event_with(make_registrable, make_user, registered=registered, questions=questions)
    data = {
        "attend": "onsite",
        "accept_privacy_notice": "on",
        "privacy_notice_version": privacy_notice_in_force().version,
        **_answers(event),
    }
    url = reverse("registrations:register", args=[event.slug])
    responses = []
    queries = _queries(lambda: responses.append(client.post(url, data)))
    assert responses[0].status_code == 302
    assert Registration.objects.get(event=event, user=person).answers.count() == questions
    statements = [sql for sql in queries if not sql.startswith(("SAVEPOINT", "RELEASE"))]
    expected = POST_QUERIES if questions else POST_QUERIES_WITHOUT_QUESTIONS
    assert len(statements) == expected, "\n".join(statements)


# The content version (the event, its lists and its agenda, its registration settings and its
# questions come with the page's shared parts from the cache), the session, the user; the box:
# the availability that also says whether the person holds a registration (no), then whether
# they have a verified address and are in the groups registering may be restricted to. The
# privacy notice comes with the page too; whether they organise anything (the menu) comes from
# the cache after the first page.
PAGE_QUERIES = 5
# An event that asks no questions: the same (the questions are kept with the page).
PAGE_QUERIES_WITHOUT_QUESTIONS = 5
# Registered: the registration with its place in line and the person's overlapping
# registrations too (no form, so no question about the person's address or groups).
PAGE_QUERIES_REGISTERED = 6


@pytest.mark.parametrize(("registered", "questions"), [(1, 0), (1, 1), (30, 4)])
def test_the_event_page_runs_a_fixed_number_of_queries(
    client, person, make_registrable, make_user, registered, questions
):
    event = _event_with(make_registrable, make_user, registered=registered, questions=questions)
    url = event.get_absolute_url()
    client.get(url)
    queries = _queries(lambda: client.get(url))
    expected = PAGE_QUERIES if questions else PAGE_QUERIES_WITHOUT_QUESTIONS
    assert len(queries) == expected, "\n".join(queries)
    answers = {question.pk: "An answer" for question in event.questions.all()}
    register(event=event, user=person, mode=Registration.Mode.ONSITE, answers=answers)
    queries = _queries(lambda: client.get(url))
    assert len(queries) == PAGE_QUERIES_REGISTERED, "\n".join(queries)
