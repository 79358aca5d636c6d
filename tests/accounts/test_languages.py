"""Choosing a language: the browser's Accept-Language, the header's switcher (a POST to
set_language) and, for a signed-in person, the preference stored on the account, which wins."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def person(email="ada@example.org", **fields):
    return get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD, **fields
    )


def signed_in(user, **options) -> Client:
    browser = Client(**options)
    browser.force_login(user)
    return browser


def page_language(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_without_a_choice_the_page_is_in_the_site_language(client):
    response = client.get("/")
    assert page_language(response) == "en-gb" and response["Content-Language"] == "en-gb"


def test_the_browsers_accept_language_chooses_the_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.5")
    assert page_language(response) == "fr" and response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]


def test_the_header_offers_every_language_in_its_own_name_without_a_token_for_visitors(client):
    page = client.get("/past/").content.decode()
    header = page.split("</header>")[0]
    assert f'action="{reverse("set_language")}"' in header
    assert '<input type="hidden" name="next" value="/past/">' in header
    assert '<label for="language-switcher"' in header
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in header and f">{name}</option>" in header
    assert '<option value="en-gb" lang="en-gb" selected>' in header
    assert "csrfmiddlewaretoken" not in header


def test_the_switcher_changes_the_language_and_goes_back(client):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/past/"})
    assert response.status_code == 302 and response["Location"] == "/past/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    page = client.get("/past/", HTTP_ACCEPT_LANGUAGE="fr")  # the choice wins over the browser
    assert page_language(page) == "de"
    assert '<option value="de" lang="de" selected>' in page.content.decode()


def test_a_visitor_switches_without_a_csrf_token():
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(reverse("set_language"), {"language": "it", "next": "/"})
    assert response.status_code == 302
    assert page_language(visitor.get("/")) == "it"


@pytest.mark.parametrize("language", ["pt", "xx", "fr-<script>", ""])
def test_a_language_the_site_does_not_offer_is_ignored(client, language):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert page_language(client.get("/")) == "en-gb"


def test_a_language_outside_the_site_does_not_touch_the_account():
    ada = person(language="fr")
    browser = signed_in(ada)
    assert browser.post(reverse("set_language"), {"language": "pt"}).status_code in {302, 204}
    ada.refresh_from_db()
    assert ada.language == "fr"
    assert browser.get(reverse("set_language")).status_code == 405


def test_a_signed_in_persons_preference_wins_over_the_browser():
    browser = signed_in(person(language="de"))
    response = browser.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page_language(response) == "de" and response["Content-Language"] == "de"


def test_without_a_stored_preference_a_signed_in_person_reads_the_browsers_language():
    browser = signed_in(person())
    assert page_language(browser.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "es"


def test_the_switcher_stores_a_signed_in_persons_choice():
    ada = person(language="de")
    browser = signed_in(ada)
    response = browser.post(reverse("set_language"), {"language": "es", "next": "/past/"})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.language == "es"
    assert page_language(browser.get("/past/")) == "es"


def test_a_signed_in_persons_switch_needs_their_token():
    ada = person(language="de")
    browser = signed_in(ada, enforce_csrf_checks=True)
    assert browser.post(reverse("set_language"), {"language": "fr"}).status_code == 403
    ada.refresh_from_db()
    assert ada.language == "de"
    page = browser.get("/").content.decode()
    token = page.split('class="language-switcher">', 1)[1].split('value="', 1)[1].split('"')[0]
    sent = {"language": "fr", "next": "/", "csrfmiddlewaretoken": token}
    assert browser.post(reverse("set_language"), sent).status_code == 302
    ada.refresh_from_db()
    assert ada.language == "fr"


def test_signing_in_keeps_the_stored_language_after_signing_out(client):
    from allauth.account.models import EmailAddress

    ada = person(language="it")
    EmailAddress.objects.create(user=ada, email=ada.email, verified=True, primary=True)
    signed = client.post(reverse("account_login"), {"login": ada.email, "password": PASSWORD})
    assert signed.status_code == 302
    assert signed.cookies[settings.LANGUAGE_COOKIE_NAME].value == "it"
    client.post(reverse("account_logout"))
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="fr")) == "it"


def test_sign_up_keeps_the_language_the_person_was_browsing_in(client):
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "affiliation": "CERN",
            "email": "ada@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE="it",
    )
    assert get_user_model().objects.get(email="ada@example.org").language == "it"


def test_the_account_page_edits_the_language():
    ada = person(first_name="Ada", last_name="Lovelace")
    browser = signed_in(ada)
    page = browser.get(reverse("accounts:profile")).content.decode()
    assert 'name="language"' in page and ">Deutsch</option>" in page
    profile = {"first_name": "Ada", "last_name": "Lovelace", "affiliation": "", "language": "fr"}
    assert browser.post(reverse("accounts:profile"), profile).status_code == 302
    ada.refresh_from_db()
    assert ada.language == "fr" and ada.preferred_language == "fr"
    refused = browser.post(reverse("accounts:profile"), {**profile, "language": "pt"})
    assert refused.status_code == 400
    assert browser.post(reverse("accounts:profile"), {**profile, "language": ""}).status_code == 302
    ada.refresh_from_db()
    assert ada.language == "" and ada.preferred_language == settings.LANGUAGE_CODE


def test_the_data_export_includes_the_language():
    from django.utils import timezone

    from escape_events.accounts.selectors import personal_data

    assert personal_data(person(language="it"), now=timezone.now())["profile"]["language"] == "it"


def test_a_security_notice_is_dated_in_the_recipients_language(rf, settings):
    """The mail is rendered under the recipient's language whatever the request's: Django's
    own German catalogue names the weekday and month of the change."""
    from allauth.core.context import request_context

    from escape_events.accounts.adapters import AccountAdapter

    ada = person(language="de")
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    request = rf.get("/", HTTP_USER_AGENT="Firefox", HTTP_ACCEPT_LANGUAGE="fr")
    with request_context(request), translation.override("fr"):
        AccountAdapter(request).send_notification_mail("account/email/password_changed", ada)
    (message,) = mail.outbox
    when = re.search(r": (\w+) \d+ (\w+) 20\d\d, \d\d:\d\d", message.body)
    assert when.group(1) in {"Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"}, message.body
    assert when.group(2) in {
        "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"
    }, message.body  # fmt: skip


# These read the French and German catalogues (compiled at merge, `make messages`).


def test_a_french_reader_sees_the_header_in_french(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Se connecter" in page and "Passés" in page
    assert ">English</option>" in page and ">Deutsch</option>" in page  # names stay their own


def test_an_account_mail_is_written_in_the_recipients_language(client):
    person(language="de")
    client.post(
        reverse("account_reset_password"),
        {"email": "ada@example.org"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    (message,) = mail.outbox
    assert message.subject.endswith("Wählen Sie ein neues Passwort")
    assert message.body.startswith("Guten Tag,")


def test_a_mail_to_an_address_without_an_account_is_in_the_askers_language(client):
    client.post(
        reverse("account_reset_password"),
        {"email": "nobody@example.org"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    (message,) = mail.outbox
    assert message.subject.endswith("Aucun compte avec cette adresse")
    assert message.body.startswith("Bonjour,")
