"""Every page (tests/browser/site_pages.py): no serious or critical axe-core finding against
WCAG 2.2 AA, nothing wider than a 390 px phone screen, no missing stylesheet, script or icon.

axe-core comes from npm (`npm ci`); without it these tests are skipped and say so. Set
`SCREENSHOTS=<folder>` to keep a desktop and a phone screenshot of every page, and
`DOCS_SCREENSHOTS=docs/img` (`make screenshots`) to write the pictures the documentation shows.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from .site_pages import ATTENDEE, ORGANISER, SITE_PAGES, STAFF, SitePage, build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE_WIDTH = 390
# The pages the documentation shows (docs/img/<name>-<size>.png), and at which sizes.
DOCS_PAGES = {
    "home": ("desktop",),
    "event": ("desktop", "phone"),
    "event-register-form": ("desktop",),
    "my-registrations": ("desktop",),
    "my-registration-change": ("desktop",),
    "my-calendar-with-link": ("desktop",),
    "account": ("desktop",),
    "series": ("desktop",),
    "organise": ("desktop",),
    "event-overview": ("desktop",),
    "event-edit": ("desktop",),
    "participants": ("desktop",),
    "participant-registration": ("desktop",),
    "notifications": ("desktop",),
    "messages": ("desktop",),
    "check-in": ("desktop", "phone"),
    "agenda": ("desktop",),
    "series-meetings": ("desktop",),
    "api-tokens": ("desktop",),
    "api-docs": ("desktop",),
    "privacy-notice": ("desktop",),
}


def run_axe(page) -> list[dict]:
    """Serious and critical violations on the page as it is now, one line each."""
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the site's
    # Content-Security-Policy (no inline script), which stays on for everything the page runs.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """async (tags) => {
            const found = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return found.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": "
                    + (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 200)),
            }));
        }""",
        WCAG_TAGS,
    )
    return [item for item in result if item["impact"] in ("serious", "critical")]


def width_overflow(page) -> list[str]:
    """Elements sticking out to the right of the screen (the page scrolls sideways)."""
    return page.evaluate(
        """(width) => {
            const root = document.documentElement;
            if (root.scrollWidth <= width) return [];
            return [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 0.5
                              && !el.closest(".table-scroll"))
                .slice(0, 8)
                .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
                           + " right=" + Math.round(el.getBoundingClientRect().right));
        }""",
        PHONE_WIDTH,
    )


def sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def keep_screenshot(page, name: str, size: str) -> None:
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{size}.png"), full_page=True)
    docs_folder = os.environ.get("DOCS_SCREENSHOTS")
    if docs_folder and size in DOCS_PAGES.get(name, ()):
        # What a screen shows first, not the whole scroll: the picture the guide talks about.
        Path(docs_folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(docs_folder) / f"{name}-{size}.png"))


@pytest.mark.parametrize(
    "site_page",
    [
        pytest.param(item, marks=[pytest.mark.docs] if item.name in DOCS_PAGES else [])
        for item in SITE_PAGES
    ],
    ids=lambda item: item.name,
)
def test_page_is_accessible_and_fits_a_phone(browser, live_server, site_page: SitePage):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (make test does when npm is there)")
    site = build_site()
    users = {ATTENDEE: site.attendee, ORGANISER: site.organiser, STAFF: site.staff}
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        if site_page.who in users:
            sign_in(context, live_server, users[site_page.who])
        page = context.new_page()
        page.set_default_timeout(15_000)
        failed = []  # stylesheets, scripts, icons... that the page asks for and does not get
        page.on(
            "response",
            lambda answer: (
                answer.status >= 400
                and answer.request.resource_type != "document"
                and failed.append(f"{answer.status} {answer.url}")
            ),
        )
        response = page.goto(site_page.address(site))
        assert response.status == site_page.status, f"{page.url} answered {response.status}"
        if site_page.then:
            site_page.then(page)
            page.wait_for_load_state()
        keep_screenshot(page, site_page.name, "desktop")
        findings = run_axe(page)
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
        keep_screenshot(page, site_page.name, "phone")
        overflow = width_overflow(page)
        problems = [f"axe {item['impact']}: {item['id']} ({item['help']}) {item['nodes']}"
                    for item in findings]  # fmt: skip
        if overflow:
            problems.append(f"wider than {PHONE_WIDTH} px: {overflow}")
        if failed:
            problems.append(f"missing resources: {failed}")
        assert not problems, f"{site_page.name} ({page.url}):\n" + "\n".join(problems)
    finally:
        context.close()
