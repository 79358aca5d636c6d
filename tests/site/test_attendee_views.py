"""Registering through the pages, and bad input: a clear message, a 4xx, nothing stored."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from escape_events.accounts.services import privacy_notice_in_force
from escape_events.events.models import Event
from escape_events.registrations.models import Answer, Question, Registration

Mode = Registration.Mode
Status = Registration.Status


def post_register(client, event, **data):
    """The form as a person submits it, having ticked the privacy notice box."""
    notice = privacy_notice_in_force()
    data = {"accept_privacy_notice": "on", "privacy_notice_version": notice.version, **data}
    return client.post(reverse("site:register", args=[event.slug]), data)


def test_registering_from_the_event_page_confirms_and_redirects(client, person, make_registrable):
    event = make_registrable()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "How will you attend?" in page
    response = post_register(client, event, attend="onsite")
    assert response.status_code == 302
    assert Registration.objects.get(event=event, user=person).status == Status.CONFIRMED
    assert "You are registered" in client.get(event.get_absolute_url()).content.decode()


def test_full_on_site_offers_remote_now_while_waiting(client, person, make_user, make_registrable):
    event = make_registrable(onsite=1, remote=10)
    from escape_events.registrations.services import register

    register(event=event, user=make_user(), mode=Mode.ONSITE)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "On-site is full — join remote now and stay on the on-site waiting list" in page
    post_register(client, event, attend="remote+wait")
    registration = Registration.objects.get(event=event, user=person)
    assert (registration.mode, registration.waiting_for_mode) == (Mode.REMOTE, Mode.ONSITE)


def test_someone_already_waiting_is_offered_the_other_mode_on_the_event_page(
    client, person, make_user, make_registrable
):
    from escape_events.registrations.services import register

    event = make_registrable(onsite=1, remote=10)
    register(event=event, user=make_user(), mode=Mode.ONSITE)
    waiting, _ = register(event=event, user=person, mode=Mode.ONSITE)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Join remote now, stay on the on-site waiting list" in page
    response = client.post(
        reverse("site:switch", args=[waiting.pk]),
        {"mode": "remote", "keep_waiting": "on", "next": event.get_absolute_url()},
    )
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.mode, waiting.waiting_for_mode) == (
        Status.CONFIRMED,
        Mode.REMOTE,
        Mode.ONSITE,
    )


def test_remote_link_only_for_confirmed_remote_registrants(client, person, make_registrable):
    event = make_registrable(event_fields={"online_url": "https://vidyo.example.org/room"})
    assert "vidyo.example.org" not in client.get(event.get_absolute_url()).content.decode()
    post_register(client, event, attend="onsite")
    assert "vidyo.example.org" not in client.get(event.get_absolute_url()).content.decode()
    registration = Registration.objects.get(event=event, user=person)
    client.post(reverse("site:switch", args=[registration.pk]), {"mode": "remote"})
    assert "vidyo.example.org" in client.get(event.get_absolute_url()).content.decode()


def test_my_registrations_shows_status_position_and_overlaps(
    client, person, make_user, make_registrable
):
    from escape_events.registrations.services import register

    first = make_registrable(onsite=1)
    second = make_registrable()
    register(event=first, user=make_user(), mode=Mode.ONSITE)
    register(event=first, user=person, mode=Mode.ONSITE)
    register(event=second, user=person, mode=Mode.ONSITE)
    html = client.get(reverse("site:mine")).content.decode()
    assert "waiting list, number 1" in html
    assert "Overlaps with" in html
    confirmed = Registration.objects.get(event=second, user=person)
    qr_url = reverse("site:ticket_qr", args=[confirmed.pk])
    assert f'src="{qr_url}"' in html
    qr = client.get(qr_url)
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")


def test_my_registrations_offers_a_switch_only_where_the_other_mode_has_room(
    client, person, make_user, make_registrable, django_assert_num_queries
):
    from escape_events.registrations.services import register

    full_onsite = make_registrable(onsite=1, remote=5)
    register(event=full_onsite, user=make_user(), mode=Mode.ONSITE)
    register(event=full_onsite, user=person, mode=Mode.REMOTE)
    roomy = make_registrable(onsite=5, remote=5)
    register(event=roomy, user=person, mode=Mode.REMOTE)
    switch = f'action="{reverse("site:switch", args=[0])}"'.replace("/0/", "/{}/")
    # session, user, registrations, their queues, which clashing events are held together,
    # followed series, open feedback surveys of events attended (none); the menu: the person's
    # permissions (own, through groups), whether they organise a series, an event
    with django_assert_num_queries(11):
        html = client.get(reverse("site:mine")).content.decode()
    mine = {r.event_id: r.pk for r in Registration.objects.filter(user=person)}
    assert switch.format(mine[roomy.pk]) in html
    assert switch.format(mine[full_onsite.pk]) not in html
    assert html.count("Switch to on-site") == 1


@pytest.mark.parametrize(
    ("settings_fields", "event_fields", "status", "message"),
    [
        ({"opens_at_delta": timedelta(days=2)}, {}, 409, "Registration opens on"),
        ({"closes_at_delta": timedelta(seconds=-1)}, {}, 409, "Registration is closed"),
        ({}, {"status": Event.Status.CANCELLED}, 409, "has been cancelled"),
    ],
)
def test_closed_or_cancelled_registration_is_refused(
    client, person, make_registrable, settings_fields, event_fields, status, message
):
    event = make_registrable(event_fields=event_fields)
    settings = event.registration_settings
    now = timezone.now()
    if "opens_at_delta" in settings_fields:
        settings.opens_at = now + settings_fields["opens_at_delta"]
    if "closes_at_delta" in settings_fields:
        settings.opens_at = now - timedelta(days=3)
        settings.closes_at = now + settings_fields["closes_at_delta"]
    settings.save()
    response = post_register(client, event, attend="onsite")
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Registration.objects.exists()


def test_restricted_event_tells_others_why(client, person, make_registrable):
    event = make_registrable()
    event.registration_settings.restricted_to_groups.add(Group.objects.create(name="/escape"))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "open to members of /escape only" in page
    response = post_register(client, event, attend="onsite")
    assert response.status_code == 403
    assert not Registration.objects.exists()
    person.groups.add(Group.objects.get(name="/escape"))
    assert post_register(client, event, attend="onsite").status_code == 302


def test_another_group_is_not_enough_and_one_of_the_groups_is(client, person, make_registrable):
    event = make_registrable()
    escape, atlas, cms = (Group.objects.create(name=name) for name in ("/escape", "/atlas", "/cms"))
    event.registration_settings.restricted_to_groups.add(escape, atlas)
    person.groups.add(cms)
    response = post_register(client, event, attend="onsite")
    assert response.status_code == 403
    refusal = re.search(r"open to members of (.*) only", response.content.decode())
    assert sorted(refusal.group(1).split(", ")) == ["/atlas", "/escape"]
    person.groups.add(atlas)
    assert post_register(client, event, attend="onsite").status_code == 302


@pytest.mark.parametrize("others", [0, 3])
def test_the_box_reads_the_persons_rules_with_the_places(
    client, make_user, make_registrable, others
):
    """One statement reads the places, the person's holding and their rules; whether anyone
    has registered yet or not, each person is told what applies to them."""
    from escape_events.registrations.services import register

    event = make_registrable(onsite=10)
    for _ in range(others):
        register(event=event, user=make_user(), mode=Registration.Mode.ONSITE, answers={})
    escape = Group.objects.create(name="/escape")
    event.registration_settings.restricted_to_groups.add(escape)
    unverified, outsider, member = make_user(verified=False), make_user(), make_user()
    member.groups.add(escape)
    pages = {}
    for name, user in (("unverified", unverified), ("outsider", outsider), ("member", member)):
        client.force_login(user)
        pages[name] = client.get(event.get_absolute_url()).content.decode()
    assert "Confirm your e-mail address" in pages["unverified"]
    assert "open to members of /escape only" in pages["outsider"]
    assert "Register</button>" in pages["member"]
    assert all(f"{10 - others} of 10 left" in page for page in pages.values())
    register(event=event, user=member, mode=Registration.Mode.ONSITE, answers={})
    assert "You are registered" in client.get(event.get_absolute_url()).content.decode()


def test_unverified_email_cannot_register(client, make_user, make_registrable):
    client.force_login(make_user(verified=False))
    response = post_register(client, make_registrable(), attend="onsite")
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.content.decode()
    assert not Registration.objects.exists()


def test_anonymous_post_is_sent_to_log_in(client, make_registrable):
    response = post_register(client, make_registrable(), attend="onsite")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_tampered_mode_and_event_are_refused(client, person, make_registrable):
    event = make_registrable(allow_remote=False)
    response = post_register(client, event, attend="remote")
    assert response.status_code == 400
    assert "Please check the form" in response.content.decode()
    assert client.post("/events/no-such-event/register/", {"attend": "onsite"}).status_code == 404
    assert not Registration.objects.exists()


def test_someone_elses_registration_cannot_be_cancelled(
    client, person, make_user, make_registrable
):
    from escape_events.registrations.services import register

    other, _ = register(event=make_registrable(), user=make_user(), mode=Mode.ONSITE)
    response = client.post(reverse("site:cancel", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED


def test_missing_required_answer_stores_nothing(client, person, make_registrable):
    event = make_registrable()
    Question.objects.create(event=event, label="Affiliation", required=True)
    response = post_register(client, event, attend="onsite")
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Registration.objects.exists() and not Answer.objects.exists()


def test_oversized_answer_stores_nothing(client, person, make_registrable):
    event = make_registrable()
    question = Question.objects.create(event=event, label="Affiliation")
    response = post_register(client, event, attend="onsite", **{f"q{question.pk}": "x" * 5000})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not Registration.objects.exists()


def test_answers_are_stored_with_the_registration(client, person, make_registrable):
    event = make_registrable()
    esfri = Question.objects.create(
        event=event, label="Experiment / ESFRI", kind=Question.Kind.MULTIPLE_CHOICE,
        choices=["SKAO", "CTAO", "KM3NeT"],
    )  # fmt: skip
    swan = Question.objects.create(event=event, label="SWAN account?", kind=Question.Kind.YES_NO)
    post_register(client, event, attend="onsite", **{f"q{esfri.pk}": ["SKAO", "CTAO"],
                                                     f"q{swan.pk}": "yes"})  # fmt: skip
    answers = dict(Answer.objects.values_list("question__label", "value"))
    assert answers == {"Experiment / ESFRI": "SKAO\nCTAO", "SWAN account?": "yes"}


def test_double_submit_makes_one_registration(client, person, make_registrable):
    event = make_registrable()
    post_register(client, event, attend="onsite")
    response = post_register(client, event, attend="onsite")
    assert response.status_code == 302
    assert Registration.objects.filter(event=event).count() == 1


def test_colocated_event_can_be_registered_in_the_same_form(client, person, make_registrable):
    swan = make_registrable()
    rucio = make_registrable()
    swan.colocated_with.add(rucio)
    page = client.get(swan.get_absolute_url()).content.decode()
    assert f"Also register for {rucio.title}" in page
    post_register(
        client, swan, attend="onsite", **{f"also{rucio.pk}": "on", f"attend{rucio.pk}": "remote"}
    )
    modes = dict(Registration.objects.filter(user=person).values_list("event_id", "mode"))
    assert modes == {swan.pk: Mode.ONSITE, rucio.pk: Mode.REMOTE}  # each as chosen


def test_event_page_query_count_does_not_grow_with_registrations(
    client, person, make_user, make_registrable, django_assert_num_queries
):
    from escape_events.registrations.services import register

    event = make_registrable(onsite=20, public_participant_list=True)

    def register_people(count):
        for _ in range(count):
            register(event=event, user=make_user(), mode=Mode.ONSITE, consent_to_list=True)

    register_people(1)
    privacy_notice_in_force()  # published once, before the page that shows it is cached
    # The first view also reads what the cached blocks show (agenda, the event's materials,
    # minutes, attendance) and whether the person organises anything (kept a while: their
    # permissions, own and through groups, the series and events they organise).
    with django_assert_num_queries(16):
        assert client.get(event.get_absolute_url()).status_code == 200
    for newcomers in (0, 11):
        register_people(newcomers)
        # event with its content version and registration settings, session, user, the grouped
        # counts, the person's facts (verified address, groups), participants, and who they
        # are to the event (the kind of reader the cached materials are listed for)
        with django_assert_num_queries(7):
            assert client.get(event.get_absolute_url()).status_code == 200
    assert Registration.objects.filter(event=event).count() == 12


def test_open_event_shows_its_remote_link_to_signed_in_people_only(client, make_event, make_user):
    event = make_event(online_url="https://vidyo.example.org/wp2")
    anonymous = client.get(event.get_absolute_url()).content.decode()
    assert "vidyo.example.org" not in anonymous
    assert "Sign in to see the link for remote participation" in anonymous
    client.force_login(make_user())
    signed_in = client.get(event.get_absolute_url()).content.decode()
    assert 'href="https://vidyo.example.org/wp2"' in signed_in
    assert "No registration needed" in signed_in


def test_a_refused_cancel_shows_the_page_with_the_reason(client, person, make_registrable):
    from escape_events.registrations.services import register

    event = make_registrable(cancellation_deadline=timezone.now() - timedelta(minutes=1))
    registration, _ = register(event=event, user=person, mode=Mode.ONSITE)
    response = client.post(reverse("site:cancel", args=[registration.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "The cancellation deadline has passed" in page and "My registrations" in page
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_a_refused_switch_shows_the_page_with_the_reason(
    client, person, make_user, make_registrable
):
    from escape_events.registrations.services import register

    event = make_registrable(onsite=1, remote=5)
    register(event=event, user=make_user(), mode=Mode.ONSITE)
    registration, _ = register(event=event, user=person, mode=Mode.REMOTE)
    response = client.post(reverse("site:switch", args=[registration.pk]), {"mode": "onsite"})
    assert response.status_code == 409
    assert "On-site is full; you keep your current place." in response.content.decode()


def test_cancelling_asks_first_on_my_registrations_and_on_the_event_page(
    client, person, make_registrable
):
    """The Cancel button opens a confirmation (no script needed); only its "Yes" posts."""
    import re

    from escape_events.registrations.services import register

    event = make_registrable()
    registration, _ = register(event=event, user=person, mode=Mode.ONSITE)
    cancel = reverse("site:cancel", args=[registration.pk])
    for page in (client.get(reverse("site:mine")), client.get(event.get_absolute_url())):
        html = page.content.decode()
        ask = re.search(r'<details class="confirm-cancel">(.*?)</details>', html, re.S)
        assert ask, "no confirmation around the cancel form"
        assert "<summary" in ask.group(1) and f'action="{cancel}"' in ask.group(1)
        assert ">Yes, cancel it</button>" in ask.group(1)
        assert html.count(f'action="{cancel}"') == 1  # no other, unconfirmed form


def test_event_page_says_when_registration_closes_and_until_when_one_may_cancel(
    client, make_user, make_registrable
):
    from zoneinfo import ZoneInfo

    event = make_registrable()
    settings = event.registration_settings
    zurich = ZoneInfo("Europe/Zurich")
    settings.closes_at = event.start - timedelta(days=3)
    settings.cancellation_deadline = event.start - timedelta(days=1)
    settings.save()
    page = client.get(event.get_absolute_url()).content.decode()  # a visitor, not signed in
    closes = settings.closes_at.astimezone(zurich)
    deadline = settings.cancellation_deadline.astimezone(zurich)
    assert "Registration closes" in page
    assert f"{closes:%a} {closes.day} {closes:%b %Y}, {closes:%H:%M %Z}" in page
    assert "Free cancellation until" in page
    assert f"{deadline:%a} {deadline.day} {deadline:%b %Y}, {deadline:%H:%M %Z}" in page

    settings.closes_at = settings.cancellation_deadline = None
    settings.save()
    start = event.start.astimezone(zurich)
    page = client.get(event.get_absolute_url()).content.decode()
    assert page.count(f"{start:%a} {start.day} {start:%b %Y}, {start:%H:%M %Z}") == 2  # both

    settings.closes_at = timezone.now() - timedelta(minutes=1)
    settings.opens_at = timezone.now() - timedelta(days=2)
    settings.save()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Registration is closed" in page and "Registration closes" not in page
