"""An attendee in Chromium: logs in, registers, joins a waiting list, cancels."""

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
        username=email.split("@")[0],
        email=email,
        password=PASSWORD,
        first_name="Ada",
        last_name="Lovelace",
        affiliation="INFN",
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_attendee_registers_joins_a_waiting_list_and_cancels(page):
    load_seeds()
    load_registration_seeds()
    # The coding camp has one seat left, taken by someone else: our attendee will wait.
    RegistrationSettings.objects.filter(event__slug="rucio-coding-camp-demo").update(
        onsite_capacity=1
    )
    from escape_events.events.models import Event

    camp = Event.objects.get(slug="rucio-coding-camp-demo")
    register(event=camp, user=person("first@example.org"), mode="onsite")
    ada = person("ada@example.org")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")

    page.goto("/events/swan-hands-on-demo/")
    panel = page.locator("#registration")
    assert "10 of 10 left" in panel.inner_text()
    panel.get_by_label("On-site (10 of 10 places left)").check()
    panel.get_by_role("checkbox", name="SKAO").check()
    panel.get_by_role("radio", name="Yes").check()
    panel.get_by_label("I have read the privacy notice").check()
    panel.get_by_role("button", name="Register").click()
    expect(page.locator(".messages")).to_contain_text("you are registered (on-site)")
    assert "9 of 10 left" in page.locator("#registration").inner_text()

    page.goto("/events/rucio-coding-camp-demo/")
    panel = page.locator("#registration")
    panel.get_by_label("On-site — full, join the waiting list").check()
    panel.get_by_label("I have read the privacy notice").check()
    panel.get_by_role("button", name="Register").click()
    expect(page.locator("#registration")).to_contain_text("on-site waiting list, number 1")

    page.get_by_role("link", name="My registrations").first.click()
    page.wait_for_url("**/registrations/")
    expect(page.locator(".reg-list")).to_contain_text("waiting list, number 1")
    # The camp spans the hands-on, but they are held alongside each other: no clash.
    expect(page.locator(".reg-list")).not_to_contain_text("Overlaps with")
    camp_card = page.locator(".reg-list > li").filter(has_text="Rucio coding camp")
    camp_card.get_by_text("Leave the waiting list…").click()  # asks first
    camp_card.get_by_role("button", name="Yes, cancel it").click()
    expect(page.locator(".messages")).to_contain_text("is cancelled")

    statuses = dict(Registration.objects.filter(user=ada).values_list("event__slug", "status"))
    assert statuses == {"swan-hands-on-demo": "confirmed", "rucio-coding-camp-demo": "cancelled"}


def test_a_conditional_question_appears_with_its_answer_and_the_server_asks_for_it(page):
    from escape_events.events.models import Event
    from escape_events.registrations.models import Question

    load_seeds()
    load_registration_seeds()
    camp = Event.objects.get(slug="rucio-coding-camp-demo")
    laptop = Question.objects.create(
        event=camp, label="Borrow a laptop?", kind=Question.Kind.YES_NO, position=5
    )
    asked = Question.objects.create(
        event=camp, label="Which operating system?", kind=Question.Kind.TEXT, position=6,
        required=True, shown_if=laptop, shown_if_value="yes",
    )  # fmt: skip
    person("ada@example.org")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")

    page.goto("/events/rucio-coding-camp-demo/")
    panel = page.locator("#registration")
    system = panel.get_by_label("Which operating system?")
    expect(system).to_be_hidden()  # the script hides it, and the note it needs no more
    expect(panel.get_by_text("Only if you answered")).to_be_hidden()
    panel.get_by_role("radio", name="Yes").check()
    expect(system).to_be_visible()
    panel.get_by_label("I have read the privacy notice").check()
    panel.get_by_role("button", name="Register").click()
    # The server asks for it as well, under the field.
    expect(page.locator(f"#id_q{asked.pk}_error")).to_contain_text("Please answer")
    assert not Registration.objects.exists()
    page.locator("#registration").get_by_role("radio", name="No").check()
    expect(page.locator("#registration").get_by_label("Which operating system?")).to_be_hidden()
    page.locator("#registration").get_by_label("I have read the privacy notice").check()
    page.locator("#registration").get_by_role("button", name="Register").click()
    expect(page.locator(".messages")).to_contain_text("you are registered")
    assert Registration.objects.get().answers.get(question=laptop).value == "no"
