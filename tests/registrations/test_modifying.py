"""Changing a registration after the fact: the person until the modification deadline, the
organisers at any time, through the same services; every change kept and mailed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from escape_events.registrations import services
from escape_events.registrations.models import (
    Answer,
    Question,
    Registration,
    RegistrationChange,
    RegistrationSettings,
)
from escape_events.registrations.selectors import waiting_position

Mode = Registration.Mode
Status = Registration.Status


@pytest.fixture
def asked(make_registrable):
    """An event (2 on-site seats, remote unlimited) asking for an affiliation and an experiment."""
    event = make_registrable(onsite=2, remote=None)
    affiliation = Question.objects.create(event=event, label="Affiliation", required=True)
    experiment = Question.objects.create(
        event=event, label="Experiment", kind=Question.Kind.SINGLE_CHOICE, choices=["CTA", "LOFAR"]
    )
    return event, affiliation, experiment


def organiser_of(event, make_user):
    organiser = make_user()
    event.organisers.add(organiser)
    return organiser


def test_an_attendee_edits_answers_and_names_and_is_told_what_changed(asked, make_user):
    event, affiliation, experiment = asked
    person = make_user(first_name="Ada", last_name="Lovelace")
    registration, _ = services.register(
        event=event, user=person, mode=Mode.ONSITE, answers={affiliation.pk: "CERN"}
    )
    mail.outbox.clear()
    change = services.edit_registration(
        registration=registration,
        by=person,
        answers={affiliation.pk: "DESY", experiment.pk: "CTA"},
        names={"first_name": "Augusta Ada", "last_name": "King"},
    )
    assert dict(registration.answers.values_list("question_id", "value")) == {
        affiliation.pk: "DESY",
        experiment.pk: "CTA",
    }
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Augusta Ada", "King")
    assert change.by == person and not change.by_organiser
    assert {(c["field"], c["before"], c["after"]) for c in change.changes} == {
        ("Affiliation", "CERN", "DESY"),
        ("Experiment", "", "CTA"),
        ("First name", "Ada", "Augusta Ada"),
        ("Family name", "Lovelace", "King"),
    }
    (message,) = mail.outbox
    assert message.subject == f"Your registration for {event.title} was changed"
    assert "Affiliation: CERN → DESY" in message.body
    assert "You changed your registration" in message.body


def test_an_answer_the_form_refuses_is_refused_and_nothing_is_stored(asked, make_user):
    event, affiliation, experiment = asked
    person = make_user()
    registration, _ = services.register(
        event=event, user=person, mode=Mode.ONSITE, answers={affiliation.pk: "CERN"}
    )
    with pytest.raises(services.RegistrationRefused, match="Pick one"):
        services.edit_registration(
            registration=registration,
            by=person,
            answers={affiliation.pk: "DESY", experiment.pk: "Not an option"},
        )
    with pytest.raises(services.RegistrationRefused, match="Please answer"):
        services.edit_registration(registration=registration, by=person, answers={})
    with pytest.raises(services.RegistrationRefused, match="Family name"):
        services.edit_registration(registration=registration, by=person, names={"last_name": " "})
    assert Answer.objects.get(registration=registration).value == "CERN"
    assert not RegistrationChange.objects.exists()


def test_nothing_changed_keeps_no_history_and_sends_no_mail(asked, make_user):
    event, affiliation, _ = asked
    person = make_user()
    registration, _ = services.register(
        event=event, user=person, mode=Mode.ONSITE, answers={affiliation.pk: "CERN"}
    )
    mail.outbox.clear()
    assert (
        services.edit_registration(
            registration=registration, by=person, answers={affiliation.pk: " CERN "}
        )
        is None
    )
    assert not mail.outbox and not RegistrationChange.objects.exists()


def test_after_the_modification_deadline_the_person_is_told_whom_to_write_to(asked, make_user):
    event, affiliation, _ = asked
    event.contact_email = "wp2-chairs@example.org"
    event.save()
    person = make_user()
    registration, _ = services.register(
        event=event, user=person, mode=Mode.ONSITE, answers={affiliation.pk: "CERN"}
    )
    RegistrationSettings.objects.filter(event=event).update(
        modification_deadline=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(services.RegistrationRefused, match=r"wp2-chairs@example\.org") as refused:
        services.edit_registration(
            registration=registration, by=person, answers={affiliation.pk: "DESY"}
        )
    assert refused.value.status == 409


def test_the_deadline_defaults_to_when_registration_closes(make_registrable):
    closes = timezone.now() + timedelta(days=2)
    event = make_registrable(closes_at=closes)
    settings = RegistrationSettings.objects.get(event=event)
    assert services.modification_deadline(event=event, settings=settings) == closes
    settings.modification_deadline = closes + timedelta(days=1)
    assert services.modification_deadline(event=event, settings=settings) == closes + timedelta(
        days=1
    )


def test_an_organiser_edits_after_the_deadline_with_a_private_note_and_tags(asked, make_user):
    event, affiliation, _ = asked
    organiser = organiser_of(event, make_user)
    person = make_user()
    registration, _ = services.register(
        event=event, user=person, mode=Mode.ONSITE, answers={affiliation.pk: "CERN"}
    )
    RegistrationSettings.objects.filter(event=event).update(
        modification_deadline=timezone.now() - timedelta(minutes=1)
    )
    mail.outbox.clear()
    change = services.edit_registration(
        registration=registration,
        by=organiser,
        answers={affiliation.pk: "INFN"},
        note="Needs a visa letter",
        tags=["speaker", "Visa", "visa", " "],
    )
    assert change.by_organiser and change.by == organiser
    registration.refresh_from_db()
    assert registration.note == "Needs a visa letter"
    assert sorted(tag.name for tag in registration.tags.all()) == ["Visa", "speaker"]
    assert [c["field"] for c in change.public_changes] == ["Affiliation"]
    (message,) = mail.outbox
    assert "The organisers changed your registration" in message.body
    assert "visa letter" not in message.body and "speaker" not in message.body


def test_notes_and_tags_are_for_organisers_only(asked, make_user):
    event, affiliation, _ = asked
    person = make_user()
    registration, _ = services.register(
        event=event, user=person, mode=Mode.ONSITE, answers={affiliation.pk: "CERN"}
    )
    with pytest.raises(services.RegistrationRefused) as refused:
        services.edit_registration(registration=registration, by=person, note="VIP")
    assert refused.value.status == 403
    with pytest.raises(services.RegistrationRefused) as refused:
        services.edit_registration(
            registration=registration, by=make_user(), answers={affiliation.pk: "x"}
        )
    assert refused.value.status == 403


def test_an_organiser_of_another_event_is_refused(asked, make_event, make_user):
    event, affiliation, _ = asked
    other = make_event()
    stranger = organiser_of(other, make_user)
    registration, _ = services.register(
        event=event, user=make_user(), mode=Mode.ONSITE, answers={affiliation.pk: "CERN"}
    )
    with pytest.raises(services.RegistrationRefused):
        services.edit_registration(registration=registration, by=stranger, note="x")
    with pytest.raises(services.RegistrationRefused):
        services.switch_mode(registration=registration, mode=Mode.REMOTE, by=stranger)


def test_too_many_or_too_long_tags_are_refused(asked, make_user):
    event, affiliation, _ = asked
    organiser = organiser_of(event, make_user)
    registration, _ = services.register(
        event=event, user=make_user(), mode=Mode.ONSITE, answers={affiliation.pk: "CERN"}
    )
    with pytest.raises(services.RegistrationRefused, match="too long"):
        services.edit_registration(registration=registration, by=organiser, tags=["x" * 51])
    with pytest.raises(services.RegistrationRefused, match="At most"):
        services.edit_registration(
            registration=registration, by=organiser, tags=[f"t{n}" for n in range(21)]
        )


def test_leaving_the_onsite_line_keeps_the_remote_place(make_registrable, make_user):
    event = make_registrable(onsite=1, remote=None)
    services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    person = make_user()
    registration, _ = services.register(
        event=event, user=person, mode=Mode.REMOTE, wait_for_mode=Mode.ONSITE
    )
    behind, _ = services.register(
        event=event, user=make_user(), mode=Mode.REMOTE, wait_for_mode=Mode.ONSITE
    )
    assert waiting_position(behind) == 2
    mail.outbox.clear()
    services.leave_waiting_line(registration=registration, by=person)
    registration.refresh_from_db()
    assert (registration.status, registration.mode, registration.waiting_for_mode) == (
        Status.CONFIRMED,
        Mode.REMOTE,
        "",
    )
    assert waiting_position(Registration.objects.get(pk=behind.pk)) == 1
    change = registration.changes.get()
    assert change.changes == [
        {"field": "Waiting list", "before": "On-site waiting list", "after": ""}
    ]
    (message,) = mail.outbox
    assert "On-site waiting list → (none)" in message.body
    with pytest.raises(services.RegistrationRefused, match="no other waiting list"):
        services.leave_waiting_line(registration=registration, by=person)


def test_a_confirmed_remote_person_joins_the_full_onsite_line_and_moves_up(
    make_registrable, make_user
):
    event = make_registrable(onsite=1, remote=None)
    holder, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    person = make_user()
    registration, _ = services.register(event=event, user=person, mode=Mode.REMOTE)
    services.join_waiting_line(registration=registration, mode=Mode.ONSITE, by=person)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert registration.waiting_for_mode == Mode.ONSITE and registration.waiting_since
    assert waiting_position(registration) == 1
    # Joining twice changes nothing.
    services.join_waiting_line(registration=registration, mode=Mode.ONSITE, by=person)
    assert registration.changes.count() == 1
    services.cancel_registration(registration=holder, by=holder.user)
    registration.refresh_from_db()
    assert (registration.mode, registration.waiting_for_mode) == (Mode.ONSITE, "")


def test_joining_a_line_with_room_says_to_switch_instead(make_registrable, make_user):
    event = make_registrable(onsite=5, remote=None)
    person = make_user()
    registration, _ = services.register(event=event, user=person, mode=Mode.REMOTE)
    with pytest.raises(services.RegistrationRefused, match="switch") as refused:
        services.join_waiting_line(registration=registration, mode=Mode.ONSITE, by=person)
    assert refused.value.status == 409
    with pytest.raises(services.RegistrationRefused, match="not offered"):
        services.join_waiting_line(registration=registration, mode="balcony", by=person)


def test_switching_mode_is_kept_in_the_history_and_mailed(make_registrable, make_user):
    event = make_registrable(onsite=5, remote=None)
    person = make_user()
    registration, _ = services.register(event=event, user=person, mode=Mode.ONSITE)
    mail.outbox.clear()
    services.switch_mode(registration=registration, mode=Mode.REMOTE, by=person)
    change = registration.changes.get()
    assert change.changes == [{"field": "Attendance", "before": "On-site", "after": "Remote"}]
    (message,) = mail.outbox
    assert "Attendance: On-site → Remote" in message.body


def test_switching_after_the_deadline_is_refused_for_the_person_not_the_organiser(
    make_registrable, make_user
):
    event = make_registrable(
        onsite=5, remote=None, modification_deadline=timezone.now() + timedelta(minutes=1)
    )
    organiser = organiser_of(event, make_user)
    person = make_user()
    registration, _ = services.register(event=event, user=person, mode=Mode.ONSITE)
    later = timezone.now() + timedelta(minutes=2)
    with pytest.raises(services.RegistrationRefused, match="write to"):
        services.switch_mode(registration=registration, mode=Mode.REMOTE, by=person, now=later)
    services.switch_mode(registration=registration, mode=Mode.REMOTE, by=organiser, now=later)
    assert registration.changes.get().by_organiser


def test_the_retention_purge_removes_the_history_of_changes_note_and_tags(asked, make_user):
    event, affiliation, _ = asked
    organiser = organiser_of(event, make_user)
    registration, _ = services.register(
        event=event, user=make_user(), mode=Mode.ONSITE, answers={affiliation.pk: "CERN"}
    )
    services.edit_registration(
        registration=registration,
        by=organiser,
        answers={affiliation.pk: "DESY"},
        note="Visa letter sent",
        tags=["visa"],
    )
    services.purge_event_registrations(event=event)
    registration.refresh_from_db()
    assert registration.user is None and registration.note == ""
    assert not registration.tags.exists()
    assert not RegistrationChange.objects.exists()
