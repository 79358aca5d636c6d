"""A person named on an agenda: in their data export, and after their account is deleted."""

import pytest

from escape_events.accounts.selectors import deletion_preview, personal_data
from escape_events.accounts.services import delete_account
from escape_events.timetable import services
from escape_events.timetable.models import Convener, Speaker

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def simone(django_user_model):
    return django_user_model.objects.create_user(
        username="simone", email="simone@example.org", first_name="Simone", last_name="Campana"
    )


def test_the_data_export_lists_where_the_person_is_on_an_agenda(camp, add, simone):
    day_two = services.add_session(
        event=camp, values={"title": "Rucio internals"}, conveners=[services.Person(user=simone)]
    )
    services.add_entry(
        event=camp,
        values={"start": at(2, "09:00"), "end": at(2, "10:00"), "title": "Daemons",
                "session": day_two},
        speakers=[services.Person("Simone C.", "CERN", simone)],
    )  # fmt: skip
    roles = personal_data(simone)["agenda_roles"]
    assert [(role["role"], role["event"]) for role in roles] == [
        ("speaker", "Rucio coding camp"),
        ("convener", "Rucio coding camp"),
    ]
    assert roles[0]["entry"] == "Daemons" and roles[0]["name_as_written"] == "Simone C."
    assert roles[1]["session"] == "Rucio internals"


def test_deleting_the_account_keeps_the_published_name_without_the_link(camp, add, simone):
    services.add_entry(
        event=camp,
        values={"start": at(1, "09:00"), "end": at(1, "10:00"), "title": "Welcome"},
        speakers=[services.Person("Simone Campana", "CERN", simone)],
    )
    assert any("keep your name as the organisers wrote it" in line
               for line in deletion_preview(simone))  # fmt: skip
    delete_account(user=simone, by=simone)
    speaker = Speaker.objects.get()
    assert (speaker.name, speaker.affiliation, speaker.user_id) == ("Simone Campana", "CERN", None)
    assert not Convener.objects.exists()
