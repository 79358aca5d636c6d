"""The site's header is rendered for each request (it holds the sign-out form): what it
shows follows the person asking, and its sign-out form carries that person's own token."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

TOKEN = re.compile(r'<form method="post" action="/accounts/logout/"[^>]*><input type="hidden" '
                   r'name="csrfmiddlewaretoken" value="([^"]+)"')  # fmt: skip


def _person(name, **fields) -> Client:
    user = get_user_model().objects.create_user(
        username=name, email=f"{name}@example.org", password="a-long-test-password", **fields
    )
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


@pytest.mark.django_db
def test_each_visitor_gets_the_header_of_their_kind():
    staff, person, visitor = _person("staff", is_staff=True), _person("plain"), Client()
    for _round in range(2):  # the second round reuses the kept renderings
        staff_page = staff.get("/").content.decode()
        person_page = person.get("/").content.decode()
        visitor_page = visitor.get("/").content.decode()
        assert ">Admin</a>" in staff_page and ">Organise</a>" in staff_page
        assert ">Admin</a>" not in person_page and ">Organise</a>" not in person_page
        assert "My registrations" in person_page and "Sign out" in person_page
        assert "Sign out" not in visitor_page and "Sign in</a>" in visitor_page
        assert "csrfmiddlewaretoken" not in visitor_page.split("</header>")[0]


@pytest.mark.django_db
def test_the_current_page_is_marked_in_the_header():
    visitor = Client()
    upcoming = visitor.get("/").content.decode()
    past = visitor.get("/past/").content.decode()
    assert 'href="/" aria-current="page">Upcoming' in upcoming
    assert 'href="/past/" aria-current="page">Past' in past
    assert 'href="/" aria-current="page"' not in past


@pytest.mark.django_db
def test_the_sign_out_form_carries_the_persons_own_token():
    ada, bob = _person("ada"), _person("bob")
    ada_token = TOKEN.search(ada.get("/").content.decode()).group(1)
    bob_token = TOKEN.search(bob.get("/").content.decode()).group(1)
    assert _unmask_cipher_token(ada_token) == ada.cookies["csrftoken"].value
    assert _unmask_cipher_token(bob_token) == bob.cookies["csrftoken"].value
    assert ada.cookies["csrftoken"].value != bob.cookies["csrftoken"].value
    # Bob's token is refused for Ada; her own signs her out.
    assert ada.post("/accounts/logout/", {"csrfmiddlewaretoken": bob_token}).status_code == 403
    assert ada.post("/accounts/logout/", {"csrfmiddlewaretoken": ada_token}).status_code == 302
    assert "Sign out" not in ada.get("/").content.decode()
