"""The organiser's side of the API: the participant page's filter, its actions, its exports and
the check-in page's rules, through the same code."""

import csv
import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from escape_events.organisers.models import ExportLog
from escape_events.registrations.models import Answer, Registration
from escape_events.registrations.services import purge_due_registrations

Status = Registration.Status


@pytest.fixture
def sign_up(hands_on, make_user):
    question = hands_on.questions.get()

    def make(first, last, *, status=Status.CONFIRMED, mode="onsite", answer="", **person):
        registration = Registration.objects.create(
            event=hands_on,
            user=make_user(first_name=first, last_name=last, **person),
            mode=mode,
            status=status,
            waiting_since=hands_on.start if status == Status.WAITING else None,
        )
        if answer:
            Answer.objects.create(registration=registration, question=question, value=answer)
        return registration

    return make


@pytest.fixture
def people(sign_up):
    return {
        "ada": sign_up("Ada", "Lovelace", answer="ATLAS"),
        "bob": sign_up("Bob", "Zwicky", mode="remote", answer="CMS", affiliation="EPFL"),
        "cyd": sign_up("Cyd", "Ames", status=Status.WAITING),
        "dee": sign_up("Dee", "Moe", status=Status.PENDING),
    }


@pytest.fixture
def boss(api, organiser, make_token):
    return api(make_token(organiser, organiser="write"))


def participants(boss, event, **query):
    return boss.get(f"/api/organise/events/{event.slug}/participants", query)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"mode": "remote"},
        {"status": "waiting"},
        {"q": "epfl"},
        {"sort": "name"},
        {"sort": "-name"},
        {"checked_in": "no", "status": "confirmed"},
        {"question": "QUESTION", "answer": "atl"},
    ],
)
def test_the_filter_is_the_participant_pages_filter(
    client, boss, organiser, hands_on, people, query
):
    if "question" in query:
        query["question"] = str(hands_on.questions.get().pk)
    client.force_login(organiser)
    page = client.get(reverse("organisers:participants", args=[hands_on.slug]), query)
    response = participants(boss, hands_on, **query)
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [
        registration.pk for registration in page.context["page"]
    ]


def test_participants_carry_their_answers(boss, hands_on, people):
    items = {item["name"]: item for item in participants(boss, hands_on).json()["items"]}
    question = hands_on.questions.get()
    assert items["Ada Lovelace"]["answers"] == [
        {"question": question.pk, "label": "Experiment", "value": "ATLAS", "display": "ATLAS"}
    ]
    assert items["Bob Zwicky"]["affiliation"] == "EPFL"
    assert items["Cyd Ames"]["answers"] == []


def test_pages_link_to_each_other(boss, hands_on, people):
    first = participants(boss, hands_on, page_size=3, mode="").json()
    assert first["count"] == 4
    assert len(first["items"]) == 3
    assert first["previous"] is None
    second = boss.get(first["next"].removeprefix("http://testserver")).json()
    assert [item["name"] for item in second["items"]] == ["Dee Moe"]
    assert second["next"] is None


def test_a_question_of_another_event_is_a_400_with_the_pages_message(
    client, boss, organiser, hands_on, people, make_registrable
):
    foreign = make_registrable().questions.create(label="Other", kind="text")
    response = participants(boss, hands_on, question=foreign.pk)
    assert response.status_code == 400
    problem = response.json()
    assert problem["errors"][0]["field"] == "question"
    client.force_login(organiser)
    page = client.get(
        reverse("organisers:participants", args=[hands_on.slug]), {"question": foreign.pk}
    )
    assert page.status_code == 400
    assert problem["errors"][0]["message"] in page.content.decode()


@pytest.mark.parametrize(
    ("action", "who", "status"),
    [
        ("approve", "dee", Status.CONFIRMED),
        ("reject", "dee", Status.REJECTED),
        ("cancel", "ada", Status.CANCELLED),
        ("promote", "cyd", Status.CONFIRMED),
    ],
)
def test_actions_call_the_registration_services(boss, hands_on, people, action, who, status):
    registration = people[who]
    response = boss.post(
        f"/api/organise/events/{hands_on.slug}/participants/{registration.pk}/{action}"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    registration.refresh_from_db()
    assert registration.status == status


def test_a_refused_action_says_what_the_page_says_and_changes_nothing(
    client, boss, organiser, hands_on, people
):
    ada = people["ada"]
    response = boss.post(f"/api/organise/events/{hands_on.slug}/participants/{ada.pk}/approve")
    assert response.status_code == 400
    assert response.json()["detail"] == "Only pending registrations can be approved."
    client.force_login(organiser)
    page = client.post(
        reverse("organisers:participant_bulk", args=[hands_on.slug]),
        {"action": "approve", "selected": [ada.pk]},
        follow=True,
    )
    assert "Only pending registrations can be approved." in page.content.decode()
    ada.refresh_from_db()
    assert ada.status == Status.CONFIRMED


def test_a_read_only_token_may_read_but_not_act(api, organiser, make_token, hands_on, people):
    reader = api(make_token(organiser, organiser="read"))
    assert participants(reader, hands_on).status_code == 200
    dee = people["dee"]
    response = reader.post(f"/api/organise/events/{hands_on.slug}/participants/{dee.pk}/approve")
    assert response.status_code == 403
    assert response.json()["detail"] == "This API token lacks the organiser:write scope."
    dee.refresh_from_db()
    assert dee.status == Status.PENDING


def export(boss, event, **query):
    response = boss.get(f"/api/organise/events/{event.slug}/export", query)
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content)


def test_export_csv_is_the_pages_file_and_is_logged(boss, organiser, hands_on, people, sign_up):
    sign_up("=HYPERLINK(1)", "Evil")
    response, body = export(boss, hands_on, status="confirmed", columns=["name", "answers"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Experiment"]
    assert ["Ada Lovelace", "ATLAS"] in rows
    assert ["'=HYPERLINK(1) Evil", ""] in rows
    log = ExportLog.objects.get()
    assert (log.user, log.format, log.rows, log.filters) == (
        organiser,
        "csv",
        3,
        {"status": "confirmed", "sort": "registered"},
    )


def test_export_leaves_out_cancelled_people_unless_asked(boss, hands_on, people, sign_up):
    sign_up("Eve", "Gone", status=Status.CANCELLED)
    _response, body = export(boss, hands_on)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["First name", "Family name"] and "Experiment" in rows[0]
    assert "Gone" not in [row[1] for row in rows]
    _response, body = export(boss, hands_on, include_cancelled="true", columns=["last_name"])
    assert ["Gone"] in list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert ExportLog.objects.first().filters["include_cancelled"] == "yes"


def test_export_xlsx_and_json(boss, hands_on, people):
    response = boss.get(f"/api/organise/events/{hands_on.slug}/export", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 5
    _response, body = export(boss, hands_on, format="json", mode="remote", columns=["email"])
    assert json.loads(body) == [{"email": people["bob"].user.email}]


def test_check_in_by_code_then_the_check_in_pages_warnings(boss, hands_on, people, sign_up):
    ada = people["ada"]
    url = f"/api/organise/events/{hands_on.slug}/check-in"
    first = boss.post(url, {"code": ada.check_in_code})
    assert first.status_code == 200
    assert first.json()["checked_in"] is True
    assert first.json()["participant"]["checked_in_at"] is not None
    second = boss.post(url, {"code": ada.check_in_code})
    assert second.status_code == 409
    assert "was already checked in" in second.json()["detail"]
    waiting = boss.post(url, {"code": people["cyd"].check_in_code})
    assert waiting.status_code == 409
    assert "is not confirmed (Waiting list)" in waiting.json()["detail"]
    unknown = boss.post(url, {"code": "nope"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "Unknown code: no registration has it."
    address = f"https://events.example.org/organise/scan/{people['bob'].check_in_code}/"
    remote = boss.post(url, {"code": address})  # the whole address a QR code holds
    assert remote.status_code == 409
    assert "registered to take part remotely" in remote.json()["detail"]
    anyway = boss.post(url, {"code": address, "accept_remote": True})
    assert anyway.status_code == 200


def test_a_retried_check_in_with_the_same_key_gets_the_first_answer(boss, hands_on, people):
    url = f"/api/organise/events/{hands_on.slug}/check-in"
    body = {"code": people["ada"].check_in_code}
    first = boss.post(url, body, **{"Idempotency-Key": "door-1-scan-17"})
    retry = boss.post(url, body, **{"Idempotency-Key": "door-1-scan-17"})
    assert retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()


def test_my_events_and_overview_counts(boss, hands_on, people, other_organiser):
    listed = boss.get("/api/organise/events").json()
    assert [
        (item["slug"], item["confirmed"], item["waiting"], item["pending"])
        for item in listed["items"]
    ] == [(hands_on.slug, 2, 1, 1)]
    overview = boss.get(f"/api/organise/events/{hands_on.slug}").json()
    onsite = next(item for item in overview["counts"] if item["mode"] == "onsite")
    assert (onsite["capacity"], onsite["confirmed"], onsite["pending"], onsite["places_left"]) == (
        2, 1, 1, 0,
    )  # fmt: skip
    assert overview["questions"][0]["label"] == "Experiment"


def test_the_export_of_a_purged_event_gives_the_counts_as_the_page_does(boss, hands_on, people):
    with time_machine.travel(hands_on.end + timedelta(days=366), tick=False):
        assert len(purge_due_registrations()) == 1
    response = boss.get(f"/api/organise/events/{hands_on.slug}/export", {"format": "json"})
    assert response.status_code == 200
    assert "counts-after-purge" in response["Content-Disposition"]
    assert ExportLog.objects.get().rows == 0
