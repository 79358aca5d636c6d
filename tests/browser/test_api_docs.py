"""The API's pages in real Chromium: the docs work offline and under a strict
Content-Security-Policy (Swagger UI from django-ninja's own static files), list every
operation, and, like the tokens page, fit a phone and pass axe-core when it is installed."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from escape_events.api.main import api
from escape_events.api.services import issue_api_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The production policy: no inline script or style, nothing from another host (Swagger's icons
# are data: SVG images).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
OPERATIONS = sum(len(ops) for ops in api.get_openapi_schema(path_prefix="/api")["paths"].values())


def serious_axe_findings(page) -> list:
    if not AXE.exists():  # axe-core comes with the project's npm packages once they name it
        return []
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "axe.run().then(r => r.violations.filter(v => ['serious', 'critical']"
        ".includes(v.impact)).map(v => v.id))"
    )


def test_docs_page_lists_every_operation_offline_under_a_strict_csp(page, live_server):
    width = 390  # a phone: the narrowest place for every operation opened at once
    page.set_viewport_size({"width": width, "height": 900})
    outside, console = [], []
    page.on("console", lambda message: console.append(message.text))

    def only_this_server(route):
        if not route.request.url.startswith(live_server.url):
            outside.append(route.request.url)
            return route.abort()
        if route.request.url.endswith("/api/docs"):
            response = route.fetch()
            headers = {**response.headers, "content-security-policy": CSP}
            return route.fulfill(response=response, headers=headers)
        return route.continue_()

    page.route("**/*", only_this_server)
    page.goto("/api/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == OPERATIONS
    for index in range(OPERATIONS):
        page.locator(".opblock-summary-control").nth(index).click()
    page.get_by_text("Idempotency-Key").first.wait_for()
    assert outside == []
    assert not [text for text in console if "Content Security Policy" in text], console
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_axe_findings(page) == []
    # "Try it out" runs a real request from the page (same origin, allowed by the policy).
    first = page.locator(".opblock").first
    first.get_by_role("button", name="Try it out").click()
    first.get_by_role("button", name="Execute").click()
    status = first.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    assert not [text for text in console if "Content Security Policy" in text], console


def test_tokens_page_fits_a_phone(page, live_server, django_user_model, client):
    person = django_user_model.objects.create_user(username="ada", email="ada@example.org")
    issue_api_token(
        user=person, name="sync", registrations=True, organiser="", lifetime=timedelta(days=7)
    )
    client.force_login(person)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/accounts/api-tokens/")
    page.get_by_label("Name").fill("experiment dashboard")
    page.get_by_label("My registrations: read them, register, cancel, switch mode").check()
    page.get_by_role("button", name="Make the token").click()
    secret = page.get_by_label("Token").input_value()
    assert secret.startswith("ee_")
    assert page.get_by_text("experiment dashboard").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_axe_findings(page) == []
