"""The organiser's question editor (every kind, several at once, order, conditions, limits per
option) and the question library events pick from."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from escape_events.events.models import Event
from escape_events.organisers.services import repeat_event
from escape_events.registrations.forms import RegistrationForm
from escape_events.registrations.models import LibraryQuestion, Question
from escape_events.registrations.selectors import event_to_register, form_panel

from .test_events import event_form

Kind = Question.Kind


def rows(*questions, initial=0):
    """The questions formset's fields for these rows (dicts of a row's fields)."""
    data = {"questions-TOTAL_FORMS": str(len(questions)), "questions-INITIAL_FORMS": str(initial)}
    for index, fields in enumerate(questions):
        data |= {f"questions-{index}-{name}": value for name, value in fields.items()}
    return data


def create(client, organiser, *questions, **changes):
    client.force_login(organiser)
    base = {k: v for k, v in event_form().items() if not k.startswith("questions-")}
    return client.post(reverse("organisers:event_create"), base | rows(*questions) | changes)


def edit_rows(event):
    """The event's saved questions as its edit form sends them back."""
    return [
        {
            "id": str(question.pk),
            "label": question.label,
            "kind": question.kind,
            "position": str(question.position),
            "choices_text": "\n".join(question.choices),
        }
        for question in event.questions.all()
    ]


def edit(client, event, questions, **changes):
    base = {k: v for k, v in event_form().items() if not k.startswith("questions-")}
    saved = event.questions.count()
    return client.post(
        reverse("organisers:event_edit", args=[event.slug]),
        base | {"status": event.status} | rows(*questions, initial=saved) | changes,
    )


def test_several_questions_of_every_kind_are_added_at_once(client, organiser):
    response = create(
        client, organiser,
        {"label": "About you", "kind": "section", "position": "1", "help_text": "For badges."},
        {"label": "Nights", "kind": "number", "position": "2", "min_value": "0",
         "max_value": "7"},
        {"label": "Borrow a laptop?", "kind": "single_choice", "position": "3",
         "choices_text": "Yes | 5\nNo", "required": "on"},
        {"label": "Country", "kind": "country", "position": "4"},
    )  # fmt: skip
    assert response.status_code == 302
    event = Event.objects.get(title="Rucio coding camp 2031")
    stored = list(event.questions.values_list("label", "kind", "choices", "option_limits"))
    assert stored == [
        ("About you", Kind.SECTION, [], {}),
        ("Nights", Kind.NUMBER, [], {}),
        ("Borrow a laptop?", Kind.SINGLE_CHOICE, ["Yes", "No"], {"Yes": 5}),
        ("Country", Kind.COUNTRY, [], {}),
    ]
    nights = event.questions.get(label="Nights")
    assert (nights.min_value, nights.max_value) == (0, 7)
    assert event.questions.get(label="About you").help_text == "For badges."


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"kind": "single_choice", "choices_text": "A | lots\nB"}, "choices_text", "after |"),
        ({"kind": "single_choice", "choices_text": "A\nA"}, "choices_text", "listed twice"),
        ({"kind": "number", "min_value": "9", "max_value": "1"}, "max_value", "must not be below"),
    ],
)
def test_bad_question_settings_are_refused_at_the_field(client, organiser, row, field, message):
    response = create(client, organiser, {"label": "Q", "position": "1", **row})
    assert response.status_code == 400
    assert message in " ".join(response.context["questions"].forms[0].errors[field])
    assert not Event.objects.exists()


def test_questions_are_reordered_and_numbered_again(client, organiser):
    create(
        client, organiser,
        {"label": "First", "kind": "text", "position": "1"},
        {"label": "Second", "kind": "text", "position": "2"},
    )  # fmt: skip
    event = Event.objects.get()
    first, second = edit_rows(event)
    first["position"], second["position"] = "10", "3"
    assert edit(client, event, [first, second]).status_code == 302
    assert list(event.questions.values_list("label", "position")) == [("Second", 1), ("First", 2)]


def test_a_condition_must_name_an_earlier_question_and_one_of_its_answers(client, organiser):
    create(
        client, organiser,
        {"label": "Need a laptop?", "kind": "yes_no", "position": "1"},
        {"label": "Which system?", "kind": "text", "position": "2"},
    )  # fmt: skip
    event = Event.objects.get()
    laptop, system = edit_rows(event)
    trigger = event.questions.get(label="Need a laptop?").pk
    refused = edit(client, event, [laptop, system | {"shown_if": trigger, "shown_if_value": "x"}])
    assert refused.status_code == 400
    assert "Answer yes or no." in refused.content.decode()
    later = edit(
        client, event,
        [laptop | {"position": "5"}, system | {"shown_if": trigger, "shown_if_value": "Yes"}],
    )  # fmt: skip
    assert "must be asked before it" in later.content.decode()
    saved = edit(client, event, [laptop, system | {"shown_if": trigger, "shown_if_value": "Yes"}])
    assert saved.status_code == 302
    question = event.questions.get(label="Which system?")
    assert (question.shown_if_id, question.shown_if_value) == (trigger, "yes")


def test_repeating_an_event_keeps_its_conditions_and_limits(hands_on, organiser):
    laptop = Question.objects.create(
        event=hands_on, label="Laptop?", kind=Kind.SINGLE_CHOICE, choices=["Yes", "No"],
        option_limits={"Yes": 3}, position=2,
    )  # fmt: skip
    Question.objects.create(
        event=hands_on, label="Which?", position=3, shown_if=laptop, shown_if_value="Yes"
    )
    copy = repeat_event(event=hands_on, start=hands_on.start + timedelta(days=365), by=organiser)
    copied = {question.label: question for question in copy.questions.all()}
    assert copied["Laptop?"].option_limits == {"Yes": 3}
    assert copied["Which?"].shown_if == copied["Laptop?"]


def test_an_organiser_keeps_a_library_and_events_pick_from_it_once(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:question_library")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "library-TOTAL_FORMS": "1",
            "library-INITIAL_FORMS": "0",
            "library-0-label": "Experiment / ESFRI",
            "library-0-kind": "multiple_choice",
            "library-0-choices_text": "SKAO\nCTAO",
        },
    )
    assert response.status_code == 302
    item = LibraryQuestion.objects.get(owner=organiser)
    for _ in range(2):  # picking again adds nothing
        response = edit(
            client, hands_on, edit_rows(hands_on), **{"library-library_questions": item.pk}
        )
        assert response.status_code == 302
    picked = hands_on.questions.get(library_question=item)
    assert (picked.label, picked.kind, picked.choices) == (item.label, item.kind, item.choices)
    assert picked.position == 2


def test_nobody_picks_or_edits_another_organisers_library(
    client, organiser, other_organiser, hands_on
):
    theirs = LibraryQuestion.objects.create(owner=other_organiser, label="Theirs")
    client.force_login(organiser)
    response = edit(
        client, hands_on, edit_rows(hands_on), **{"library-library_questions": theirs.pk}
    )
    assert response.status_code == 400
    assert not hands_on.questions.filter(library_question=theirs).exists()
    page = client.get(reverse("organisers:question_library")).content.decode()
    assert "Theirs" not in page
    response = client.post(
        reverse("organisers:question_library"),
        {
            "library-TOTAL_FORMS": "1",
            "library-INITIAL_FORMS": "1",
            "library-0-id": str(theirs.pk),
            "library-0-label": "Mine now",
            "library-0-kind": "text",
        },
    )
    # A row that is not one's own is not found among one's questions: nothing is saved.
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.owner, theirs.label) == (other_organiser, "Theirs")
    assert not LibraryQuestion.objects.filter(owner=organiser).exists()


def test_the_library_is_for_organisers(client, make_person):
    client.force_login(make_person())
    assert client.get(reverse("organisers:question_library")).status_code == 403


def test_the_demo_joint_form_asks_the_shared_experiment_question_once(db, make_person):
    for _ in range(2):  # idempotent
        call_command("load_seeds", "--demo-organiser", stdout=StringIO())
    item = LibraryQuestion.objects.get(label="Experiment / ESFRI")
    assert item.uses.count() == 2
    assert LibraryQuestion.objects.count() == 1
    swan = event_to_register("swan-hands-on-demo")
    panel, _holds = form_panel(swan, make_person(), now=timezone.now())
    assert [partner.slug for partner in panel.colocated] == ["rucio-coding-camp-demo"]
    form = RegistrationForm(panel=panel)
    (part,) = form.partners
    assert not part.own  # the camp asks nothing the hands-on does not
    assert list(part.shared.values()) == [form.names[item.uses.get(event=swan).pk]]
    labels = [field.label for field in form.fields.values()]
    assert labels.count("Experiment / ESFRI") == 1
