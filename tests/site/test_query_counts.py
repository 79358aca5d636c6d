"""The event page and the registration POST run a fixed number of queries, whatever the number
of people registered or of questions asked: a rush costs each request the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escape_events.accounts.services import privacy_notice_in_force
from escape_events.registrations.models import Question, Registration
from escape_events.registrations.readers import reader_for
from escape_events.registrations.services import register

from .cached import forget_parts


@pytest.fixture
def queued_mail(settings):
    """Mail stored in the outbox with the registration, as in production."""
    settings.MAILERS = {
        "default": {"BACKEND": "escape_events.outbox.backend.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


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
# the registration, its status history, its answers, the confirmation mail (what it must say; the
# mail worker writes it).
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
    url = reverse("site:register", args=[event.slug])
    responses = []
    queries = _queries(lambda: responses.append(client.post(url, data)))
    assert responses[0].status_code == 302
    assert Registration.objects.get(event=event, user=person).answers.count() == questions
    statements = [sql for sql in queries if not sql.startswith(("SAVEPOINT", "RELEASE"))]
    expected = POST_QUERIES if questions else POST_QUERIES_WITHOUT_QUESTIONS
    assert len(statements) == expected, "\n".join(statements)


# Every load, cached or not: the event (with its content version, its registration settings, and
# knowing whether events are held alongside or questions asked), the session, the user; the box:
# the grouped counts that also say whether the person holds a
# registration (no), then whether they have a verified address and are in the groups registering
# may be restricted to; the questions the form asks; who they are to the event (the kind of
# reader its materials are listed and cached for). The privacy notice comes from the cache,
# and so does whether they organise anything (the menu) after the first page.
PAGE_QUERIES = 7
# An event that asks no questions: none are read.
PAGE_QUERIES_WITHOUT_QUESTIONS = 6
# Registered: the registration with its place in line and the person's overlapping
# registrations too, and no form (no questions read).
PAGE_QUERIES_REGISTERED = 7
# Cold, what the cached blocks show is read too: the agenda, the materials, the minutes of the
# meeting, the files, the people present.
COLD_EXTRA = 5
# A visitor: the event with its content version and registration settings, and the seats left.
PAGE_QUERIES_ANONYMOUS = 2


@pytest.mark.parametrize(("registered", "questions"), [(1, 0), (1, 1), (30, 4)])
def test_the_event_page_runs_a_fixed_number_of_queries(
    client, person, make_registrable, make_user, registered, questions
):
    event = _event_with(make_registrable, make_user, registered=registered, questions=questions)
    url = event.get_absolute_url()
    client.get(reverse("site:home"))  # the menu's "Organise" answer is cached from now on
    expected = PAGE_QUERIES if questions else PAGE_QUERIES_WITHOUT_QUESTIONS
    queries = _queries(lambda: client.get(url))
    assert len(queries) == expected + COLD_EXTRA, "\n".join(queries)
    queries = _queries(lambda: client.get(url))
    assert len(queries) == expected, "\n".join(queries)
    answers = {question.pk: "An answer" for question in event.questions.all()}
    register(event=event, user=person, mode=Registration.Mode.ONSITE, answers=answers)
    # A registration changes nothing the cached blocks show (though a confirmed registrant is
    # another kind of reader, for whom the materials are listed apart).
    forget_parts(event, reader_for(person, event))
    queries = _queries(lambda: client.get(url))
    assert len(queries) == PAGE_QUERIES_REGISTERED + COLD_EXTRA, "\n".join(queries)
    queries = _queries(lambda: client.get(url))
    assert len(queries) == PAGE_QUERIES_REGISTERED, "\n".join(queries)


def test_the_event_page_for_a_visitor_runs_a_fixed_number_of_queries(
    client, make_registrable, make_user
):
    event = _event_with(make_registrable, make_user, registered=30, questions=4)
    url = event.get_absolute_url()
    queries = _queries(lambda: client.get(url))
    assert len(queries) == PAGE_QUERIES_ANONYMOUS + COLD_EXTRA, "\n".join(queries)
    queries = _queries(lambda: client.get(url))
    assert len(queries) == PAGE_QUERIES_ANONYMOUS, "\n".join(queries)


def test_the_home_page_runs_a_fixed_number_of_queries(client, make_event, wp2_series):
    """The upcoming events, the next meetings (the series and their opened meetings), the
    listed series: the same whatever their number."""
    for number in range(5):
        make_event(title=f"Event {number}")
    queries = _queries(lambda: client.get(reverse("site:home")))
    assert len(queries) == HOME_QUERIES, "\n".join(queries)
    for number in range(5, 25):
        make_event(title=f"Event {number}")
    queries = _queries(lambda: client.get(reverse("site:home")))
    assert len(queries) == HOME_QUERIES, "\n".join(queries)


HOME_QUERIES = 4
