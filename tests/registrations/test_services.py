from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from escape_events.registrations import services
from escape_events.registrations.checkin import ticket_qr_png
from escape_events.registrations.models import Question, Registration
from escape_events.registrations.selectors import my_registrations, waiting_position

Mode = Registration.Mode
Status = Registration.Status


def test_registrations_beyond_capacity_join_the_waiting_list_in_order(make_registrable, make_user):
    event = make_registrable(onsite=2)
    people = [make_user() for _ in range(4)]
    results = [services.register(event=event, user=p, mode=Mode.ONSITE)[0] for p in people]
    assert [r.status for r in results] == [Status.CONFIRMED] * 2 + [Status.WAITING] * 2
    assert [waiting_position(r) for r in results[2:]] == [1, 2]


def test_registering_twice_returns_the_same_registration(make_registrable, make_user):
    event = make_registrable()
    person = make_user()
    first, created = services.register(event=event, user=person, mode=Mode.ONSITE)
    again, created_again = services.register(event=event, user=person, mode=Mode.REMOTE)
    assert created and not created_again
    assert first.pk == again.pk
    assert Registration.objects.filter(event=event, user=person).count() == 1


def test_cancelling_promotes_the_first_waiting_person_and_tells_them(
    make_registrable, make_user, django_capture_on_commit_callbacks
):
    event = make_registrable(onsite=1)
    holder, first, second = make_user(), make_user(), make_user()
    seat, _ = services.register(event=event, user=holder, mode=Mode.ONSITE)
    services.register(event=event, user=first, mode=Mode.ONSITE)
    services.register(event=event, user=second, mode=Mode.ONSITE)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=seat, by=holder)
    statuses = dict(Registration.objects.filter(event=event).values_list("user", "status"))
    assert statuses == {holder.pk: Status.CANCELLED, first.pk: Status.CONFIRMED,
                        second.pk: Status.WAITING}  # fmt: skip
    subjects = {(m.to[0], m.subject.split(" ")[0]) for m in mail.outbox}
    assert (first.email, "A") in subjects  # "A place opened up for you"
    assert (holder.email, "Your") in subjects


def test_confirmation_mail_has_text_html_and_the_event_as_ics(
    make_registrable, make_user, django_capture_on_commit_callbacks
):
    event = make_registrable()
    person = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, user=person, mode=Mode.ONSITE)
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert "You are registered" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "You are registered" in html
    name, content, ics_type = message.attachments[0]
    assert name.endswith(".ics") and ics_type.startswith("text/calendar")
    assert "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)


def test_confirmation_mail_carries_the_check_in_qr_code(
    make_registrable, make_user, django_capture_on_commit_callbacks
):
    event = make_registrable()
    with django_capture_on_commit_callbacks(execute=True):
        registration, _created = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    (message,) = mail.outbox
    name, content, mimetype = message.attachments[1]
    assert (name, mimetype) == ("check-in-qr-code.png", "image/png")
    assert content.startswith(b"\x89PNG") and "QR code" in message.body
    # The same code as the ticket page's: it leads to the organisers' check-in page.
    assert content == ticket_qr_png(registration)


def test_remote_participant_gets_the_online_link_in_the_attached_ics(
    make_registrable, make_user, django_capture_on_commit_callbacks
):
    link = "https://vidyo.example.org/swan"
    event = make_registrable(remote=5, event_fields={"online_url": link})
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event=event, user=make_user(), mode=Mode.REMOTE)
        services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    remote_ics, onsite_ics = (str(message.attachments[0][1]) for message in mail.outbox)
    assert link in remote_ics.replace("\r\n ", "")
    assert link not in onsite_ics.replace("\r\n ", "")


def test_remote_now_while_waiting_on_site_keeps_the_place_in_line(make_registrable, make_user):
    event = make_registrable(onsite=1, remote=5)
    holder, waiter = make_user(), make_user()
    seat, _ = services.register(event=event, user=holder, mode=Mode.ONSITE)
    reg, _ = services.register(
        event=event, user=waiter, mode=Mode.REMOTE, wait_for_mode=Mode.ONSITE
    )
    assert (reg.status, reg.mode, reg.waiting_for_mode) == (Status.CONFIRMED, Mode.REMOTE,
                                                            Mode.ONSITE)  # fmt: skip
    assert waiting_position(reg) == 1
    services.cancel_registration(registration=seat, by=holder)
    reg.refresh_from_db()
    assert (reg.status, reg.mode, reg.waiting_for_mode) == (Status.CONFIRMED, Mode.ONSITE, "")


def test_waiting_person_takes_remote_and_stays_in_the_on_site_line(make_registrable, make_user):
    event = make_registrable(onsite=1, remote=5)
    services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    waiter = make_user()
    reg, _ = services.register(event=event, user=waiter, mode=Mode.ONSITE)
    assert reg.status == Status.WAITING
    reg = services.switch_mode(registration=reg, mode=Mode.REMOTE, by=waiter, keep_waiting=True)
    assert (reg.status, reg.mode, reg.waiting_for_mode) == (Status.CONFIRMED, Mode.REMOTE,
                                                            Mode.ONSITE)  # fmt: skip
    assert [r.waiting_position for r in my_registrations(waiter)] == [1]


def test_switching_to_a_full_mode_is_refused(make_registrable, make_user):
    event = make_registrable(onsite=1, remote=1)
    services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    person = make_user()
    reg, _ = services.register(event=event, user=person, mode=Mode.REMOTE)
    with pytest.raises(services.RegistrationRefused, match="full"):
        services.switch_mode(registration=reg, mode=Mode.ONSITE, by=person)


def test_raising_a_capacity_promotes_from_the_waiting_list(make_registrable, make_user):
    event = make_registrable(onsite=1)
    for _ in range(3):
        services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    promoted = services.set_capacity(
        settings=event.registration_settings, onsite_capacity=2, remote_capacity=None
    )
    assert len(promoted) == 1
    assert event.registrations.filter(status=Status.CONFIRMED).count() == 2


def test_approval_events_hold_the_seat_as_pending_until_approved(make_registrable, make_user):
    event = make_registrable(onsite=1, needs_approval=True)
    organiser = make_user()
    event.organisers.add(organiser)
    first, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    second, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    assert (first.status, second.status) == (Status.PENDING, Status.WAITING)
    services.reject(registration=first, by=organiser)
    second.refresh_from_db()
    assert second.status == Status.PENDING
    services.approve(registration=second, by=organiser)
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED


def test_only_organisers_approve_reject_or_promote(make_registrable, make_user):
    event = make_registrable(onsite=1)
    services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    waiter = make_user()
    reg, _ = services.register(event=event, user=waiter, mode=Mode.ONSITE)
    with pytest.raises(services.RegistrationRefused) as refused:
        services.promote_by_hand(registration=reg, by=waiter)
    assert refused.value.status == 403


def test_organiser_promotes_by_hand_beyond_capacity(make_registrable, make_user):
    event = make_registrable(onsite=1)
    organiser = make_user()
    event.organisers.add(organiser)
    services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    reg, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    services.promote_by_hand(registration=reg, by=organiser)
    assert event.registrations.filter(status=Status.CONFIRMED).count() == 2


def test_cancelling_after_the_deadline_is_refused_for_attendees(make_registrable, make_user):
    event = make_registrable(cancellation_deadline=timezone.now() + timedelta(days=1))
    person = make_user()
    reg, _ = services.register(event=event, user=person, mode=Mode.ONSITE)
    with pytest.raises(services.RegistrationRefused, match="deadline"):
        services.cancel_registration(
            registration=reg, by=person, now=timezone.now() + timedelta(days=2)
        )
    reg.refresh_from_db()
    assert reg.status == Status.CONFIRMED


def test_colocated_events_are_registered_together_or_not_at_all(make_registrable, make_user):
    swan = make_registrable()
    rucio = make_registrable()
    Question.objects.create(event=rucio, label="Affiliation", required=True)
    person = make_user()
    with pytest.raises(services.RegistrationRefused, match="Affiliation"):
        services.register_together(
            user=person,
            requests=[
                services.RegistrationRequest(event=swan, mode=Mode.ONSITE),
                services.RegistrationRequest(event=rucio, mode=Mode.ONSITE),
            ],
        )
    assert not Registration.objects.filter(user=person).exists()
    question = rucio.questions.get()
    results = services.register_together(
        user=person,
        requests=[
            services.RegistrationRequest(event=swan, mode=Mode.ONSITE),
            services.RegistrationRequest(
                event=rucio, mode=Mode.ONSITE, answers={question.pk: "CERN"}
            ),
        ],
    )
    assert [created for _, created in results] == [True, True]


def test_event_changed_signal_mails_every_active_registrant(
    make_registrable, make_user, django_capture_on_commit_callbacks
):
    from escape_events.events.models import Event
    from escape_events.events.signals import event_changed

    event = make_registrable()
    people = [make_user() for _ in range(3)]
    for person in people:
        services.register(event=event, user=person, mode=Mode.ONSITE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # sent inside the change's transaction
        event_changed.send(sender=Event, event=event, changed=["start"], cancelled=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert all(m.subject.startswith("Cancelled:") for m in mail.outbox)


def _ics_events(message):
    """The VEVENTs of the message's .ics attachment, read back with icalendar."""
    (content,) = [content for name, content, _ in message.attachments if name.endswith(".ics")]
    return icalendar.Calendar.from_ical(content).walk("VEVENT")


def test_every_registration_mail_kind_has_text_html_and_a_parsable_ics_when_placed(
    make_registrable, make_user, django_capture_on_commit_callbacks
):
    event = make_registrable(onsite=1, needs_approval=True)
    organiser = make_user()
    event.organisers.add(organiser)
    first, second = make_user(), make_user()
    with django_capture_on_commit_callbacks(execute=True):
        pending, _ = services.register(event=event, user=first, mode=Mode.ONSITE)
        waiting, _ = services.register(event=event, user=second, mode=Mode.ONSITE)
        services.approve(registration=pending, by=organiser)
        services.reject(registration=waiting, by=organiser)
        services.cancel_registration(registration=pending, by=first)
    received = {(message.to[0], message.subject): message for message in mail.outbox}
    title = event.title
    expected = {
        (first.email, f"Your registration for {title}"): ("received your registration", False),
        (second.email, f"Your registration for {title}"): ("on the waiting list", False),
        (first.email, f"Your registration for {title} is confirmed"): ("approved", True),
        (second.email, f"Your registration for {title} was declined"): ("could not accept", False),
        (first.email, f"Your registration for {title} is cancelled"): ("is cancelled", False),
    }
    assert set(received) == set(expected)
    for key, (words, with_ics) in expected.items():
        message = received[key]
        html, mimetype = message.alternatives[0]
        assert words in message.body and words in html and mimetype == "text/html"
        if with_ics:
            (vevent,) = _ics_events(message)
            assert str(vevent["SUMMARY"]) == title and vevent["STATUS"] == "CONFIRMED"
        else:
            assert not message.attachments


def test_changing_an_event_mails_registrants_in_words_with_the_updated_ics(
    make_registrable, make_user, django_capture_on_commit_callbacks
):
    from escape_events.events.services import update_event

    event = make_registrable(onsite=1)
    confirmed, waiting = make_user(), make_user()
    services.register(event=event, user=confirmed, mode=Mode.ONSITE)
    services.register(event=event, user=waiting, mode=Mode.ONSITE)
    mail.outbox.clear()
    new_start = event.start + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        update_event(
            event=event,
            values={
                "start": new_start,
                "end": event.end + timedelta(hours=1),
                "online_url": "https://vidyo.example.org/new",
            },
        )
    by_person = {message.to[0]: message for message in mail.outbox}
    assert set(by_person) == {confirmed.email, waiting.email}
    message = by_person[confirmed.email]
    assert message.subject == f"Changed: {event.title}"
    assert "online participation link" in message.body and "online_url" not in message.body
    assert "online participation link" in message.alternatives[0][0]
    (vevent,) = _ics_events(message)
    assert (
        vevent["DTSTART"].dt == new_start.replace(microsecond=0) and vevent["STATUS"] == "CONFIRMED"
    )
    # Someone on the waiting list has no place yet: the calendar entry is tentative.
    (vevent,) = _ics_events(by_person[waiting.email])
    assert vevent["STATUS"] == "TENTATIVE"


@pytest.mark.parametrize("change", ["cancelled", "closed", "full"])
def test_what_changed_since_the_page_read_the_event_is_decided_under_the_lock(
    make_registrable, make_user, change
):
    """The rules are asked before the lock with the caller's copy of the event and settings (the
    page's), then again under it from the rows: a copy read before a cancellation, the closing
    or the last seat going never registers anyone on the stale state."""
    from escape_events.events.models import Event
    from escape_events.registrations.models import RegistrationSettings

    event = make_registrable(onsite=1)
    page_copy = Event.objects.select_related("registration_settings").get(pk=event.pk)
    if change == "cancelled":
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    elif change == "closed":
        RegistrationSettings.objects.filter(event=event).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )
    else:
        services.register(event=event, user=make_user(), mode=Registration.Mode.ONSITE)
    person = make_user()
    if change == "full":
        registration, _ = services.register(
            event=page_copy, user=person, mode=Registration.Mode.ONSITE
        )
        assert registration.status == Registration.Status.WAITING
        return
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register(event=page_copy, user=person, mode=Registration.Mode.ONSITE)
    assert refused.value.status == 409
    assert not Registration.objects.filter(user=person).exists()
