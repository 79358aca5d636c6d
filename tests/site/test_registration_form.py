"""The registration form is each person's own, rendered for every request outside the page's
cached blocks: their own CSRF token, the seats left now, the privacy notice in force, their own
name and their own refused submission."""

import re

from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from escape_events.accounts.services import privacy_notice_in_force, publish_privacy_notice

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = re.compile(r'<form method="post" action="/events/[^"]+/register/".*?</form>', re.S)


def _browser(user) -> Client:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def _form(browser, event) -> str:
    response = browser.get(event.get_absolute_url())
    assert response.status_code == 200
    return FORM.search(response.content.decode()).group(0)


def _submit(browser, event, form_html, **fields):
    data = {
        "csrfmiddlewaretoken": TOKEN.search(form_html).group(1),
        "attend": "onsite",
        "accept_privacy_notice": "on",
        "privacy_notice_version": privacy_notice_in_force().version,
        **fields,
    }
    return browser.post(reverse("site:register", args=[event.slug]), data)


def test_people_get_the_same_form_but_each_registers_with_their_own_token(
    make_registrable, make_user
):
    event = make_registrable(onsite=10)
    ada, bob = make_user(), make_user()
    ada_browser, bob_browser = _browser(ada), _browser(bob)
    ada_form, bob_form = _form(ada_browser, event), _form(bob_browser, event)
    assert TOKEN.sub("", ada_form) == TOKEN.sub("", bob_form)
    for browser, form in ((ada_browser, ada_form), (bob_browser, bob_form)):
        assert (
            _unmask_cipher_token(TOKEN.search(form).group(1)) == browser.cookies["csrftoken"].value
        )
    # A token from someone else's page is refused; one's own registers.
    assert _submit(ada_browser, event, bob_form).status_code == 403
    assert _submit(ada_browser, event, ada_form).status_code == 302
    assert _submit(bob_browser, event, bob_form).status_code == 302


def test_seats_taken_show_in_the_next_persons_form(make_registrable, make_user):
    event = make_registrable(onsite=10, remote=5)
    ada, bob = make_user(), make_user()
    assert "Remote (5 of 5 places left)" in _form(_browser(bob), event)
    ada_browser = _browser(ada)
    assert _submit(ada_browser, event, _form(ada_browser, event), attend="remote").status_code == (
        302
    )
    assert "Remote (4 of 5 places left)" in _form(_browser(bob), event)


def test_a_new_privacy_notice_shows_in_the_next_form(make_registrable, make_user):
    event = make_registrable(onsite=10)
    person = _browser(make_user())
    old = privacy_notice_in_force().version
    assert f'name="privacy_notice_version" value="{old}"' in _form(person, event)
    new = publish_privacy_notice(text="A new notice.").version
    assert new != old
    assert f'name="privacy_notice_version" value="{new}"' in _form(person, event)


def test_someone_asked_for_their_name_gets_a_form_of_their_own(make_registrable, make_user):
    """Their name is in their form: never kept for, or shown to, anyone else."""
    event = make_registrable(onsite=10)
    ada = make_user(first_name="Adelheid", last_name="")
    bob = make_user()
    ada_form = _form(_browser(ada), event)
    assert 'value="Adelheid"' in ada_form and "Your name" in ada_form
    for _ in range(2):
        bob_form = _form(_browser(bob), event)
        assert "Adelheid" not in bob_form and "Your name" not in bob_form


def test_a_refused_submission_shows_its_own_answers_and_errors(make_registrable, make_user):
    from escape_events.registrations.models import Question

    event = make_registrable(onsite=10)
    question = Question.objects.create(event=event, label="Your experiment?", required=False)
    ada, bob = make_user(), make_user()
    ada_browser = _browser(ada)
    response = _submit(
        ada_browser, event, _form(ada_browser, event),
        accept_privacy_notice="", **{f"q{question.pk}": "ATLAS muon chambers"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert "ATLAS muon chambers" in page and "Please read the privacy notice" in page
    bob_form = _form(_browser(bob), event)
    assert "ATLAS muon chambers" not in bob_form and "Please read" not in bob_form
