"""Account pages speak like the rest of the site: sentence-case headings, errors at their field."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.BASE_DIR) / "escape_events/locale/en/LC_MESSAGES/django.po"


def headings(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", text).strip()
        for text in re.findall(r"<(?:h1|title|button)[^>]*>(.*?)</(?:h1|title|button)>", html, re.S)
    ]


def test_the_compiled_wording_matches_its_source():
    """Whoever edits django.po must run msgfmt: every entry is what Django now says."""
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', PO_FILE.read_text(), re.M)
    assert len(entries) > 20
    with translation.override(settings.LANGUAGE_CODE):
        for source, ours in entries:
            assert translation.gettext(source) == ours


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("account_login", "Sign in"),
        ("account_signup", "Sign up"),
        ("account_reset_password", "Password reset"),
    ],
)
def test_account_headings_are_in_sentence_case(client, url_name, expected):
    texts = headings(client.get(reverse(url_name)).content.decode())
    assert expected in texts
    assert not [text for text in texts if re.search(r"\b(Sign (In|Up|Out)|Password Reset)\b", text)]


def test_signed_in_account_pages_are_in_sentence_case(client, django_user_model):
    user = django_user_model.objects.create_user(
        username="ada", email="ada@example.org", password="a-long-test-password"
    )
    client.force_login(user)
    assert "Change password" in headings(
        client.get(reverse("account_change_password")).content.decode()
    )
    assert "Email addresses" in headings(client.get(reverse("account_email")).content.decode())
    assert "Sign out" in headings(client.get(reverse("account_logout")).content.decode())


def test_a_refused_password_is_explained_under_the_password_field(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ada@example.org", "password1": "short", "password2": "short"},
    )
    html = response.content.decode()
    field = html.index('id="id_password1"')
    error = html.index("This password is too short")
    next_field = html.index('id="id_password2"')
    assert field < error < next_field  # under its input, not above the label
    assert (
        'aria-describedby="id_password1_error' in html
        or "id_password1_error" in html[field - 400 : field]
    )
