"""Who may open which material, asked on every surface: the download, the event page, the API,
the ZIP and the timetable feed. Each audience against anonymous visitors, signed-in strangers,
registrants of another event, on-site and remote registrants, a speaker and an organiser."""

import io
import zipfile
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from escape_events.registrations.models import Registration
from escape_events.registrations.readers import reader_for
from escape_events.timetable import services, views
from escape_events.timetable.access import ANONYMOUS, NOT_YET, Reader, may_open
from escape_events.timetable.models import Speaker

from .conftest import at

READERS = ["anonymous", "stranger", "elsewhere", "onsite", "remote", "speaker", "organiser"]
# Material -> the readers who may open it (before its hold is over: no held-back one opens but
# for speakers and organisers).
MAY_OPEN = {
    "Public slides": set(READERS),
    "For signed-in people": set(READERS) - {"anonymous"},
    "Notebook": {"onsite", "remote", "speaker", "organiser"},
    "On-site map": {"onsite", "speaker", "organiser"},
    "Remote set-up": {"remote", "speaker", "organiser"},
    "Speaker notes": {"speaker", "organiser"},
    "Budget": {"organiser"},
    "Solutions": {"speaker", "organiser"},  # registrants, held back until the entry starts
}
# Material -> readers for whom it does not even exist (404, never listed).
UNSEEN = {
    "Speaker notes": {"anonymous", "stranger", "elsewhere", "onsite", "remote"},
    "Budget": {"anonymous", "stranger", "elsewhere", "onsite", "remote", "speaker"},
}


def _file(name):
    return SimpleUploadedFile(name, b'{"cells": []}' if name.endswith("ipynb") else b"plain text")


@pytest.fixture
def shelf(hands_on, camp, add, make_user):
    entry = add(hands_on, at(1, "15:00"), at(1, "15:45"), title="Exercise 1")
    people = {name: make_user(first_name=name.capitalize()) for name in READERS[1:]}
    for event, who in ((camp, "elsewhere"), (hands_on, "onsite"), (hands_on, "remote")):
        mode = "remote" if who == "remote" else "onsite"
        Registration.objects.create(event=event, user=people[who], mode=mode, status="confirmed")
    Speaker.objects.create(entry=entry, name="Simone", user=people["speaker"])
    hands_on.organisers.add(people["organiser"])
    solutions = services.add_folder(
        entry=entry, title="Solutions folder", audience="registrants", from_start=True
    )
    add_link = services.add_material_link
    items = {
        "Public slides": add_link(
            entry=entry, url="https://example.org/slides", title="Public slides"
        ),
        "For signed-in people": add_link(
            entry=entry,
            url="https://example.org/in",
            title="For signed-in people",
            audience="signed_in",
        ),
        "Notebook": services.add_material_file(
            entry=entry,
            uploaded_file=_file("notebook.ipynb"),
            title="Notebook",
            audience="registrants",
        ),
        "On-site map": services.add_material_file(
            entry=entry, uploaded_file=_file("map.txt"), title="On-site map", audience="onsite"
        ),
        "Remote set-up": services.add_material_file(
            entry=entry,
            uploaded_file=_file("remote.txt"),
            title="Remote set-up",
            audience="remote",
        ),
        "Speaker notes": services.add_material_file(
            entry=entry,
            uploaded_file=_file("notes.txt"),
            title="Speaker notes",
            audience="speakers",
        ),
        "Budget": services.add_material_file(
            event=hands_on,
            uploaded_file=_file("budget.txt"),
            title="Budget",
            audience="organisers",
        ),
        "Solutions": services.add_material_file(
            entry=entry,
            uploaded_file=_file("solutions.ipynb"),
            title="Solutions",
            folder=solutions,
        ),
    }
    return {"event": hands_on, "entry": entry, "people": people, "items": items}


def _browser(client, shelf, who):
    if who != "anonymous":
        client.force_login(shelf["people"][who])
    return client


@pytest.mark.parametrize("who", READERS)
def test_the_download_opens_or_refuses_with_the_reason_for_each_audience(client, shelf, who):
    browser = _browser(client, shelf, who)
    for title, material in shelf["items"].items():
        response = browser.get(material.download_path)
        if who in MAY_OPEN[title]:
            assert response.status_code in (200, 302), title
            if material.is_link:
                assert response["Location"] == material.url
        elif who in UNSEEN.get(title, ()):
            assert response.status_code == 404, title
            assert title not in response.content.decode()
        else:
            assert response.status_code == 403, title
            page = response.content.decode()
            if title == "Solutions" and who in ("onsite", "remote"):
                assert "opens when its session starts" in page
                assert "Monday 14 October 2030 at 15:00 (Europe/Zurich)" in page
            elif who == "anonymous":
                assert "sign in" in page and reverse("account_login") in page
            else:
                assert "register" in page
        if not material.is_public and response.status_code != 404:
            assert "no-store" in response.get("Cache-Control", ""), title


def test_a_held_back_material_opens_when_its_entry_starts(client, shelf, monkeypatch):
    client.force_login(shelf["people"]["remote"])
    solutions = shelf["items"]["Solutions"]
    assert client.get(solutions.download_path).status_code == 403
    later = shelf["entry"].start + timedelta(minutes=1)
    # The view's clock only (the session's expiry keeps the real one).
    monkeypatch.setattr(views, "timezone", SimpleNamespace(now=lambda: later))
    response = client.get(solutions.download_path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_the_rule_judges_the_folder_on_top_of_the_material(shelf):
    solutions = shelf["items"]["Solutions"]
    registrant = Reader(signed_in=True, modes=frozenset({"onsite"}))
    before, after = shelf["entry"].start - timedelta(seconds=1), shelf["entry"].start
    assert may_open(solutions, registrant, before).reason == NOT_YET
    assert may_open(solutions, registrant, after).allowed
    assert may_open(solutions, Reader(signed_in=True), after).reason == "register"
    assert may_open(solutions, ANONYMOUS, after).reason == "sign_in"


@pytest.mark.parametrize("who", READERS)
def test_the_event_page_lists_what_the_reader_may_see_and_hides_the_unseen(client, shelf, who):
    page = _browser(client, shelf, who).get(shelf["event"].get_absolute_url()).content.decode()
    for title in shelf["items"]:
        assert (title in page) == (who not in UNSEEN.get(title, ())), title
    # A restricted link's address is not given away: the page links to our download view.
    assert ("https://example.org/in" in page) is False


@pytest.mark.parametrize("who", READERS)
def test_the_api_gives_only_what_the_caller_may_open_now(client, shelf, who):
    browser = _browser(client, shelf, who)
    body = browser.get(f"/api/events/{shelf['event'].slug}/agenda").json()
    titles = {item["title"] for entry in body["items"] for item in entry["materials"]}
    titles |= {item["title"] for item in body["materials"]}
    assert titles == {title for title, readers in MAY_OPEN.items() if who in readers}


@pytest.mark.parametrize("who", READERS)
def test_the_zip_holds_only_what_the_reader_may_open(client, shelf, who):
    response = _browser(client, shelf, who).get(
        reverse("timetable:materials_zip", args=[shelf["event"].slug])
    )
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    names = archive.namelist()
    files = {
        title
        for title, material in shelf["items"].items()
        if not material.is_link and who in MAY_OPEN[title]
    }
    assert {name.rsplit("/", 1)[-1].rsplit(".", 1)[0] for name in names} - {"links"} == files
    links = archive.read("links.txt").decode()
    assert "https://example.org/slides" in links
    assert ("https://example.org/in" in links) == (who != "anonymous")
    if "Solutions" in files:
        assert "2030-10-14 1500 Exercise 1/Solutions folder/Solutions.ipynb" in names
    assert "private" in response["Cache-Control"]


def test_the_timetable_feed_links_only_public_materials(client, shelf):
    feed = client.get(reverse("feeds:timetable", args=[shelf["event"].slug])).content.decode()
    unfolded = feed.replace("\r\n ", "")
    assert "https://example.org/slides" in unfolded
    for title in set(shelf["items"]) - {"Public slides"}:
        assert title not in unfolded, title


def test_reader_for_knows_each_kind_of_person(shelf, hands_on):
    people = shelf["people"]
    assert reader_for(people["elsewhere"], hands_on) == Reader(signed_in=True)
    assert reader_for(people["onsite"], hands_on).modes == {"onsite"}
    assert reader_for(people["speaker"], hands_on).speaker
    assert reader_for(people["organiser"], hands_on).organiser


def test_the_demo_hands_on_seeds_a_registrants_notebook_and_solutions_held_back(client, db):
    from escape_events.events.models import Event
    from escape_events.events.seeding import load_seeds
    from escape_events.timetable.models import Material
    from escape_events.timetable.seeding import load_agenda_seeds

    load_seeds()
    load_agenda_seeds()
    demo = Event.objects.get(slug="swan-hands-on-demo")
    notebook = Material.objects.get(event=demo, title="Exercise 1 notebook")
    solutions = Material.objects.get(event=demo, title="Exercise 1 solutions")
    assert (notebook.audience, notebook.extension) == ("registrants", "IPYNB")
    assert (solutions.folder.audience, solutions.folder.from_start) == ("registrants", True)
    assert solutions.folder.entry == solutions.entry == notebook.entry
    assert Material.objects.get(event=demo, entry=None).is_public  # "Before you come"
    stored = sorted(Material.objects.values_list("pk", "title", "audience", "file"))
    load_seeds()
    load_agenda_seeds()
    assert sorted(Material.objects.values_list("pk", "title", "audience", "file")) == stored
    assert client.get(notebook.download_path).status_code == 403  # a stranger: sign in
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "Exercise 1 notebook" in page and "Confirmed registrants" in page
