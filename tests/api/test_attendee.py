"""My registrations through the API: the registrations services, their refusals word for word."""

import html
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from escape_events.api.models import ApiWriteLog
from escape_events.registrations.models import Registration, RegistrationSettings

from .conftest import accepted_notice

Status = Registration.Status


@pytest.fixture
def person(make_user):
    return make_user()


@pytest.fixture
def me(api, person, make_token):
    return api(make_token(person, registrations=True))


def answers(event, value="ATLAS"):
    return {str(event.questions.get().pk): value}


def register(me, event, **body):
    body.setdefault("mode", "onsite")
    body.setdefault("privacy_notice_version", accepted_notice())
    if "answers" not in body:
        body["answers"] = answers(event)
    return me.post(f"/api/events/{event.slug}/registrations", body)


def test_register_confirms_then_waiting_list_when_full(me, api, hands_on, make_user, make_token):
    first = register(me, hands_on)
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed"
    other = api(make_token(make_user(), registrations=True))
    assert register(other, hands_on).json()["status"] == "confirmed"
    third = api(make_token(make_user(), registrations=True))
    response = register(third, hands_on)
    assert response.status_code == 201
    assert response.json()["status"] == "waiting"
    assert response.json()["waiting_position"] == 1
    stored = Registration.objects.get(pk=response.json()["id"])
    assert stored.answers.get().value == "ATLAS"


def test_registering_again_returns_the_same_registration(me, hands_on):
    first = register(me, hands_on)
    again = register(me, hands_on)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Registration.objects.filter(event=hands_on).count() == 1


def test_several_choices_are_sent_as_a_list(me, make_registrable):
    event = make_registrable()
    question = event.questions.create(
        label="Tools", kind="multiple_choice", choices=["Rucio", "SWAN", "FTS"]
    )
    response = register(me, event, answers={str(question.pk): ["Rucio", "SWAN"]})
    assert response.status_code == 201
    assert Registration.objects.get().answers.get().value == "Rucio\nSWAN"


def page_shows(client, person, event, message):
    """The event page's own register form says the same words for the same state."""
    client.force_login(person)
    page = client.post(f"/events/{event.slug}/register/", {"attend": "onsite"})
    return html.escape(message) in page.content.decode()


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ("closed", 409, "closed"),
        ("not_open", 409, "not_open"),
        ("cancelled", 409, "cancelled"),
        ("restricted", 403, "restricted"),
    ],
)
def test_refusals_are_the_pages_refusals(me, client, person, hands_on, change, status, code):
    stored = RegistrationSettings.objects.get(event=hands_on)
    now = timezone.now()
    if change == "closed":
        stored.closes_at = now - timedelta(minutes=1)
        stored.opens_at = now - timedelta(days=2)
    elif change == "not_open":
        stored.opens_at = now + timedelta(days=2)
    elif change == "restricted":
        stored.save()
        stored.restricted_to_groups.add(Group.objects.create(name="/escape"))
    elif change == "cancelled":
        hands_on.status = "cancelled"
        hands_on.save()
    stored.save()
    response = register(me, hands_on)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["code"] == code
    assert page_shows(client, person, hands_on, problem["detail"])
    assert not Registration.objects.exists()


def test_an_unanswered_required_question_is_refused_with_the_pages_words(me, hands_on):
    response = register(me, hands_on, answers={})
    assert response.status_code == 400
    assert response.json()["detail"] == 'Please answer "Experiment".'
    assert not Registration.objects.exists()


def test_an_unverified_address_may_not_register(api, make_user, make_token, hands_on):
    unverified = api(make_token(make_user(verified=False), registrations=True))
    response = register(unverified, hands_on)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Confirm your e-mail address first")


def test_cancel_frees_the_seat_for_the_next_in_line(me, api, hands_on, make_user, make_token):
    mine = register(me, hands_on).json()
    register(api(make_token(make_user(), registrations=True)), hands_on)
    waiting = register(api(make_token(make_user(), registrations=True)), hands_on).json()
    assert waiting["status"] == "waiting"
    response = me.post(f"/api/me/registrations/{mine['id']}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Registration.objects.get(pk=waiting["id"]).status == Status.CONFIRMED
    again = me.post(f"/api/me/registrations/{mine['id']}/cancel")
    assert again.status_code == 200  # cancelling twice is harmless


def test_cancel_after_the_deadline_is_refused(me, hands_on):
    mine = register(me, hands_on).json()
    RegistrationSettings.objects.filter(event=hands_on).update(
        cancellation_deadline=timezone.now() - timedelta(minutes=1)
    )
    response = me.post(f"/api/me/registrations/{mine['id']}/cancel")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "The cancellation deadline has passed; please write to the organisers."
    )


def test_switch_mode_and_refusal_when_the_other_mode_is_full(me, hands_on):
    mine = register(me, hands_on, mode="remote").json()
    moved = me.post(f"/api/me/registrations/{mine['id']}/switch", {"mode": "onsite"})
    assert moved.status_code == 200
    assert moved.json()["mode"] == "onsite"
    RegistrationSettings.objects.filter(event=hands_on).update(remote_capacity=0)
    refused = me.post(f"/api/me/registrations/{mine['id']}/switch", {"mode": "remote"})
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Remote is full; you keep your current place."
    assert Registration.objects.get(pk=mine["id"]).mode == "onsite"


def test_someone_elses_registration_is_404(me, api, hands_on, make_user, make_token):
    theirs = register(api(make_token(make_user(), registrations=True)), hands_on).json()
    for path in ("", "/cancel"):
        response = (me.post if path else me.get)(f"/api/me/registrations/{theirs['id']}{path}")
        assert response.status_code == 404
    assert Registration.objects.get(pk=theirs["id"]).status == Status.CONFIRMED


def test_my_registrations_lists_them_with_waiting_positions(me, hands_on, make_registrable):
    register(me, hands_on)
    other = make_registrable(onsite=0)
    register(me, other, answers={})
    items = me.get("/api/me/registrations").json()["items"]
    assert {(item["event"]["slug"], item["status"]) for item in items} == {
        (other.slug, "waiting"),
        (hands_on.slug, "confirmed"),
    }
    waiting = next(item for item in items if item["status"] == "waiting")
    assert waiting["waiting_position"] == 1


def test_every_write_is_logged_with_its_outcome(me, person, hands_on):
    register(me, hands_on, answers={})
    register(me, hands_on)
    logged = list(ApiWriteLog.objects.order_by("pk").values_list("operation", "status", "user"))
    assert logged == [("register", 400, person.pk), ("register", 201, person.pk)]
    newest = ApiWriteLog.objects.order_by("pk").last()
    assert newest.event_id == hands_on.pk
    assert newest.registration_id == Registration.objects.get().pk


def test_events_held_alongside_are_registered_together_or_not_at_all(
    me, hands_on, make_registrable
):
    camp = make_registrable(onsite=None, event_fields={"title": "Rucio coding camp"})
    hands_on.colocated_with.add(camp)
    question = camp.questions.create(label="Rucio experience", kind="yes_no", required=True)
    refused = register(me, hands_on, also=[{"event": camp.slug, "mode": "remote"}])
    assert refused.status_code == 400
    assert refused.json()["detail"] == 'Please answer "Rucio experience".'
    assert not Registration.objects.exists()
    response = register(
        me, hands_on, also=[{"event": camp.slug, "mode": "onsite", "answers": {question.pk: "yes"}}]
    )
    assert response.status_code == 201
    assert [item["event"]["slug"] for item in response.json()["together"]] == [camp.slug]
    assert Registration.objects.filter(event=camp, mode="onsite").count() == 1


def test_naming_a_partner_twice_is_refused_with_422_not_silently_dropped(
    me, hands_on, make_registrable
):
    camp = make_registrable(onsite=None, event_fields={"title": "Rucio coding camp"})
    hands_on.colocated_with.add(camp)
    twice = [{"event": camp.slug, "mode": "onsite"}, {"event": camp.slug, "mode": "remote"}]
    response = register(me, hands_on, also=twice)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "duplicate_event"
    assert problem["detail"] == (
        f"Name each event of `also` once: “{camp.slug}” appears more than once."
    )
    assert problem["errors"][0]["loc"] == ["body", "data", "also"]
    assert not Registration.objects.exists()


@pytest.mark.parametrize("key", ["x", "0", "01", "-1", "1.5", "", "1" * 10])
def test_an_answer_key_that_is_not_a_question_id_is_a_422_as_the_schema_says(me, hands_on, key):
    response = register(me, hands_on, answers={key: "ATLAS"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][:3] == ["body", "data", "answers"]
    assert not Registration.objects.exists()


def test_the_schema_names_the_answer_keys_it_reads(api):
    schema = api().get("/api/schema").json()["components"]["schemas"]
    for name in ("RegisterIn", "AlsoIn"):
        answers = schema[name]["properties"]["answers"]
        assert answers["propertyNames"] == {"pattern": "^[1-9][0-9]{0,8}$"}


def test_only_events_held_alongside_may_come_along(me, hands_on, make_registrable):
    elsewhere = make_registrable()
    response = register(me, hands_on, also=[{"event": elsewhere.slug, "mode": "onsite"}])
    assert response.status_code == 400
    assert response.json()["code"] == "not_colocated"
    assert not Registration.objects.exists()


def test_registering_records_the_privacy_notice_accepted_as_the_form_does(me, api, hands_on):
    """The API is a way to register too: the caller names the notice version they accept."""
    from escape_events.accounts.services import publish_privacy_notice

    notice = api().get(f"/api/events/{hands_on.slug}").json()["registration"]
    assert notice["privacy_notice_url"].endswith(f"/privacy/v{notice['privacy_notice_version']}/")
    unsent = me.post(f"/api/events/{hands_on.slug}/registrations", {"mode": "onsite"})
    assert unsent.status_code == 422 and not Registration.objects.exists()
    newer = publish_privacy_notice(text="A newer notice.", changes="Shorter")
    stale = register(me, hands_on, privacy_notice_version=notice["privacy_notice_version"])
    assert stale.status_code == 409 and stale.json()["code"] == "privacy_notice"
    assert f"version {newer.version}" in stale.json()["detail"]
    assert not Registration.objects.exists()
    assert register(me, hands_on, privacy_notice_version=newer.version).status_code == 201
    assert Registration.objects.get().privacy_notice_id == newer.pk


def test_answers_of_every_kind_are_checked_as_the_form_checks_them(me, hands_on):
    from escape_events.registrations.models import Answer, Question

    Kind = Question.Kind
    experiment = hands_on.questions.get()
    nights = Question.objects.create(
        event=hands_on, label="Nights", kind=Kind.NUMBER, min_value=0, max_value=5, position=2
    )
    country = Question.objects.create(
        event=hands_on, label="Country", kind=Kind.COUNTRY, position=3
    )
    laptop = Question.objects.create(
        event=hands_on, label="Laptop?", kind=Kind.SINGLE_CHOICE, choices=["Yes", "No"],
        option_limits={"Yes": 1}, position=4,
    )  # fmt: skip
    base = {str(experiment.pk): "ATLAS", str(country.pk): "ch"}
    too_many = register(me, hands_on, answers=base | {str(nights.pk): 9})
    assert too_many.status_code == 400
    assert too_many.json()["detail"] == '"Nights": Ensure this value is less than or equal to 5.'
    unknown = register(me, hands_on, answers=base | {str(country.pk): "XX"})
    assert unknown.json()["detail"] == '"Country": Choose a country from the list.'
    assert not Answer.objects.exists()
    made = register(me, hands_on, answers=base | {str(nights.pk): 3, str(laptop.pk): "Yes"})
    assert made.status_code == 201
    stored = dict(Answer.objects.values_list("question__label", "value"))
    assert stored == {"Experiment": "ATLAS", "Nights": "3", "Country": "CH", "Laptop?": "Yes"}
    event = me.get(f"/api/events/{hands_on.slug}").json()["registration"]
    described = {item["label"]: item for item in event["questions"]}
    assert described["Laptop?"]["option_limits"] == {"Yes": 1}
    assert described["Laptop?"]["options_left"] == {"Yes": 0}
    assert (described["Nights"]["min_value"], described["Nights"]["max_value"]) == (0, 5)


def test_change_my_answers_and_names_and_see_what_changed(me, person, hands_on):
    mine = register(me, hands_on).json()
    url = f"/api/me/registrations/{mine['id']}/change"
    changed = me.post(url, {"answers": answers(hands_on, "CMS"), "last_name": "Lovelace"})
    assert changed.status_code == 200
    body = changed.json()
    assert {(item["field"], item["before"], item["after"]) for item in body["changes"]} == {
        (hands_on.questions.get().label, "ATLAS", "CMS"),
        ("Family name", person.last_name, "Lovelace"),
    }
    assert body["registration"]["modify_until"] is not None
    assert Registration.objects.get(pk=mine["id"]).answers.get().value == "CMS"
    assert me.post(url, {"answers": answers(hands_on, "CMS")}).json()["changes"] == []


def test_a_change_after_the_deadline_or_to_someone_elses_is_refused(
    me, api, hands_on, make_user, make_token
):
    mine = register(me, hands_on).json()
    RegistrationSettings.objects.filter(event=hands_on).update(
        modification_deadline=timezone.now() - timedelta(minutes=1)
    )
    late = me.post(f"/api/me/registrations/{mine['id']}/change", {"last_name": "Late"})
    assert late.status_code == 409 and "write to" in late.json()["detail"]
    theirs = register(api(make_token(make_user(), registrations=True)), hands_on).json()
    stranger = me.post(f"/api/me/registrations/{theirs['id']}/change", {"last_name": "X"})
    assert stranger.status_code == 404


def test_join_then_leave_the_onsite_waiting_list_keeping_remote(
    me, api, hands_on, make_user, make_token
):
    RegistrationSettings.objects.filter(event=hands_on).update(onsite_capacity=0)
    mine = register(me, hands_on, mode="remote").json()
    assert mine["join_line"] == "onsite"
    joined = me.post(f"/api/me/registrations/{mine['id']}/waiting-list/join", {"mode": "onsite"})
    assert joined.status_code == 200
    assert joined.json()["waiting_for_mode"] == "onsite" and joined.json()["mode"] == "remote"
    left = me.post(f"/api/me/registrations/{mine['id']}/waiting-list/leave", {"mode": "onsite"})
    assert left.status_code == 200
    assert left.json()["waiting_for_mode"] == "" and left.json()["status"] == "confirmed"
    again = me.post(f"/api/me/registrations/{mine['id']}/waiting-list/leave", {"mode": "onsite"})
    assert again.status_code == 400
