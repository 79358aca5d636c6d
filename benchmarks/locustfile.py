"""The traffic of benchmarks/load.py (run by Locust, headless): a realistic mix for a collaboration
of several hundred people. Each simulated person has its own client address (X-Forwarded-For)."""

import itertools
import os
import random
import re
from http.cookiejar import Cookie
from pathlib import Path

from locust import FastHttpUser, between, events, task
from stack import EXPORT_SLUG, ORGANISER, PASSWORD, RUSH_SLUG

ACCOUNTS = itertools.count()
# Sessions of signed-in people, made by load.py (see stack.fill).
SESSIONS = Path(os.environ["LOAD_SESSIONS"]).read_text().split()


def session_cookie(key: str) -> Cookie:
    return Cookie(
        version=0, name="sessionid", value=key, port=None, port_specified=False,
        domain="127.0.0.1", domain_specified=False, domain_initial_dot=False, path="/",
        path_specified=True, secure=False, expires=None, discard=True, comment=None,
        comment_url=None, rest={},
    )  # fmt: skip


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
PRIVACY_NOTICE = re.compile(rb'name="privacy_notice_version" value="(\d+)"')


@events.init_command_line_parser.add_listener
def _(parser):
    parser.add_argument("--event-count", type=int, default=150)


def client_address(number: int) -> str:
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256 + 1}"


class Person(FastHttpUser):
    abstract = True

    def on_start(self):
        self.address = client_address(random.randrange(1, 16_000_000))

    def headers(self, **extra):
        return {"X-Forwarded-For": self.address, **extra}

    def csrf_from(self, path: str, name: str) -> str:
        self.page = b""
        with self.client.get(path, headers=self.headers(), name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"answered {r.status_code}")
                return ""
            self.page = r.content or b""
            token = CSRF.search(self.page)
            if not token:
                r.failure("no CSRF token")
                return ""
            return token.group(1).decode()

    def sign_in(self, email: str) -> bool:
        token = self.csrf_from("/accounts/login/", "sign-in page")
        with self.client.post(
            "/accounts/login/", data={"login": email, "password": PASSWORD,
                                      "csrfmiddlewaretoken": token},
            headers=self.headers(Referer=self.host + "/accounts/login/"),
            name="sign in (POST)", allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
                return False
        return True


class AnonymousVisitor(Person):
    """Finds events: home, event pages, past events, the WP2 series."""

    weight = 5
    wait_time = between(1, 4)

    @task(4)
    def home(self):
        self.client.get("/", headers=self.headers(), name="home")

    @task(6)
    def event_page(self):
        number = random.randrange(self.environment.parsed_options.event_count)
        self.client.get(
            f"/events/escape-event-{number}/", headers=self.headers(), name="event page"
        )

    @task(1)
    def past(self):
        self.client.get("/past/", headers=self.headers(), name="past events")

    @task(1)
    def series(self):
        self.client.get("/series/escape-wp2-meeting/", headers=self.headers(), name="series page")


class Registrant(Person):
    """Signed in already, registers for the capacity-limited hands-on the moment it opens, then
    looks at their registrations (the rush: everyone at once, more people than seats)."""

    weight = 5
    wait_time = between(1, 3)

    def on_start(self):
        super().on_start()
        self.registered = False
        self.signed_in = True
        self.client.cookiejar.set_cookie(session_cookie(SESSIONS[next(ACCOUNTS) % len(SESSIONS)]))

    @task
    def rush(self):
        if not self.signed_in:
            return
        if self.registered:
            self.client.get("/registrations/", headers=self.headers(), name="my registrations")
            return
        token = self.csrf_from(f"/events/{RUSH_SLUG}/", "rush event page")
        notice = PRIVACY_NOTICE.search(self.page)  # the form asks to accept the one in force
        with self.client.post(
            f"/events/{RUSH_SLUG}/register/",
            data={
                "attend": "onsite",
                "csrfmiddlewaretoken": token,
                "accept_privacy_notice": "on",
                "privacy_notice_version": notice.group(1).decode() if notice else "",
            },
            headers=self.headers(Referer=f"{self.host}/events/{RUSH_SLUG}/"),
            name="register (POST)", allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 302:
                self.registered = True
            else:
                response.failure(f"register answered {response.status_code}")


class CalendarClient(Person):
    """A calendar subscribed to the all-events feed: polls with If-None-Match (mostly 304)."""

    weight = 3
    wait_time = between(2, 6)

    def on_start(self):
        super().on_start()
        self.etag = None

    @task
    def poll(self):
        headers = self.headers(**({"If-None-Match": self.etag} if self.etag else {}))
        name = "feed all.ics (conditional)" if self.etag else "feed all.ics (first)"
        with self.client.get("/feeds/all.ics", headers=headers, name=name,
                             catch_response=True) as response:  # fmt: skip
            if response.status_code in (200, 304):
                self.etag = response.headers.get("ETag") or self.etag
                response.success()


class Organiser(Person):
    """One organiser exporting the participant list of a large meeting, again and again."""

    fixed_count = 1
    wait_time = between(3, 6)

    def on_start(self):
        super().on_start()
        self.signed_in = self.sign_in(ORGANISER)

    @task
    def export(self):
        if not self.signed_in:
            return
        path = f"/organise/events/{EXPORT_SLUG}/participants/"
        token = self.csrf_from(path, "participant list (organiser)")
        self.client.post(
            f"{path}export/",
            data={"format": "csv", "columns": ["name", "email", "mode", "status"],
                  "csrfmiddlewaretoken": token},
            headers=self.headers(Referer=self.host + path), name="export CSV (POST)",
        )  # fmt: skip
