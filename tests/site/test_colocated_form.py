"""Events held alongside each other in one form: each with its own mode, a question both ask
asked once, errors at their field, and no overlap warnings between them."""

import re

import pytest
from django.urls import reverse

from escape_events.registrations.models import Answer, Question, Registration
from escape_events.registrations.services import register

from .test_attendee_views import post_register

pytestmark = pytest.mark.django_db

Mode = Registration.Mode


@pytest.fixture
def pair(make_registrable):
    """A hands-on (on-site or remote) next to a coding camp that is on-site only; both ask
    for the affiliation, each asks one question of its own."""
    hands_on = make_registrable(onsite=10, remote=30)
    camp = make_registrable(onsite=25, allow_remote=False)
    hands_on.colocated_with.add(camp)
    for event in (hands_on, camp):
        Question.objects.create(event=event, label="Affiliation", kind="text", required=True)
    Question.objects.create(event=hands_on, label="SWAN account?", kind="yes_no", required=True)
    Question.objects.create(event=camp, label="Rucio experience", kind="text", required=True)
    return hands_on, camp


def questions(event):
    return {question.label: question for question in event.questions.all()}


def post(client, event, data):
    return post_register(client, event, **data)  # with the privacy notice ticked


def test_a_question_both_events_ask_is_asked_once_and_answers_both(client, person, pair):
    hands_on, camp = pair
    page = client.get(hands_on.get_absolute_url()).content.decode()
    assert page.count(">Affiliation") == 1
    assert f"Your answer counts for {camp.title} too." in page
    mine, theirs = questions(hands_on), questions(camp)
    response = post(client, hands_on, {
        "attend": "remote", f"q{mine['Affiliation'].pk}": "CERN",
        f"q{mine['SWAN account?'].pk}": "yes",
        f"also{camp.pk}": "on", f"attend{camp.pk}": "onsite",
        f"c{camp.pk}q{theirs['Rucio experience'].pk}": "Some",
    })  # fmt: skip
    assert response.status_code == 302
    modes = dict(Registration.objects.filter(user=person).values_list("event__pk", "mode"))
    assert modes == {hands_on.pk: Mode.REMOTE, camp.pk: Mode.ONSITE}
    stored = Answer.objects.filter(question__label="Affiliation")
    assert sorted(stored.values_list("registration__event_id", "value")) == [
        (hands_on.pk, "CERN"), (camp.pk, "CERN")
    ]  # fmt: skip


def test_the_only_way_to_attend_the_event_alongside_is_chosen_already(client, person, pair):
    hands_on, camp = pair
    page = client.get(hands_on.get_absolute_url()).content.decode()
    assert f"How will you attend {camp.title}?" in page
    field = re.search(rf'<input[^>]*name="attend{camp.pk}"[^>]*>', page).group(0)
    assert 'value="onsite"' in field and "checked" in field
    assert f'name="attend{camp.pk}" value="remote"' not in page


def test_missing_answers_for_the_event_alongside_are_shown_at_their_fields(client, person, pair):
    hands_on, camp = pair
    mine, theirs = questions(hands_on), questions(camp)
    response = post(client, hands_on, {
        "attend": "onsite", f"q{mine['SWAN account?'].pk}": "no", f"also{camp.pk}": "on",
    })  # fmt: skip
    assert response.status_code == 400
    form = response.context["registration_form"]
    assert form.errors[f"attend{camp.pk}"] == [f"Choose how you will attend {camp.title}."]
    assert form.errors[f"c{camp.pk}q{theirs['Rucio experience'].pk}"] == [
        f"Needed to register for {camp.title} too."
    ]
    assert f"q{mine['Affiliation'].pk}" in form.errors
    assert not Registration.objects.exists()
    html = response.content.decode()
    field = html.index(f'name="c{camp.pk}q{theirs["Rucio experience"].pk}"')
    error = html.index(f"Needed to register for {camp.title} too.")
    assert field < error < field + 600  # right under its input


def test_an_answer_only_the_event_alongside_requires_is_asked_for_at_the_shared_field(
    client, person, make_registrable
):
    first, second = make_registrable(), make_registrable()
    first.colocated_with.add(second)
    optional = Question.objects.create(event=first, label="Affiliation", required=False)
    Question.objects.create(event=second, label="affiliation ", required=True)  # same question
    response = post(client, first, {
        "attend": "onsite", f"also{second.pk}": "on", f"attend{second.pk}": "onsite",
    })  # fmt: skip
    assert response.status_code == 400
    errors = response.context["registration_form"].errors
    assert errors[f"q{optional.pk}"] == [f"Needed to register for {second.title} too."]
    post(client, first, {"attend": "onsite"})  # alone it is optional
    assert Registration.objects.filter(event=first).count() == 1


def test_required_questions_are_marked_at_their_label(client, person, pair):
    hands_on, _ = pair
    page = client.get(hands_on.get_absolute_url()).content.decode()
    assert re.search(r'<legend>SWAN account\? <span class="required-mark"', page)
    assert re.search(r'Rucio experience <span class="required-mark"', page)


def test_events_held_alongside_do_not_warn_about_overlapping(
    client, person, pair, make_registrable
):
    hands_on, camp = pair
    unrelated = make_registrable()  # same time, not alongside
    answers = {question.pk: "CERN" for question in camp.questions.all()}
    register(event=camp, user=person, mode=Mode.ONSITE, answers=answers)
    own = {q.pk: ("yes" if q.kind == "yes_no" else "CERN") for q in hands_on.questions.all()}
    register(event=hands_on, user=person, mode=Mode.ONSITE, answers=own)
    assert "Overlaps with" not in client.get(hands_on.get_absolute_url()).content.decode()
    assert "Overlaps with" not in client.get(reverse("site:mine")).content.decode()
    register(event=unrelated, user=person, mode=Mode.ONSITE)
    page = client.get(hands_on.get_absolute_url()).content.decode()
    assert page.count("Overlaps with") == 1 and unrelated.title in page
    mine = client.get(reverse("site:mine")).content.decode()
    assert mine.count("Overlaps with") >= 2  # the unrelated event clashes with both
