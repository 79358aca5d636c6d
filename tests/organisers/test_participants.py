"""The participant list: filters, search, sorting, bulk actions, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escape_events.registrations.models import Registration

Status = Registration.Status
Mode = Registration.Mode


@pytest.fixture
def people(hands_on, register, make_person):
    return {
        "ada": register(
            hands_on, answer="ATLAS", person=make_person(first_name="Ada", last_name="Lovelace")
        ),
        "bob": register(
            hands_on,
            mode=Mode.REMOTE,
            answer="CMS",
            person=make_person(first_name="Bob", last_name="Zwicky", affiliation="EPFL"),
        ),
        "cyd": register(
            hands_on, status=Status.WAITING, person=make_person(first_name="Cyd", last_name="Ames")
        ),
        "dee": register(
            hands_on, status=Status.PENDING, person=make_person(first_name="Dee", last_name="Moe")
        ),
    }


def names(response):
    return [str(registration.user) for registration in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Ada Lovelace", "Bob Zwicky", "Cyd Ames", "Dee Moe"]),
        ({"mode": "remote"}, ["Bob Zwicky"]),
        ({"status": "waiting"}, ["Cyd Ames"]),
        ({"q": "epfl"}, ["Bob Zwicky"]),
        ({"q": "lovelace"}, ["Ada Lovelace"]),
        ({"sort": "name"}, ["Cyd Ames", "Ada Lovelace", "Dee Moe", "Bob Zwicky"]),
        ({"sort": "-name"}, ["Bob Zwicky", "Dee Moe", "Ada Lovelace", "Cyd Ames"]),
        ({"checked_in": "no", "status": "confirmed"}, ["Ada Lovelace", "Bob Zwicky"]),
    ],
)
def test_filters_search_and_sorting(client, organiser, hands_on, people, query, expected):
    client.force_login(organiser)
    response = client.get(reverse("organisers:participants", args=[hands_on.slug]), query)
    assert response.status_code == 200
    assert names(response) == expected


def test_filter_by_answer(client, organiser, hands_on, people):
    client.force_login(organiser)
    question = hands_on.questions.get()
    url = reverse("organisers:participants", args=[hands_on.slug])
    response = client.get(url, {"question": question.pk, "answer": "cms"})
    assert names(response) == ["Bob Zwicky"]
    assert "CMS" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"mode": "teleport"},
        {"status": "'; DROP TABLE"},
        {"question": "abc"},
        {"question": "999999"},
        {"sort": "user__password"},
        {"q": "x" * 500},
    ],
)
def test_malformed_filters_are_a_400_with_a_message(client, organiser, hands_on, people, query):
    client.force_login(organiser)
    response = client.get(reverse("organisers:participants", args=[hands_on.slug]), query)
    assert response.status_code == 400
    assert "This filter is not valid" in response.content.decode()


def test_a_question_of_another_event_is_not_a_valid_filter(
    client, organiser, hands_on, people, make_event
):
    other = make_event()
    foreign = other.questions.create(label="Secret", kind="text")
    client.force_login(organiser)
    url = reverse("organisers:participants", args=[hands_on.slug])
    assert client.get(url, {"question": foreign.pk}).status_code == 400


def test_bulk_approve_and_cancel_call_the_registration_services(
    client, organiser, hands_on, people, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    url = reverse("organisers:participant_bulk", args=[hands_on.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "approve", "selected": [people["dee"].pk, people["ada"].pk]},
            follow=True,
        )
    page = response.content.decode()
    assert "Approve: done for 1." in page
    assert "Skipped 1: Only pending registrations can be approved." in page
    people["dee"].refresh_from_db()
    assert people["dee"].status == Status.CONFIRMED
    assert any("confirmed" in mail.subject for mail in mailoutbox)

    client.post(url, {"action": "cancel", "selected": [people["ada"].pk], "confirmed": "yes"})
    people["ada"].refresh_from_db()
    assert people["ada"].status == Status.CANCELLED


def test_bulk_promote_from_the_waiting_list(client, organiser, hands_on, people):
    client.force_login(organiser)
    url = reverse("organisers:participant_bulk", args=[hands_on.slug])
    client.post(url, {"action": "promote", "selected": [people["cyd"].pk]})
    people["cyd"].refresh_from_db()
    assert people["cyd"].status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "cancel"}, "Tick at least one participant."),
        ({"action": "explode", "selected": ["ada"]}, "Unknown action; nothing was changed."),
        ({"action": "cancel", "selected": ["not-a-number"]}, "does not belong to this event"),
    ],
)
def test_bad_bulk_requests_say_what_is_wrong_and_change_nothing(
    client, organiser, hands_on, people, data, message
):
    client.force_login(organiser)
    # "ada" stands for a real registration of this event, so only the action is wrong.
    selected = [people[item].pk if item in people else item for item in data.get("selected", [])]
    data = {**data, "selected": selected}
    before = list(Registration.objects.values_list("pk", "status").order_by("pk"))
    response = client.post(
        reverse("organisers:participant_bulk", args=[hands_on.slug]), data, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    if data["action"] == "explode":
        assert "does not belong" not in page
    assert list(Registration.objects.values_list("pk", "status").order_by("pk")) == before


def test_tampered_id_of_another_event_changes_nothing(
    client, organiser, hands_on, people, register, make_event
):
    foreign = register(make_event())
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:participant_bulk", args=[hands_on.slug]),
        {"action": "cancel", "selected": [people["ada"].pk, foreign.pk]},
        follow=True,
    )
    assert "does not belong to this event; nothing was changed" in response.content.decode()
    assert Registration.objects.filter(status=Status.CANCELLED).count() == 0


def count_queries(client, url, query=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return len(captured)


def test_list_and_overview_use_the_same_number_of_queries_for_few_and_many(
    client, organiser, hands_on, register, make_person
):
    client.force_login(organiser)
    participants = reverse("organisers:participants", args=[hands_on.slug])
    overview = reverse("organisers:event_overview", args=[hands_on.slug])
    dashboard = reverse("organisers:dashboard")
    register(hands_on, answer="ATLAS")
    client.get("/")  # the menu's "Organise" check is asked on the first page, then cached
    few = [count_queries(client, url) for url in (participants, overview, dashboard)]
    for number in range(40):
        register(hands_on, mode=Mode.REMOTE if number % 2 else Mode.ONSITE, answer=f"A{number}")
    many = [count_queries(client, url) for url in (participants, overview, dashboard)]
    assert few == many


def test_participant_list_query_count_is_pinned(
    client, organiser, hands_on, people, django_assert_num_queries
):
    client.force_login(organiser)
    url = reverse("organisers:participants", args=[hands_on.slug])
    # session, user, event, questions, count, page of rows (answers are subquery columns),
    # purge date and rows without a person, the tags of the page's rows and the event's tags
    # (offered by the bulk "Add the tag"); the menu's "Organise" check: the person's
    # permissions, own and through groups.
    with django_assert_num_queries(11):
        client.get(url, {"status": "confirmed"})


def test_overview_shows_counts_places_left_and_a_chart(client, organiser, hands_on, people):
    client.force_login(organiser)
    response = client.get(reverse("organisers:event_overview", args=[hands_on.slug]))
    page = response.content.decode()
    onsite = response.context["counts"][0]
    assert (onsite.mode, onsite.places.confirmed, onsite.places.free) == ("onsite", 1, 0)
    assert onsite.places.taken == 2  # confirmed + pending hold a seat
    assert "<svg" in page and "Registrations over time" in page
    # Confirmed, waiting and pending, as the cards beside it count them.
    assert "On-site: 3</li>" in page and "Remote: 1</li>" in page


def test_public_participant_list_shows_only_consenting_confirmed_people(
    client, hands_on, register, make_person
):
    """The list is part of the event page's registration box, when the organisers publish it."""
    register(hands_on, consent_to_list=True, person=make_person(first_name="Listed"))
    register(hands_on, consent_to_list=False, person=make_person(first_name="Private"))
    register(
        hands_on,
        consent_to_list=True,
        status=Status.CANCELLED,
        person=make_person(first_name="Gone"),
    )
    page = client.get(hands_on.get_absolute_url()).content.decode()
    assert "Participants (1)" in page
    assert "Listed" in page and "Private" not in page and "Gone" not in page
    assert "@example.org" not in page
    hands_on.registration_settings.public_participant_list = False
    hands_on.registration_settings.save()
    assert "Listed" not in client.get(hands_on.get_absolute_url()).content.decode()


@pytest.mark.parametrize("action", ["cancel", "reject"])
def test_bulk_cancel_and_reject_ask_first_and_change_nothing_until_confirmed(
    client, organiser, hands_on, people, mailoutbox, action
):
    client.force_login(organiser)
    url = reverse("organisers:participant_bulk", args=[hands_on.slug])
    chosen = [people["ada"].pk, people["bob"].pk]
    before = list(Registration.objects.values_list("pk", "status").order_by("pk"))
    response = client.post(url, {"action": action, "selected": chosen, "query": "status=confirmed"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada Lovelace" in page and "Bob Zwicky" in page and "Cyd Ames" not in page
    assert "They are told by e-mail" in page
    assert list(Registration.objects.values_list("pk", "status").order_by("pk")) == before
    assert mailoutbox == []
    done = client.post(
        url, {"action": action, "selected": chosen, "query": "status=confirmed", "confirmed": "yes"}
    )
    assert done.status_code == 302 and done["Location"].endswith("?status=confirmed")
    expected = Status.CANCELLED if action == "cancel" else Status.REJECTED
    assert set(Registration.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {
        expected
    }
