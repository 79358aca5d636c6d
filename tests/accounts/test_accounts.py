"""Sign-up, verification, logout, reset and the account page, through allauth as configured."""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from escape_events.accounts.mail import ConsoleBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def sign_up(client, email="ada@example.org"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": "a-long-test-password", "password2": "a-long-test-password"},
    )


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
    client.post(link.split("testserver")[-1])
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
    response = client.post(
        reverse("accounts:profile"), {"first_name": "Ada", "last_name": "L", "affiliation": "CERN"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.affiliation == "CERN"
    assert client.get(reverse("accounts:profile")).status_code == 200


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
    assert "Hello from escape_events!" in output
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", output).group(0)
    path = link.split("testserver")[-1]
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
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+)", message.body)
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_password = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    done = client.post(
        set_password, {"password1": "a-brand-new-password-2", "password2": "a-brand-new-password-2"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-password-2")
