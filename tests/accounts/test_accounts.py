"""Sign-up, verification, logout, reset and the account page, through allauth as configured."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from escape_events.accounts.mail import ConsoleBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def sign_up(client, email="ada@example.org", **names):
    return client.post(
        reverse("account_signup"),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "affiliation": "CERN",
            "email": email,
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
            **names,
        },
    )


def site_path(link: str) -> str:
    """The path of a link a mail gives; mails name SITE_URL, never the request's host."""
    assert link.startswith(settings.SITE_URL + "/"), link
    return link.removeprefix(settings.SITE_URL)


def test_sign_up_sends_a_verification_link_and_login_waits_for_it(client):
    response = sign_up(client)
    assert response.status_code == 302
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": "a-long-test-password"}
    )
    assert login.status_code == 302 and "confirm-email" in login["Location"]
    client.post(site_path(link))
    assert EmailAddress.objects.get(email="ada@example.org").verified


def test_signing_up_with_a_taken_address_does_not_reveal_it(client):
    first = sign_up(client)
    client.logout()
    again = sign_up(client)
    assert again.status_code == 302  # the same answer as for a new address
    assert again["Location"] == first["Location"]
    assert get_user_model().objects.filter(email="ada@example.org").count() == 1


def test_password_reset_answers_the_same_for_unknown_addresses(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_logout_is_a_post(client, django_user_model):
    user = django_user_model.objects.create_user(username="u", email="u@example.org")
    client.force_login(user)
    assert client.get(reverse("account_logout")).status_code == 200  # a confirmation page
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_account_pages_use_the_site_layout(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert 'class="site-header"' in html and "accounts.css" in html


def test_account_page_edits_the_profile_and_lists_groups(client, django_user_model):
    user = django_user_model.objects.create_user(username="u", email="u@example.org")
    client.force_login(user)
    spaces = {"first_name": " ", "last_name": "L", "affiliation": ""}
    assert client.post(reverse("accounts:profile"), spaces).status_code == 400  # no name
    response = client.post(
        reverse("accounts:profile"), {"first_name": "Ada", "last_name": "L", "affiliation": "CERN"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.affiliation == "CERN"
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_account_page_links_the_pages_the_project_lists(client, django_user_model, settings):
    """accounts names no higher app's URL: PROFILE_PAGE_LINKS says which pages, in which order."""
    settings.PROFILE_PAGE_LINKS = [("Tokens", "api_tokens:list"), ("Mine", "site:mine")]
    client.force_login(django_user_model.objects.create_user(username="u", email="u@example.org"))
    html = client.get(reverse("accounts:profile")).content.decode()
    tokens = f'href="{reverse("api_tokens:list")}">Tokens<'
    mine = f'href="{reverse("site:mine")}">Mine<'
    assert tokens in html and mine in html
    assert html.index(tokens) < html.index(mine)
    assert "API tokens" not in html


def test_login_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,3/5m/key"}
    for _ in range(3):
        client.post(reverse("account_login"), {"login": "x@example.org", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "x@example.org", "password": "no"})
    assert response.status_code == 429 or "Too many" in response.content.decode()


def test_verification_link_printed_on_the_console_works_as_copied(client):
    """`make run` prints mails on the console; the link must survive being copied from there."""
    sign_up(client)
    (message,) = mail.outbox
    printed = io.StringIO()
    ConsoleBackend(stream=printed).send_messages([message])
    output = printed.getvalue()
    assert "Hello Ada,\n" in output
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", output).group(0)
    path = site_path(link)
    assert client.get(path).status_code == 200
    client.post(path)
    assert EmailAddress.objects.get(email="ada@example.org").verified


def test_password_reset_mails_a_link_that_sets_a_new_password(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.org", password="the-old-password-1"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    (message,) = mail.outbox
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+)", message.body)
    assert link.group(0).startswith(settings.SITE_URL)
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_password = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    done = client.post(
        set_password, {"password1": "a-brand-new-password-2", "password2": "a-brand-new-password-2"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-password-2")


def test_sign_up_asks_first_and_family_name_and_affiliation(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert (
        page.index('name="first_name"')
        < page.index('name="last_name"')
        < page.index('name="email"')
    )
    assert 'autocomplete="given-name"' in page and 'autocomplete="organization"' in page
    sign_up(client, first_name="  Ada ", last_name="King  Lovelace", affiliation="CERN")
    user = get_user_model().objects.get(email="ada@example.org")
    assert (user.first_name, user.last_name, user.affiliation) == ("Ada", "King Lovelace", "CERN")
    assert user.display_name == "Ada King Lovelace"


@pytest.mark.parametrize("missing", ["first_name", "last_name"])
def test_sign_up_without_a_name_says_so_and_creates_nothing(client, missing):
    response = sign_up(client, **{missing: "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not get_user_model().objects.exists()
    assert not mail.outbox


def test_mails_name_the_site_url_not_the_address_the_request_came_to(client, settings):
    """`make run` on port 8123 (or a proxy in front) must not mail links to 127.0.0.1:8000."""
    settings.SITE_URL = "http://127.0.0.1:8123"
    sign_up(client)
    client.logout()
    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    cache.clear()  # allauth mails one address at most every few minutes
    sign_up(client)  # the address is taken: allauth mails "account already exists"
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        links = re.findall(r"https?://[^\s/]+", message.body)
        assert links and set(links) == {"http://127.0.0.1:8123"}, message.body
        assert "testserver" not in message.body and "127.0.0.1:8000" not in message.body
    assert mail.outbox[0].body.startswith("Hello Ada,\n")
    assert mail.outbox[0].body.rstrip().endswith("-- escape_events\nhttp://127.0.0.1:8123")
    assert "you already have an escape_events account" in mail.outbox[2].body
