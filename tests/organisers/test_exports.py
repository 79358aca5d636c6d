"""Exports read back with csv, openpyxl and json: columns, safe cells, logs, flat queries."""

import csv
import io
import json
import os

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escape_events.organisers.exports import defuse
from escape_events.organisers.models import ExportLog
from escape_events.registrations.models import Question, Registration


@pytest.fixture
def crowd(hands_on, register, make_person):
    return [
        register(
            hands_on,
            answer="ATLAS",
            person=make_person(first_name="Zoë", last_name="Ångström", affiliation="Uppsala"),
        ),
        register(
            hands_on,
            mode=Registration.Mode.REMOTE,
            answer='=HYPERLINK("http://evil.example","click")',
            person=make_person(first_name="=cmd|' /C calc'!A0", last_name="", affiliation="+1-2"),
        ),
        register(hands_on, status=Registration.Status.WAITING, answer="@SUM(A1)"),
    ]


def export(client, event, file_format, columns, **filters):
    url = reverse("organisers:participant_export", args=[event.slug])
    response = client.post(url, {"format": file_format, "columns": columns, **filters})
    assert response.status_code == 200, response.content[:300]
    return response


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.getvalue()


ALL = [
    "name",
    "email",
    "affiliation",
    "mode",
    "status",
    "answers",
    "registered_at",
    "checked_in_at",
]


def test_csv_has_a_bom_the_chosen_columns_and_defused_formulas(client, organiser, hands_on, crowd):
    client.force_login(organiser)
    response = export(client, hands_on, "csv", ["name", "affiliation", "answers"])
    assert response["Content-Disposition"].startswith('attachment; filename="swan-hands-on-')
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Affiliation", "Experiment"]
    assert rows[1] == ["Zoë Ångström", "Uppsala", "ATLAS"]
    assert rows[2] == [
        "'=cmd|' /C calc'!A0",
        "'+1-2",
        '\'=HYPERLINK("http://evil.example","click")',
    ]
    assert rows[3][2] == "'@SUM(A1)"
    assert len(rows) == 4


def test_csv_export_follows_the_list_filter(client, organiser, hands_on, crowd):
    client.force_login(organiser)
    raw = body(export(client, hands_on, "csv", ["email", "mode", "status"], status="confirmed"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["Confirmed", "Confirmed"]
    assert sorted(row[1] for row in rows[1:]) == ["On-site", "Remote"]


def test_xlsx_opens_with_openpyxl_with_dates_and_no_formulas(client, organiser, hands_on, crowd):
    client.force_login(organiser)
    response = export(client, hands_on, "xlsx", ALL)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    sheet = workbook["Participants"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Name", "E-mail", "Affiliation", "Mode", "Status", "Experiment",
        "Registered at (Europe/Zurich)", "Checked in at (Europe/Zurich)",
    )  # fmt: skip
    assert rows[1][0] == "Zoë Ångström"
    assert rows[2][0] == "'=cmd|' /C calc'!A0"
    assert rows[2][5].startswith("'=HYPERLINK")
    local = crowd[0].created_at.astimezone(hands_on.zone).replace(tzinfo=None)
    assert abs((rows[1][6] - local).total_seconds()) < 60
    assert rows[1][7] is None
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_has_a_frozen_bold_header_sized_columns_and_real_dates(
    client, organiser, hands_on, crowd
):
    client.force_login(organiser)
    sheet = openpyxl.load_workbook(io.BytesIO(body(export(client, hands_on, "xlsx", ALL))))[
        "Participants"
    ]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.column_dimensions["A"].width == pytest.approx(26, abs=1)  # Name
    assert sheet.column_dimensions["B"].width == pytest.approx(30, abs=1)  # E-mail
    registered = sheet["G2"]
    assert registered.is_date and registered.number_format == "yyyy-mm-dd hh:mm"
    assert sheet["E2"].data_type == "s"  # text stays text


def test_json_export_nests_answers_and_keeps_text_as_typed(client, organiser, hands_on, crowd):
    client.force_login(organiser)
    data = json.loads(body(export(client, hands_on, "json", ["name", "answers", "registered_at"])))
    assert data[0]["name"] == "Zoë Ångström"
    assert data[0]["answers"] == {"Experiment": "ATLAS"}
    assert data[0]["registered_at"].endswith(("+01:00", "+02:00"))
    assert data[1]["answers"]["Experiment"].startswith("=HYPERLINK")  # JSON is no spreadsheet


def test_each_export_is_logged_with_who_and_how_many_rows(client, organiser, hands_on, crowd):
    client.force_login(organiser)
    body(export(client, hands_on, "csv", ["name"], status="waiting"))
    log = ExportLog.objects.get()
    assert (log.user, log.event, log.rows, log.format) == (organiser, hands_on, 1, "csv")
    assert log.columns == ["Name"] and log.filters == {"status": "waiting"}
    page = client.get(reverse("organisers:messages", args=[hands_on.slug])).content.decode()
    assert "CSV (Excel, UTF-8)" in page
    assert "<td>status: waiting</td>" in page  # which list was exported, not only how many


@pytest.mark.parametrize(
    "data",
    [
        {"format": "pdf", "columns": ["name"]},
        {"format": "csv", "columns": ["password"]},
        {"format": "csv"},
        {"format": "csv", "columns": ["name"], "mode": "teleport"},
    ],
)
def test_bad_export_requests_explain_and_log_nothing(client, organiser, hands_on, crowd, data):
    client.force_login(organiser)
    url = reverse("organisers:participant_export", args=[hands_on.slug])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Export not made" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_text_with_control_characters_still_makes_a_valid_xlsx(
    client, organiser, hands_on, register, make_person
):
    register(hands_on, answer="bell\x07 and tab\x0b", person=make_person(first_name="Ctl\x1bA"))
    client.force_login(organiser)
    workbook = openpyxl.load_workbook(io.BytesIO(body(export(client, hands_on, "xlsx", ALL))))
    assert list(workbook.active.iter_rows(values_only=True))[1][5] == "bell and tab"


def xlsx_sheet(client, event, columns):
    workbook = openpyxl.load_workbook(io.BytesIO(body(export(client, event, "xlsx", columns))))
    return workbook["Participants"]


def test_xlsx_cells_are_text_or_real_dates_and_empty_values_are_empty_cells(
    client, organiser, hands_on, crowd
):
    crowd[0].checked_in_at = crowd[0].created_at
    crowd[0].save()
    client.force_login(organiser)
    sheet = xlsx_sheet(client, hands_on, ALL)
    rows = list(sheet.iter_rows(min_row=2))
    assert [cell.data_type for cell in rows[0]] == ["s"] * 6 + ["d", "d"]
    assert rows[0][7].number_format == "yyyy-mm-dd hh:mm"
    assert rows[1][7].value is None  # never checked in
    assert rows[0][2].value == "Uppsala"
    assert rows[2][2].value is None  # no affiliation: an empty cell, not ""


def test_xlsx_defuses_every_formula_start_in_cells_and_the_header(
    client, organiser, hands_on, register
):
    starts = ["=1+1", "+41 22 767", "-2", "@SUM(A1)", "\tx", "\rx"]
    for text in starts:
        register(hands_on, answer=text)
    hands_on.questions.update(label='=HYPERLINK("http://evil.example","click")')
    client.force_login(organiser)
    sheet = xlsx_sheet(client, hands_on, ["answers"])
    assert sheet["A1"].value == '\'=HYPERLINK("http://evil.example","click")'
    answers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # The carriage return comes back as the writer's escape: openpyxl does not unescape it.
    assert answers == ["'=1+1", "'+41 22 767", "'-2", "'@SUM(A1)", "'\tx", "'_x000D_x"]
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row)


def test_xlsx_numbers_repeated_labels_and_keeps_every_column(
    client, organiser, hands_on, register, make_person
):
    hands_on.questions.update(label="Name")
    Question.objects.create(event=hands_on, label="Name", kind=Question.Kind.TEXT, position=2)
    register(hands_on, answer="CMS", person=make_person(first_name="Ada", last_name="Lovelace"))
    client.force_login(organiser)
    rows = list(xlsx_sheet(client, hands_on, ["name", "answers"]).iter_rows(values_only=True))
    assert rows == [("Name", "Name (2)", "Name (3)"), ("Ada Lovelace", "CMS", None)]


def test_xlsx_cuts_text_longer_than_an_excel_cell_holds(client, organiser, hands_on, register):
    register(hands_on, answer="=" + "x" * 40_000)
    register(hands_on, answer="y" * 32_767)
    client.force_login(organiser)
    sheet = xlsx_sheet(client, hands_on, ["answers"])
    assert sheet["A2"].value == "'=" + "x" * 32_765  # defused, then cut to 32,767
    assert sheet["A3"].value == "y" * 32_767  # exactly the limit stays whole


def test_xlsx_of_nobody_still_has_its_frozen_bold_header(client, organiser, hands_on):
    client.force_login(organiser)
    sheet = xlsx_sheet(client, hands_on, ALL)
    assert list(sheet.iter_rows(values_only=True)) == [
        (
            "Name", "E-mail", "Affiliation", "Mode", "Status", "Experiment",
            "Registered at (Europe/Zurich)", "Checked in at (Europe/Zurich)",
        )
    ]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert ExportLog.objects.get().rows == 0


@pytest.fixture
def scratch(settings, tmp_path):
    settings.SCRATCH_DIR = str(tmp_path / "scratch")
    return tmp_path / "scratch"


def test_the_xlsx_file_has_no_name_on_disk_while_it_streams(
    client, organiser, hands_on, crowd, scratch
):
    client.force_login(organiser)
    response = export(client, hands_on, "xlsx", ALL)
    assert os.listdir(scratch) == []  # the open handle alone keeps the data
    assert body(response).startswith(b"PK")
    response.close()


def test_no_file_remains_when_the_writer_raises_mid_way(
    client, organiser, hands_on, crowd, scratch, monkeypatch
):
    """The kill of issue 22, as an exception: the writer has its file open when it stops."""
    from escape_events.organisers import exports

    seen = []

    def broken_writer(records, path, **options):
        next(iter(records))
        with open(path, "wb") as half:
            half.write(b"PK\x03\x04 half a workbook")
        seen.append(os.listdir(scratch))
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_worksheet", broken_writer)
    client.force_login(organiser)
    client.raise_request_exception = False
    response = client.post(
        reverse("organisers:participant_export", args=[hands_on.slug]),
        {"format": "xlsx", "columns": ALL},
    )
    assert response.status_code == 500
    assert len(seen[0]) == 1 and seen[0][0].startswith("escape-")  # it was in the scratch folder
    assert os.listdir(scratch) == []


def test_what_a_killed_export_left_is_swept_at_start_up(scratch, settings):
    from django.core.management import call_command

    scratch.mkdir()
    (scratch / "escape-left-by-a-kill.xlsx").write_bytes(b"names and e-mails")
    (scratch / "not-ours.txt").write_bytes(b"kept")
    out = io.StringIO()
    call_command("sweep_scratch", stdout=out)
    assert sorted(os.listdir(scratch)) == ["not-ours.txt"]
    assert out.getvalue().startswith("1 leftover file(s) removed from")


def test_make_run_and_make_prod_sweep_before_serving():
    from django.conf import settings

    makefile = (settings.BASE_DIR / "Makefile").read_text()
    prod = (settings.BASE_DIR / "scripts" / "prod").read_text()
    assert 'call_command("sweep_scratch"' in makefile
    assert "manage.py sweep_scratch" in prod


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_exports_use_the_same_number_of_queries_for_few_and_many(
    client, organiser, hands_on, register, file_format
):
    client.force_login(organiser)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            body(export(client, hands_on, file_format, ALL))
        return len(captured)

    register(hands_on, answer="x")
    few = queries()
    for _ in range(30):
        register(hands_on, answer="y")
    assert queries() == few


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+41 22 767", "'+41 22 767"),
        ("-2", "'-2"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Plain", "Plain"),
        ("", ""),
        (None, None),
    ],
)
def test_defuse(text, expected):
    assert defuse(text) == expected


def test_the_csv_header_row_is_defused_too(client, organiser, hands_on, crowd):
    hands_on.questions.update(label='=HYPERLINK("http://evil.example","click")')
    client.force_login(organiser)
    raw = body(export(client, hands_on, "csv", ["name", "answers"]))
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header == ["Name", '\'=HYPERLINK("http://evil.example","click")']


# Committed data: closing the response by hand ends the request, and Django then closes the
# database connection, which inside a test transaction would take the test's data with it.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("file_format", ["csv", "json", "xlsx"])
def test_a_download_cut_off_is_logged_as_such_and_a_finished_one_as_complete(
    client, organiser, hands_on, crowd, file_format
):
    client.force_login(organiser)
    response = export(client, hands_on, file_format, ["name"])
    next(iter(response.streaming_content))  # the first chunk, then the connection drops
    response.close()
    cut = ExportLog.objects.get()
    assert cut.completed_at is None and cut.rows < len(crowd)
    page = client.get(reverse("organisers:messages", args=[hands_on.slug])).content.decode()
    assert "(not completed)" in page
    body(export(client, hands_on, file_format, ["name"]))
    done = ExportLog.objects.exclude(pk=cut.pk).get()
    assert done.completed_at is not None and done.rows == len(crowd)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_the_page_offers_names_apart_and_the_answers_by_default(client, organiser, hands_on):
    client.force_login(organiser)
    page = client.get(reverse("organisers:participants", args=[hands_on.slug])).content.decode()
    for key in ("first_name", "last_name", "answers"):
        assert f'name="columns" value="{key}"' in page
        checked = page.split(f'value="{key}"')[1].split(">")[0]
        assert "checked" in checked, key
    assert 'name="include_cancelled"' in page


def test_someone_who_cancelled_and_came_back_is_one_row_unless_asked(
    client, organiser, hands_on, register, make_person
):
    client.force_login(organiser)
    ada = make_person(first_name="Ada", last_name="Lovelace")
    register(hands_on, person=ada, status=Registration.Status.CANCELLED, answer="CMS")
    register(hands_on, person=ada, answer="ATLAS")
    register(hands_on, status=Registration.Status.REJECTED)

    rows = csv_rows(export(client, hands_on, "csv", ["first_name", "last_name", "status"]))
    assert rows[1:] == [["Ada", "Lovelace", "Confirmed"]]

    everyone = export(client, hands_on, "csv", ["last_name", "status"], include_cancelled="on")
    assert sorted(row[1] for row in csv_rows(everyone)[1:]) == [
        "Cancelled", "Confirmed", "Rejected"
    ]  # fmt: skip
    assert ExportLog.objects.first().filters == {"include_cancelled": "yes"}
    # Filtering for the cancelled lists them without the tick.
    cancelled = export(client, hands_on, "csv", ["status"], status="cancelled")
    assert [row[0] for row in csv_rows(cancelled)[1:]] == ["Cancelled"]


def test_csv_times_carry_their_offset_and_the_header_names_the_zone(
    client, organiser, hands_on, crowd
):
    client.force_login(organiser)
    rows = csv_rows(export(client, hands_on, "csv", ["registered_at", "checked_in_at"]))
    assert rows[0] == ["Registered at (Europe/Zurich)", "Checked in at (Europe/Zurich)"]
    local = crowd[0].created_at.astimezone(hands_on.zone)
    assert rows[1][0] == local.isoformat(timespec="minutes")
    assert rows[1][0][16:] in ("+01:00", "+02:00") and rows[1][0][10] == "T"
    assert rows[1][1] == ""


def test_xlsx_has_a_filter_on_its_header_and_columns_wide_enough_for_it(
    client, organiser, hands_on, crowd
):
    client.force_login(organiser)
    sheet = xlsx_sheet(client, hands_on, ["first_name", "last_name", "registered_at"])
    assert sheet.auto_filter.ref == "A1:C4"
    header = [cell.value for cell in sheet[1]]
    assert header == ["First name", "Family name", "Registered at (Europe/Zurich)"]
    for letter, label in zip("ABC", header, strict=True):
        assert sheet.column_dimensions[letter].width >= len(label) + 2


def test_every_export_reads_answers_as_people_do_and_skips_section_headings(
    client, organiser, hands_on, crowd
):
    Question.objects.create(event=hands_on, label="Travel", kind=Question.Kind.SECTION, position=2)
    country = Question.objects.create(
        event=hands_on, label="Country", kind=Question.Kind.COUNTRY, position=3
    )
    topics = Question.objects.create(
        event=hands_on, label="Topics", kind=Question.Kind.MULTIPLE_CHOICE,
        choices=["Rucio", "SWAN"], position=4,
    )  # fmt: skip
    first = crowd[0]
    first.answers.create(question=country, value="CH")
    first.answers.create(question=topics, value="Rucio\nSWAN")
    client.force_login(organiser)
    raw = body(export(client, hands_on, "csv", ["name", "answers"]))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Experiment", "Country", "Topics"]
    assert rows[1] == ["Zoë Ångström", "ATLAS", "Switzerland", "Rucio, SWAN"]
    sheet = openpyxl.load_workbook(io.BytesIO(body(export(client, hands_on, "xlsx", ["answers"]))))
    assert list(sheet["Participants"].iter_rows(values_only=True))[1] == (
        "ATLAS", "Switzerland", "Rucio, SWAN",
    )  # fmt: skip
    (item, *_rest) = json.loads(body(export(client, hands_on, "json", ["answers"])))
    assert item["answers"] == {
        "Experiment": "ATLAS",
        "Country": "Switzerland",
        "Topics": "Rucio, SWAN",
    }
