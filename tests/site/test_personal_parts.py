"""The event page's cached blocks are shown to everyone: nothing of one person (their
registration box, name, CSRF token, messages) may reach another's page or the cache."""

import re

from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from escape_events.accounts.services import privacy_notice_in_force
from escape_events.timetable.access import Reader

from .cached import cached_parts

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _signed_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _tokens(html: str) -> set[str]:
    return set(TOKEN.findall(html))


def test_one_persons_page_never_shows_on_anothers(make_registrable, make_user):
    event = make_registrable(
        onsite=10, remote=10, event_fields={"online_url": "https://meet.example.org/secret-room"}
    )
    ada = make_user(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    bob = make_user(first_name="Bob", last_name="Builder", email="bob@example.org")
    ada_browser, bob_browser, visitor = _signed_in(ada), _signed_in(bob), Client()
    url = event.get_absolute_url()
    ada_browser.get(url)
    registered = ada_browser.post(
        reverse("site:register", args=[event.slug]),
        {
            "attend": "remote",
            "accept_privacy_notice": "on",
            "privacy_notice_version": privacy_notice_in_force().version,
        },
    )
    assert registered.status_code == 302

    ada_page = ada_browser.get(url).content.decode()  # with the message from registering
    bob_page = bob_browser.get(url).content.decode()
    visitor_page = visitor.get(url).content.decode()
    assert "You are registered" in ada_page and "Cancel registration" in ada_page
    assert f"{event.title}: you are registered" in ada_page.replace("&#x27;", "'")
    assert "secret-room" in ada_page  # the link for who attends remotely
    for other in (bob_page, visitor_page):
        assert "You are registered" not in other and "Cancel registration" not in other
        assert "you are registered" not in other
        assert "Lovelace" not in other and "ada@example.org" not in other
        assert "secret-room" not in other
        assert not _tokens(ada_page) & _tokens(other)
    assert "Register</button>" in bob_page and "Sign in to register" in visitor_page
    assert "Bob" not in ada_page
    for browser, page in ((ada_browser, ada_page), (bob_browser, bob_page)):
        secret = browser.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in _tokens(page)} == {secret}

    # What everyone gets from the cache is the same, and holds nothing of anyone's.
    kept = cached_parts(event)
    assert set(kept) == {"event_page_top", "event_page_bottom"}
    for html in kept.values():
        for page in (ada_page, bob_page, visitor_page):
            assert html in page
        assert "csrfmiddlewaretoken" not in html and "Lovelace" not in html
        assert "secret-room" not in html and "Register</button>" not in html


def test_the_page_asked_after_anothers_is_served_from_the_cache(make_registrable, make_user):
    """So the comparison above is between a page rendered for Ada and one kept from it."""
    privacy_notice_in_force()  # published by a site's first form: it changes the version
    event = make_registrable(onsite=10)
    _signed_in(make_user()).get(event.get_absolute_url())
    # Kept for every signed-in person who is not registered (the materials they see differ).
    reader = Reader(signed_in=True)
    assert set(cached_parts(event, reader)) == {"event_page_top", "event_page_bottom"}


def test_no_cache_value_holds_a_csrf_token(redis_cache, make_registrable, make_user):
    """Everything in the shared cache after people signed in, registered, and looked at the
    pages: no form's token, no person's secret, anywhere."""
    event = make_registrable(onsite=10)
    ada, bob = _signed_in(make_user(email="ada@example.org")), _signed_in(make_user())
    pages = [ada.get(event.get_absolute_url()).content.decode()]
    ada.post(
        reverse("site:register", args=[event.slug]),
        {
            "attend": "onsite",
            "accept_privacy_notice": "on",
            "privacy_notice_version": privacy_notice_in_force().version,
        },
    )
    for browser in (ada, bob, Client()):
        for url in (event.get_absolute_url(), reverse("site:home"), reverse("site:mine")):
            pages.append(browser.get(url).content.decode())
    tokens = set().union(*(_tokens(page) for page in pages))
    secrets = {browser.cookies["csrftoken"].value for browser in (ada, bob)}
    assert tokens and cached_parts(event)
    values = [redis_cache.get(key) for key in redis_cache.scan_iter()]
    assert values
    for value in values:
        assert b"csrfmiddlewaretoken" not in value
        assert not any(token.encode() in value for token in tokens | secrets)


def _page(browser, event) -> str:
    response = browser.get(event.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_registration_settings_and_questions_changed_show_on_the_next_load(
    make_registrable, person, client
):
    """They are kept with the page's event: every write to them changes the content version."""
    from escape_events.registrations.models import Question, RegistrationSettings

    event = make_registrable(onsite=10)
    assert "10 of 10 left" in _page(client, event)
    RegistrationSettings.objects.filter(event=event).update(onsite_capacity=12)
    assert "12 of 12 left" in _page(client, event)
    question = Question.objects.create(event=event, label="Your experiment?", required=True)
    assert "Your experiment?" in _page(client, event)
    Question.objects.filter(pk=question.pk).update(label="Which experiment?")
    html = _page(client, event)
    assert "Which experiment?" in html and "Your experiment?" not in html
    question.delete()
    assert "Which experiment?" not in _page(client, event)
    settings = RegistrationSettings.objects.get(event=event)
    settings.needs_approval = True
    settings.save()
    assert "The organisers approve registrations." in _page(client, event)
    settings.delete()
    assert 'id="registration"' not in _page(client, event)
