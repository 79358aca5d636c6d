"""An organiser in Chromium imports an Indico list, checks the preview, confirms, prints badges."""

import io

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from pypdf import PdfReader

from escape_events.events.demo import ensure_demo_organiser
from escape_events.events.seeding import load_seeds
from escape_events.registrations.models import Registration
from escape_events.registrations.seeding import load_registration_seeds

from .test_organiser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INDICO = (
    "ID,First Name,Last Name,Email Address,Affiliation,Participation\n"
    "1,Ada,Lovelace,ada@example.org,CERN,In person\n"
    "2,Lise,Meitner,lise@example.org,DESY,Remote\n"
    "3,Nobody,,nobody@example.org,,Remote\n"
)


def test_organiser_imports_a_list_sees_the_preview_and_prints_badges(page, live_server):
    load_seeds()
    load_registration_seeds()
    email, _password = ensure_demo_organiser()
    sign_in(page, live_server, get_user_model().objects.get(email=email))

    page.goto("/organise/events/swan-hands-on-demo/participants/")
    page.get_by_role("link", name="Add people or import a list…").click()
    page.get_by_label("CSV file").set_input_files(
        {"name": "indico.csv", "mimeType": "text/csv", "buffer": INDICO.encode()}
    )
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("table.import-preview")
    expect(preview).to_contain_text("new account; invited to choose a password → confirmed")
    expect(preview).to_contain_text("first and family name needed")
    assert not Registration.objects.exists()  # nothing stored before confirming
    page.get_by_role("button", name="Import 2 people").click()

    expect(page.locator(".messages")).to_contain_text("Import done: 2 confirmed, 2 invited")
    table = page.locator("table.participants")
    expect(table).to_contain_text("Ada Lovelace")
    expect(table).to_contain_text("DESY")
    modes = dict(Registration.objects.values_list("user__email", "mode"))
    assert modes == {"ada@example.org": "onsite", "lise@example.org": "remote"}

    page.goto("/organise/events/swan-hands-on-demo/printouts/")
    href = page.get_by_role("link", name="Badges").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "Ada Lovelace" in text and "CERN" in text and "Lise" not in text  # on-site only
