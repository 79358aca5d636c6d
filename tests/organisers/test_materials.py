"""The organiser's Materials page: folders of the event and of entries, who may open each, moving
materials between folders, their order; bad input is a 400 with the reason, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from escape_events.timetable import services
from escape_events.timetable.models import Audience, Folder, Material


def url(name, event, *args):
    return reverse(f"organisers:{name}", args=[event.slug, *args])


@pytest.fixture
def entry(hands_on):
    return services.add_entry(
        event=hands_on,
        values={"start": hands_on.start, "end": hands_on.end, "title": "Exercise 1"},
    )


@pytest.fixture
def signed_in(client, organiser):
    client.force_login(organiser)
    return client


def test_a_folder_on_an_entry_and_a_held_back_registrants_file_in_it(signed_in, hands_on, entry):
    response = signed_in.post(
        url("folder_add", hands_on),
        {"place": str(entry.pk), "title": "Solutions", "audience": "registrants",
         "from_start": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    folder = Folder.objects.get(event=hands_on)
    assert (folder.entry, folder.audience, folder.from_start) == (entry, "registrants", True)
    upload = SimpleUploadedFile("solutions.ipynb", b'{"cells": []}')
    response = signed_in.post(
        url("material_add", hands_on),
        {"place": str(entry.pk), "folder": str(folder.pk), "title": "Solutions",
         "file": upload, "audience": "everyone"},
    )  # fmt: skip
    assert response.status_code == 302
    material = Material.objects.get(event=hands_on)
    assert (material.entry, material.folder) == (entry, folder)
    page = signed_in.get(url("materials", hands_on)).content.decode()
    assert "Solutions" in page and "held back until it starts" in page


def test_a_folder_of_another_place_is_refused_with_the_reason(signed_in, hands_on, entry):
    folder = services.add_folder(event=hands_on, title="Handouts")  # the event's own
    response = signed_in.post(
        url("material_add", hands_on),
        {"place": str(entry.pk), "folder": str(folder.pk), "title": "Map",
         "url": "https://example.org/map"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Pick a folder of “Exercise 1”" in response.content.decode()
    assert not Material.objects.exists()


def test_the_same_folder_name_twice_in_one_place_is_refused(signed_in, hands_on):
    services.add_folder(event=hands_on, title="Slides")
    response = signed_in.post(
        url("folder_add", hands_on), {"place": "", "title": "slides", "audience": "everyone"}
    )
    assert response.status_code == 400
    assert "The event already has a folder “slides”" in response.content.decode()
    assert Folder.objects.count() == 1


def test_settings_move_a_material_into_a_folder_and_change_its_audience(signed_in, hands_on):
    folder = services.add_folder(event=hands_on, title="Handouts", audience="onsite")
    material = services.add_material_link(event=hands_on, url="https://example.org/a", title="A")
    response = signed_in.post(
        url("material_edit", hands_on, material.pk),
        {"title": "Map of the site", "audience": "signed_in", "folder": str(folder.pk)},
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.title, material.audience, material.folder) == (
        "Map of the site", Audience.SIGNED_IN, folder
    )  # fmt: skip
    assert not material.is_public


@pytest.mark.parametrize(
    "data",
    [
        {"title": "A", "audience": "everybody"},
        {"title": "A\tB", "audience": "everyone"},
        {"title": "A", "audience": "everyone", "folder": "999999"},
    ],
)
def test_bad_settings_are_a_400_that_changes_nothing(signed_in, hands_on, data):
    material = services.add_material_link(event=hands_on, url="https://example.org/a", title="A")
    response = signed_in.post(url("material_edit", hands_on, material.pk), data)
    assert response.status_code == 400
    assert "was not changed" in response.content.decode()
    material.refresh_from_db()
    assert (material.title, material.audience, material.folder) == ("A", "everyone", None)


def test_up_and_down_reorder_materials_and_folders(signed_in, hands_on):
    first, _second, third = (
        services.add_material_link(event=hands_on, url=f"https://example.org/{n}", title=n)
        for n in ("one", "two", "three")
    )
    assert (
        signed_in.post(url("material_move", hands_on, third.pk), {"direction": "up"}).status_code
        == 302
    )
    order = list(Material.objects.filter(event=hands_on).values_list("title", flat=True))
    assert order == ["one", "three", "two"]
    signed_in.post(url("material_move", hands_on, first.pk), {"direction": "up"})  # already first
    assert list(Material.objects.values_list("title", flat=True)) == ["one", "three", "two"]
    a, _b = (
        services.add_folder(event=hands_on, title="A"),
        services.add_folder(event=hands_on, title="B"),
    )
    signed_in.post(url("folder_move", hands_on, a.pk), {"direction": "down"})
    assert list(Folder.objects.values_list("title", flat=True)) == ["B", "A"]
    response = signed_in.post(url("folder_move", hands_on, a.pk), {"direction": "sideways"})
    assert response.status_code == 400


def test_deleting_a_folder_keeps_what_it_held(signed_in, hands_on):
    folder = services.add_folder(event=hands_on, title="Old", audience="organisers")
    material = services.add_material_link(
        event=hands_on, url="https://example.org/a", title="A", folder=folder
    )
    response = signed_in.post(url("folder_delete", hands_on, folder.pk))
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.folder is None
    assert not Folder.objects.exists()
