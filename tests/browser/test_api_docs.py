"""The API's docs in real Chromium: they work offline and under the production
Content-Security-Policy (Swagger UI from django-ninja's own static files) and list every
operation; axe-core and the phone width are checked with every page (test_every_page.py)."""

import pytest
from playwright.sync_api import expect

from escape_events.api.main import api

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The production policy: no inline script or style, nothing from another host (Swagger's icons
# are data: SVG images).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
OPERATIONS = sum(len(ops) for ops in api.get_openapi_schema(path_prefix="/api")["paths"].values())


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
    # "Try it out" runs a real request from the page (same origin, allowed by the policy).
    first = page.locator(".opblock").first
    first.get_by_role("button", name="Try it out").click()
    first.get_by_role("button", name="Execute").click()
    status = first.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    assert not [text for text in console if "Content Security Policy" in text], console
