"""A person in Chromium: reads the notice, downloads their data, deletes their account; the
person waiting behind them gets the seat."""

import json
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from escape_events.events.seeding import load_seeds
from escape_events.registrations.models import Registration, RegistrationSettings
from escape_events.registrations.seeding import load_registration_seeds
from escape_events.registrations.services import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def person(email):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD, first_name="Ada"
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_a_person_downloads_their_data_then_deletes_their_account(page):
    load_seeds()
    load_registration_seeds()
    RegistrationSettings.objects.filter(event__slug="rucio-coding-camp-demo").update(
        onsite_capacity=1
    )
    from escape_events.events.models import Event

    camp = Event.objects.get(slug="rucio-coding-camp-demo")
    experiment = camp.questions.get(label="Experiment / ESFRI").pk
    ada, next_in_line = person("ada@example.org"), person("grace@example.org")
    for someone in (ada, next_in_line):
        register(event=camp, user=someone, mode="onsite", answers={experiment: "SKAO"})

    page.goto("/")
    page.get_by_role("link", name="Privacy notice").click()
    expect(page.locator("h1")).to_have_text("Privacy notice")
    expect(page.locator("main")).to_contain_text("Minutes and attendance lists of meetings")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Download my data").click()
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks who you are first
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == "ada@example.org"
    answers = data["registrations"][0]["answers"]
    assert answers == [{"question": "Experiment / ESFRI", "answer": "SKAO"}]

    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Delete my account…").click()
    expect(page.locator("main")).to_contain_text("Rucio coding camp (demo edition)")
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".messages")).to_contain_text("Your account is deleted")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert not get_user_model().objects.filter(email="ada@example.org").exists()
    seat = Registration.objects.get(event=camp, user=next_in_line)
    assert seat.status == Registration.Status.CONFIRMED
