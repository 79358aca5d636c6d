"""Every kind of question: what the services store, what they refuse (storing nothing), the
conditions and the limits per option, and what the form says under each field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escape_events.accounts.services import privacy_notice_in_force
from escape_events.events.models import Event
from escape_events.registrations import question_kinds, services
from escape_events.registrations.availability import options_free
from escape_events.registrations.models import Answer, Question, Registration
from escape_events.registrations.selectors import personal_registrations

Kind = Question.Kind
LAPTOP = "Yes, lend me one"


@pytest.fixture
def event(make_registrable):
    return make_registrable(onsite=None)


def ask(event, kind, label="Q", **fields):
    position = event.questions.count() + 1
    return Question.objects.create(event=event, label=label, kind=kind, position=position, **fields)


def register(event, user, answers):
    return services.register(event=event, user=user, mode="onsite", answers=answers)[0]


@pytest.mark.parametrize(
    ("kind", "fields", "given", "stored"),
    [
        (Kind.LONG_TEXT, {}, "  line one\nline two  ", "line one\nline two"),
        (Kind.NUMBER, {"min_value": 0, "max_value": 10}, " 7 ", "7"),
        (Kind.DATE, {}, "2027-03-01", "2027-03-01"),
        (Kind.COUNTRY, {}, "ch", "CH"),
        (Kind.EMAIL, {}, "ada@example.org", "ada@example.org"),
        (Kind.URL, {}, "example.org/talk", "https://example.org/talk"),
        (Kind.YES_NO, {}, "yes", "yes"),
    ],
)
def test_each_kind_stores_its_answer_in_one_form(event, make_user, kind, fields, given, stored):
    question = ask(event, kind, **fields)
    registration = register(event, make_user(), {question.pk: given})
    assert registration.answers.get().value == stored


@pytest.mark.parametrize(
    ("kind", "fields", "given", "message"),
    [
        (Kind.TEXT, {}, "x" * 2001, "is too long"),
        (Kind.LONG_TEXT, {}, "x" * 5001, "at most 5000 characters"),
        (Kind.NUMBER, {"min_value": 1, "max_value": 5}, "6", "less than or equal to 5"),
        (Kind.NUMBER, {"min_value": 1, "max_value": 5}, "0", "greater than or equal to 1"),
        (Kind.NUMBER, {}, "seven", "Enter a whole number"),
        (Kind.DATE, {}, "2027-02-30", "Enter a valid date"),
        (Kind.COUNTRY, {}, "XX", "Choose a country from the list"),
        (Kind.EMAIL, {}, "ada@", "Enter a valid email address"),
        (Kind.URL, {}, "not a url", "Enter a valid URL"),
        (Kind.SINGLE_CHOICE, {"choices": ["A", "B"]}, "C", "Pick one of the options"),
        (Kind.MULTIPLE_CHOICE, {"choices": ["A", "B"]}, "A\nC", "Pick among the options"),
        (Kind.YES_NO, {}, "maybe", "Answer with yes or no"),
    ],
)
def test_bad_answers_are_refused_with_the_reason_and_nothing_is_stored(
    event, make_user, kind, fields, given, message
):
    question = ask(event, kind, label="The question", **fields)
    with pytest.raises(services.RegistrationRefused) as refused:
        register(event, make_user(), {question.pk: given})
    assert message in refused.value.message
    assert "The question" in refused.value.message
    assert not Registration.objects.exists() and not Answer.objects.exists()


def test_a_country_reads_as_its_name_everywhere(event, make_user):
    question = ask(event, Kind.COUNTRY, label="Country of your institute")
    person = make_user()
    register(event, person, {question.pk: "DE"})
    assert question_kinds.display(question, "DE") == "Germany"
    (exported,) = personal_registrations(person)
    assert exported["answers"] == [{"question": "Country of your institute", "answer": "Germany"}]


def test_a_conditional_question_is_required_only_when_its_condition_is_met(event, make_user):
    laptop = ask(event, Kind.YES_NO, label="Need a laptop?")
    system = ask(
        event, Kind.SINGLE_CHOICE, label="Which system?", choices=["Linux", "macOS"],
        required=True, shown_if=laptop, shown_if_value="yes",
    )  # fmt: skip
    # Not asked: not required, and an answer given anyway is not stored.
    no = register(event, make_user(), {laptop.pk: "no", system.pk: "Linux"})
    assert list(no.answers.values_list("question_id", flat=True)) == [laptop.pk]
    with pytest.raises(services.RegistrationRefused, match='Please answer "Which system\\?"'):
        register(event, make_user(), {laptop.pk: "yes"})
    yes = register(event, make_user(), {laptop.pk: "yes", system.pk: "macOS"})
    assert yes.answers.get(question=system).value == "macOS"


def test_a_condition_on_several_choices_is_met_when_the_value_is_among_them(event, make_user):
    topics = ask(event, Kind.MULTIPLE_CHOICE, label="Topics", choices=["Rucio", "SWAN"])
    account = ask(
        event, Kind.YES_NO, label="SWAN account?", required=True,
        shown_if=topics, shown_if_value="SWAN",
    )  # fmt: skip
    register(event, make_user(), {topics.pk: "Rucio"})
    with pytest.raises(services.RegistrationRefused):
        register(event, make_user(), {topics.pk: "Rucio\nSWAN"})
    assert register(event, make_user(), {topics.pk: "SWAN", account.pk: "no"}).answers.count() == 2


def test_a_section_heading_takes_no_answer(event, make_user):
    section = ask(event, Kind.SECTION, label="Travel", help_text="Only if you come on-site.")
    registration = register(event, make_user(), {section.pk: "anything"})
    assert not registration.answers.exists()


def test_an_option_with_a_limit_is_refused_once_taken_and_free_again_after_a_cancellation(
    event, make_user
):
    laptop = ask(
        event, Kind.SINGLE_CHOICE, label="Borrow a laptop?",
        choices=[LAPTOP, "No"], option_limits={LAPTOP: 2},
    )  # fmt: skip
    first = register(event, make_user(), {laptop.pk: LAPTOP})
    register(event, make_user(), {laptop.pk: LAPTOP})
    assert options_free([laptop]) == {laptop.pk: {LAPTOP: 0}}
    with pytest.raises(services.RegistrationRefused) as refused:
        register(event, make_user(), {laptop.pk: LAPTOP})
    assert refused.value.status == 409 and "none left" in refused.value.message
    assert register(event, make_user(), {laptop.pk: "No"}).is_active  # other options stay
    services.cancel_registration(registration=first, by=first.user)
    assert options_free([laptop]) == {laptop.pk: {LAPTOP: 1}}
    register(event, make_user(), {laptop.pk: LAPTOP})


def test_limits_count_each_of_several_choices_and_waiting_people_keep_theirs(
    make_registrable, make_user
):
    event = make_registrable(onsite=1)
    tools = ask(
        event, Kind.MULTIPLE_CHOICE, label="Borrow", choices=["Laptop", "Adapter"],
        option_limits={"Laptop": 2},
    )  # fmt: skip
    register(event, make_user(), {tools.pk: "Laptop\nAdapter"})
    waiting = register(event, make_user(), {tools.pk: "Laptop"})
    assert waiting.status == Registration.Status.WAITING
    with pytest.raises(services.RegistrationRefused):
        register(event, make_user(), {tools.pk: "Adapter\nLaptop"})


def _post(client, event, **fields):
    data = {
        "attend": "onsite",
        "accept_privacy_notice": "on",
        "privacy_notice_version": privacy_notice_in_force().version,
        **fields,
    }
    return client.post(reverse("site:register", args=[event.slug]), data)


def test_the_form_says_what_is_wrong_under_each_field(client, person, event):
    number = ask(event, Kind.NUMBER, label="Nights", min_value=0, max_value=5)
    country = ask(event, Kind.COUNTRY, label="Country")
    url = ask(event, Kind.URL, label="Your page")
    response = _post(
        client, event, **{f"q{number.pk}": "9", f"q{country.pk}": "ZZ", f"q{url.pk}": "a b"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    for question, message in [
        (number, "less than or equal to 5"),
        (country, "Choose a country from the list"),
        (url, "Enter a valid URL"),
    ]:
        error = page.index(f'id="id_q{question.pk}_error"')
        assert message in page[error : error + 300]
    assert not Registration.objects.exists()


def test_the_form_shows_what_is_left_and_refuses_a_full_option_at_the_field(
    client, person, make_user, event
):
    laptop = ask(
        event, Kind.SINGLE_CHOICE, label="Borrow a laptop?",
        choices=[LAPTOP, "No"], option_limits={LAPTOP: 1},
    )  # fmt: skip
    assert f"{LAPTOP} (1 left)" in client.get(event.get_absolute_url()).content.decode()
    register(event, make_user(), {laptop.pk: LAPTOP})
    page = client.get(event.get_absolute_url()).content.decode()
    assert f"{LAPTOP} — none left" in page
    response = _post(client, event, **{f"q{laptop.pk}": LAPTOP})
    assert response.status_code == 400
    assert "has none left: please pick another option" in response.content.decode()
    assert Registration.objects.filter(user=person).count() == 0


def test_the_form_marks_a_conditional_question_and_asks_it_only_when_needed(client, person, event):
    laptop = ask(event, Kind.YES_NO, label="Need a laptop?")
    system = ask(
        event, Kind.TEXT, label="Which system?", required=True,
        shown_if=laptop, shown_if_value="yes",
    )  # fmt: skip
    ask(event, Kind.SECTION, label="Travel", help_text="Only for people on-site.")
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'data-shown-if="q{laptop.pk}" data-shown-value="yes"' in page
    assert "Only if you answered “yes” to “Need a laptop?”." in page
    assert "<h3>Travel</h3>" in page and "Only for people on-site." in page
    assert "registrations/conditional.js" in page
    refused = _post(client, event, **{f"q{laptop.pk}": "yes"})
    assert refused.status_code == 400
    error = refused.content.decode().index(f'id="id_q{system.pk}_error"')
    assert "Please answer this question." in refused.content.decode()[error : error + 200]
    assert _post(client, event, **{f"q{laptop.pk}": "no"}).status_code == 302
    assert Registration.objects.get(user=person).answers.get().value == "no"


def test_an_event_without_limited_options_reads_no_answers_for_its_form(
    event, django_assert_num_queries
):
    questions = [ask(event, Kind.SINGLE_CHOICE, choices=["A", "B"])]
    with django_assert_num_queries(0):
        assert options_free(questions) == {}


def test_the_purge_removes_answers_of_every_kind(event, make_user):
    given = {
        ask(event, Kind.LONG_TEXT).pk: "A paragraph",
        ask(event, Kind.NUMBER).pk: "3",
        ask(event, Kind.DATE).pk: "2027-01-25",
        ask(event, Kind.COUNTRY).pk: "FR",
        ask(event, Kind.EMAIL).pk: "boss@example.org",
        ask(event, Kind.URL).pk: "https://example.org",
        ask(event, Kind.SINGLE_CHOICE, choices=["A", "B"], option_limits={"A": 1}).pk: "A",
    }
    registration = register(event, make_user(), given)
    assert registration.answers.count() == len(given)
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() - timedelta(days=800), end=timezone.now() - timedelta(days=799)
    )
    services.purge_event_registrations(event=Event.objects.get(pk=event.pk))
    assert not Answer.objects.exists()
    assert Registration.objects.get().user is None  # the row stays for the counts
