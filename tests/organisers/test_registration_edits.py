"""Organisers change a registration through the same services as the person (answers, names,
mode, a private note, tags), see the history, and check in or tag many people at once."""

from django.core import mail
from django.urls import reverse

from escape_events.registrations import services
from escape_events.registrations.models import Registration, RegistrationChange

Mode = Registration.Mode
Status = Registration.Status


def test_the_organiser_edits_answers_note_and_tags_and_sees_the_history(
    client, organiser, hands_on, register
):
    registration = register(hands_on, answer="ATLAS")
    question = hands_on.questions.get()
    person = registration.user
    client.force_login(organiser)
    url = reverse("organisers:registration", args=[hands_on.slug, registration.pk])
    page = client.get(url).content.decode()
    assert 'value="ATLAS"' in page and "No changes since" in page
    mail.outbox.clear()
    response = client.post(
        url,
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "affiliation": "CERN",
            f"q{question.pk}": "CMS",
            "note": "Chairs session 2",
            "tags": "speaker, chair",
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.note == "Chairs session 2"
    assert sorted(tag.name for tag in registration.tags.all()) == ["chair", "speaker"]
    change = RegistrationChange.objects.get()
    assert change.by == organiser and change.by_organiser
    (message,) = mail.outbox
    assert "ATLAS → CMS" in message.body and "Chairs session" not in message.body
    page = client.get(url).content.decode()
    assert "by the organisers (Olga Organiser)" in page and "Chairs session 2" in page
    # The person's own page shows the change but not the note or tags.
    client.force_login(person)
    own = client.get(reverse("site:edit_registration", args=[registration.pk])).content.decode()
    assert "ATLAS → CMS" in own and "Chairs session" not in own and "speaker" not in own


def test_the_organiser_moves_someone_to_remote(client, organiser, hands_on, register):
    registration = register(hands_on)
    client.force_login(organiser)
    url = reverse("organisers:registration_mode", args=[hands_on.slug, registration.pk])
    client.post(url, {"mode": "remote"})
    registration.refresh_from_db()
    assert registration.mode == Mode.REMOTE
    assert registration.changes.get().by_organiser


def test_a_too_long_note_is_refused_at_the_field(client, organiser, hands_on, register):
    registration = register(hands_on, answer="ATLAS")
    client.force_login(organiser)
    url = reverse("organisers:registration", args=[hands_on.slug, registration.pk])
    person = registration.user
    response = client.post(
        url,
        {"first_name": person.first_name, "last_name": person.last_name, "note": "x" * 2001},
    )
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not RegistrationChange.objects.exists()


def test_a_registration_of_another_event_is_not_found_through_this_one(
    client, organiser, hands_on, make_event, register
):
    elsewhere = register(make_event(), answer=None)
    client.force_login(organiser)
    url = reverse("organisers:registration", args=[hands_on.slug, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_bulk_check_in_checks_in_the_confirmed_and_says_why_not_the_others(
    client, organiser, hands_on, register
):
    confirmed = register(hands_on)
    waiting = register(hands_on, status=Status.WAITING)
    client.force_login(organiser)
    url = reverse("organisers:participant_bulk", args=[hands_on.slug])
    response = client.post(
        url, {"action": "check_in", "selected": [confirmed.pk, waiting.pk]}, follow=True
    )
    page = response.content.decode()
    assert "Check in: done for 1." in page
    assert "Skipped 1: not confirmed" in page
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.checked_in_at is not None and waiting.checked_in_at is None


def test_bulk_tag_adds_a_tag_keeping_the_others(client, organiser, hands_on, register):
    first, second = register(hands_on), register(hands_on)
    services.edit_registration(registration=first, by=organiser, tags=["speaker"])
    client.force_login(organiser)
    url = reverse("organisers:participant_bulk", args=[hands_on.slug])
    client.post(url, {"action": "tag", "tag": " visa  letter ", "selected": [first.pk, second.pk]})
    assert sorted(tag.name for tag in first.tags.all()) == ["speaker", "visa letter"]
    assert [tag.name for tag in second.tags.all()] == ["visa letter"]
    page = client.get(reverse("organisers:participants", args=[hands_on.slug])).content.decode()
    assert '<span class="tag">visa letter</span>' in page


def test_bulk_tag_without_a_tag_is_refused(client, organiser, hands_on, register):
    registration = register(hands_on)
    client.force_login(organiser)
    url = reverse("organisers:participant_bulk", args=[hands_on.slug])
    response = client.post(url, {"action": "tag", "tag": "", "selected": [registration.pk]})
    assert response.status_code == 302
    assert not registration.tags.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Give the tag to add." in page


def test_the_participant_list_filters_by_tag(client, organiser, hands_on, register):
    tagged, untagged = register(hands_on), register(hands_on)
    services.edit_registration(registration=tagged, by=organiser, tags=["Speaker"])
    client.force_login(organiser)
    url = reverse("organisers:participants", args=[hands_on.slug])
    page = client.get(url, {"tag": "speaker"}).content.decode()
    assert tagged.user.email in page and untagged.user.email not in page
    assert "1 registration matches" in page
