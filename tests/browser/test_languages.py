"""The main pages in each language of the site (issue 27): home, an event, the registration
form, my registrations, the organiser's dashboard and a participant list, asked for in English,
French, German, Italian and Spanish through the browser's Accept-Language. Each is answered in
that language (Content-Language), names it in <html lang>, has no serious or critical axe-core
finding and fits a 390 px phone (German and French run longer than English).

Reuses the checks of test_every_page.py (axe-core, the sideways-scroll finder, signing in);
`SCREENSHOTS=<folder>` keeps a desktop and a phone picture of each page in each language.
"""

import pytest
from django.conf import settings

from .site_pages import ATTENDEE, ORGANISER, SITE_PAGES, VISITOR, build_site
from .test_every_page import AXE, PHONE_WIDTH, keep_screenshot, run_axe, sign_in, width_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser's language -> the language Django answers in (settings.LANGUAGES).
LANGUAGES = {"en-GB": "en-gb", "fr": "fr", "de": "de", "it": "it", "es": "es"}
MAIN_PAGES = ["home", "event", "event-register-form", "my-registrations", "organise",
              "participants"]  # fmt: skip


@pytest.mark.parametrize("browser_language", list(LANGUAGES), ids=list(LANGUAGES.values()))
def test_main_pages_in_each_language_are_accessible_and_fit_a_phone(
    browser, live_server, browser_language
):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (make test does when npm is there)")
    language = LANGUAGES[browser_language]
    assert language in dict(settings.LANGUAGES)
    site = build_site()
    users = {ATTENDEE: site.attendee, ORGANISER: site.organiser}
    pages = [item for item in SITE_PAGES if item.name in MAIN_PAGES]
    assert {item.name for item in pages} == set(MAIN_PAGES)
    problems = []
    for who in (VISITOR, ATTENDEE, ORGANISER):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            locale=browser_language,
            extra_http_headers={"Accept-Language": browser_language},
        )
        try:
            if who in users:
                sign_in(context, live_server, users[who])
            page = context.new_page()
            page.set_default_timeout(15_000)
            for site_page in (item for item in pages if item.who == who):
                page.set_viewport_size({"width": 1280, "height": 900})
                response = page.goto(site_page.address(site))
                where = f"{site_page.name} in {language} ({page.url})"
                if response.status != site_page.status:
                    problems.append(f"{where}: answered {response.status}")
                    continue
                answered_in = response.headers.get("content-language", "")
                if answered_in.lower() != language:
                    problems.append(f"{where}: answered in {answered_in!r}")
                keep_screenshot(page, f"{site_page.name}-{language}", "desktop")
                lang = page.evaluate("document.documentElement.lang")
                if lang.lower() != language:
                    problems.append(f"{where}: <html lang={lang!r}>")
                problems += [
                    f"{where}: axe {item['impact']}: {item['id']} ({item['help']}) {item['nodes']}"
                    for item in run_axe(page)
                ]
                page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
                keep_screenshot(page, f"{site_page.name}-{language}", "phone")
                overflow = width_overflow(page)
                if overflow:
                    problems.append(f"{where}: wider than {PHONE_WIDTH} px: {overflow}")
        finally:
            context.close()
    assert not problems, "\n".join(problems)
