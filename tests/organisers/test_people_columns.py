"""The organiser's table and exports name people one way and show one Affiliation column."""

import csv
import io

from django.urls import reverse

from escape_events.registrations.models import Question


def test_one_affiliation_column_from_the_profile_or_the_old_affiliation_question(
    client, organiser, hands_on, register, make_person
):
    asked = Question.objects.create(event=hands_on, label="Affiliation", position=0)
    with_profile = register(
        hands_on, person=make_person(first_name="Ada", last_name="Lovelace", affiliation="CERN")
    )
    with_answer = register(hands_on, person=make_person(first_name="Bob", last_name="Bell"))
    with_answer.answers.create(question=asked, value="EPFL")
    client.force_login(organiser)

    page = client.get(reverse("organisers:participants", args=[hands_on.slug])).content.decode()

    header = page[page.index("<thead>") : page.index("</thead>")]
    assert header.count("Affiliation") == 1  # not the profile's plus the question's
    assert "Experiment" in header  # other questions keep their column
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "Ada Lovelace" in rows and "CERN" in rows and "EPFL" in rows
    assert with_profile.user.email in rows  # organisers see the address, under the name

    response = client.post(
        reverse("organisers:participant_export", args=[hands_on.slug]),
        {"format": "csv", "columns": ["name", "affiliation"]},
    )
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines == [["Name", "Affiliation"], ["Ada Lovelace", "CERN"], ["Bob Bell", "EPFL"]]
