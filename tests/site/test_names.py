"""Names: asked at the first registration when the account has none; one display name everywhere,
never an e-mail address in a public place."""

import pytest
from django.core import mail

from escape_events.accounts.models import NO_NAME
from escape_events.registrations.models import Registration

from .test_attendee_views import post_register  # the privacy notice box ticked, as people do


@pytest.fixture
def nameless(make_user, client):
    """An account a provider made without names (no given_name, family_name or name claim)."""
    user = make_user(first_name="", last_name="", email="ada.lovelace@example.org")
    client.force_login(user)
    return user


def test_the_first_registration_asks_the_name_and_stores_it(
    client, nameless, make_registrable, django_capture_on_commit_callbacks
):
    event = make_registrable()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Your name" in page and 'name="first_name"' in page and 'name="affiliation"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = post_register(
            client,
            event,
            attend="onsite",
            first_name=" Ada ",
            last_name="Lovelace",
            affiliation="Analytical Engines Ltd",
        )

    assert response.status_code == 302
    nameless.refresh_from_db()
    assert nameless.display_name == "Ada Lovelace"
    assert nameless.affiliation == "Analytical Engines Ltd"
    assert Registration.objects.filter(user=nameless, event=event).exists()
    (message,) = mail.outbox
    assert message.body.startswith("Hello Ada Lovelace,")
    # Asked once: the next event's form no longer asks.
    other = make_registrable()
    assert 'name="first_name"' not in client.get(other.get_absolute_url()).content.decode()


@pytest.mark.parametrize("blank", ["first_name", "last_name"])
def test_a_registration_without_the_name_is_refused_with_the_reason(
    client, nameless, make_registrable, blank
):
    event = make_registrable()
    data = {"attend": "onsite", "first_name": "Ada", "last_name": "Lovelace", blank: "  "}
    response = post_register(client, event, **data)
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Registration.objects.exists()
    nameless.refresh_from_db()
    assert nameless.first_name == "" and nameless.last_name == ""


def test_people_with_a_name_are_not_asked_again(client, make_user, make_registrable):
    client.force_login(make_user(first_name="Grace", last_name="Hopper"))
    page = client.get(make_registrable().get_absolute_url()).content.decode()
    assert 'name="first_name"' not in page


def test_the_public_list_never_shows_an_e_mail_address(client, make_user, make_registrable):
    event = make_registrable(public_participant_list=True)
    named = make_user(first_name="Grace", last_name="Hopper", email="grace.h@example.org")
    legacy = make_user(first_name="", last_name="", email="nameless.person@example.org")
    for person in (named, legacy):
        Registration.objects.create(
            event=event, user=person, mode="onsite", status="confirmed", consent_to_list=True
        )
    client.force_login(make_user())
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Grace Hopper" in page and NO_NAME in page
    assert "@example.org" not in page and "nameless.person" not in page
    assert "grace.h" not in page
