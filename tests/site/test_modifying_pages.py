"""The attendee's side of changing a registration: the edit page with its history, the buttons
on My registrations that leave or join the other mode's line, and the deadline."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from escape_events.registrations import services
from escape_events.registrations.models import Question, Registration, RegistrationSettings

Mode = Registration.Mode


def test_the_person_changes_an_answer_and_sees_it_in_the_history(client, person, make_registrable):
    event = make_registrable(onsite=5)
    question = Question.objects.create(event=event, label="Affiliation", required=True)
    registration, _ = services.register(
        event=event, user=person, mode=Mode.ONSITE, answers={question.pk: "CERN"}
    )
    url = reverse("site:edit_registration", args=[registration.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'value="CERN"' in page.content.decode()
    mail.outbox.clear()
    names = {"first_name": person.first_name, "last_name": person.last_name, "affiliation": ""}
    response = client.post(url, {**names, f"q{question.pk}": "DESY"})
    assert response.status_code == 302
    assert registration.answers.get().value == "DESY"
    assert len(mail.outbox) == 1
    html = client.get(url).content.decode()
    assert "CERN → DESY" in html


def test_a_required_answer_left_empty_shows_the_form_again_with_400(
    client, person, make_registrable
):
    event = make_registrable(onsite=5)
    question = Question.objects.create(event=event, label="Affiliation", required=True)
    registration, _ = services.register(
        event=event, user=person, mode=Mode.ONSITE, answers={question.pk: "CERN"}
    )
    url = reverse("site:edit_registration", args=[registration.pk])
    names = {"first_name": person.first_name, "last_name": person.last_name}
    response = client.post(url, {**names, f"q{question.pk}": ""})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert registration.answers.get().value == "CERN"


def test_someone_elses_registration_is_404(client, person, make_user, make_registrable):
    event = make_registrable(onsite=5)
    other, _ = services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    url = reverse("site:edit_registration", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"first_name": "X", "last_name": "Y"}).status_code == 404
    leave = reverse("site:leave_waiting_line", args=[other.pk])
    assert client.post(leave, {"mode": "onsite"}).status_code == 404


def test_after_the_deadline_the_page_says_whom_to_write_to(client, person, make_registrable):
    event = make_registrable(onsite=5, event_fields={"contact_email": "chairs@example.org"})
    registration, _ = services.register(event=event, user=person, mode=Mode.ONSITE)
    RegistrationSettings.objects.filter(event=event).update(
        modification_deadline=timezone.now() - timedelta(minutes=1)
    )
    url = reverse("site:edit_registration", args=[registration.pk])
    html = client.get(url).content.decode()
    assert "mailto:chairs@example.org" in html and "Save changes" not in html
    response = client.post(url, {"first_name": "New", "last_name": "Name"})
    assert response.status_code == 409
    mine = client.get(reverse("site:mine")).content.decode()
    assert "chairs@example.org" in mine


def test_my_registrations_offers_to_leave_the_onsite_line_keeping_remote(
    client, person, make_user, make_registrable
):
    event = make_registrable(onsite=1, remote=None)
    services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    registration, _ = services.register(
        event=event, user=person, mode=Mode.REMOTE, wait_for_mode=Mode.ONSITE
    )
    html = client.get(reverse("site:mine")).content.decode()
    assert "Leave the on-site waiting list, keep remote" in html
    response = client.post(
        reverse("site:leave_waiting_line", args=[registration.pk]), {"mode": "onsite"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.waiting_for_mode == "" and registration.mode == Mode.REMOTE


def test_a_confirmed_remote_person_sees_the_join_button_when_onsite_is_full(
    client, person, make_user, make_registrable
):
    event = make_registrable(onsite=1, remote=None)
    services.register(event=event, user=make_user(), mode=Mode.ONSITE)
    registration, _ = services.register(event=event, user=person, mode=Mode.REMOTE)
    html = client.get(reverse("site:mine")).content.decode()
    assert "On-site is full: join its waiting list, keep remote" in html
    join = reverse("site:join_waiting_line", args=[registration.pk])
    assert client.post(join, {"mode": "onsite"}).status_code == 302
    registration.refresh_from_db()
    assert registration.waiting_for_mode == Mode.ONSITE
    assert client.post(join, {"mode": "balcony"}).status_code == 400
