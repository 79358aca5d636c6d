"""Badges and certificates read back with pdfplumber: every text and image stays inside its
badge and no two elements overlap, for titles up to 200 and names up to 80 characters in Latin,
Greek, Cyrillic and CJK script, in every badge size (front and back)."""

import io
from datetime import timedelta
from itertools import combinations

import pdfplumber
import pytest
from django.utils import timezone

from escape_events.organisers.models import PrintDesign
from escape_events.organisers.printouts import PRINTOUTS, fit, render_printout
from escape_events.organisers.printouts.layouts import SHEETS
from escape_events.registrations.models import AttendanceDay

MM = 72 / 25.4
TOLERANCE = 0.3  # points: rounding in the PDF writer

LONG_TITLE = (
    "SWAN hands-on session (demo edition): analysing open data from the ESCAPE data lake with "
    "Jupyter notebooks, Rucio, Reana and the Virtual Research Environment, for newcomers and "
    "experts alike, days 1–3"
)
NAMES = [
    # (first name, family name, affiliation): 80-character names in four scripts.
    ("Maximiliane Alexandra Theodora", "von Wolkenstein-Trostburg und Hohenzollern-Sigmaringen",
     "Max-Planck-Institut für Kernphysik, Heidelberg, Abteilung für Astroteilchenphysik"),
    ("Αλέξανδρος Κωνσταντίνος", "Παπαδόπουλος-Χατζηγεωργίου του Ευαγγέλου και της Μαρίας",
     "Εθνικό Μετσόβιο Πολυτεχνείο"),
    ("Екатерина Александровна", "Соколова-Преображенская урождённая Васильева-Шуйская",
     "Объединённый институт ядерных исследований, Дубна"),
    ("山田太郎花子次郎三郎四郎五郎", "佐々木小次郎宮本武蔵柳生十兵衛服部半蔵真田幸村伊達政宗"
     "織田信長豊臣秀吉徳川家康上杉謙信武田信玄毛利元就北条氏康今川義元",
     "東京大学 素粒子物理国際研究センター"),
    ("Ada", "Lovelace", "CERN"),
]  # fmt: skip
# Each element has its own text colour: how the test tells them apart in the PDF.
ELEMENTS = {
    "0b5c8a": "title", "5b6675": "when", "1d2733": "name", "3d4957": "affiliation",
    "4a3d57": "answers", "ffffff": "band",
}  # fmt: skip
CERTIFICATE_COLOURS = {"0b5c8a", "1d2733", "3d4957", "5b6675"}


def colour(char) -> str:
    value = char.get("non_stroking_color") or (0,)
    if len(value) == 1:
        value = value * 3
    return "".join(f"{round(part * 255):02x}" for part in value[:3])


def inside(inner, outer, slack=TOLERANCE) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def overlap(one, other) -> bool:
    return (
        min(one[2], other[2]) - max(one[0], other[0]) > TOLERANCE
        and min(one[3], other[3]) - max(one[1], other[1]) > TOLERANCE
    )


def union(boxes):
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def badge_problems(pdf_bytes: bytes, sheet, *, back_side: bool, count: int) -> list[str]:
    """Everything wrong with the badges' geometry, as sentences (empty: all fits)."""
    problems = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = pdf.pages
        fronts = pages[::2] if back_side else pages
        for page_number, page in enumerate(pages, start=1):
            is_back = back_side and page_number % 2 == 0
            first = ((page_number - 1) // (2 if back_side else 1)) * sheet.per_page
            on_page = min(sheet.per_page, count - first)
            rects = []
            for index in range(on_page):
                x, y = sheet.back_origin(index) if is_back else sheet.origin(index)
                rects.append((x * MM, y * MM, (x + sheet.width) * MM, (y + sheet.height) * MM))
            items = [
                ((c["x0"], c["top"], c["x1"], c["bottom"]), ELEMENTS.get(colour(c), colour(c)))
                for c in page.chars
                if c["text"].strip()
            ] + [
                ((image["x0"], image["top"], image["x1"], image["bottom"]), f"image{n}")
                for n, image in enumerate(page.images)
            ]
            for number, rect in enumerate(rects):
                mine = [item for item in items if inside(item[0], rect, slack=20)]
                centred = [
                    (box, name)
                    for box, name in mine
                    if rect[0] <= (box[0] + box[2]) / 2 <= rect[2]
                    and rect[1] <= (box[1] + box[3]) / 2 <= rect[3]
                ]
                where = f"page {page_number}, badge {number + 1}"
                for box, name in centred:
                    if not inside(box, rect):
                        problems.append(f"{where}: {name} leaves the badge ({box} vs {rect})")
                groups = {}
                for box, name in centred:
                    groups.setdefault(name, []).append(box)
                boxes = {name: union(found) for name, found in groups.items()}
                for (one, first_box), (other, second_box) in combinations(boxes.items(), 2):
                    if overlap(first_box, second_box):
                        problems.append(f"{where}: {one} overlaps {other}")
            covered = sum(1 for box, _name in items if not any(inside(box, r) for r in rects))
            if covered:
                problems.append(f"page {page_number}: {covered} items outside every badge")
        assert len(fronts) == -(-count // sheet.per_page)
    return problems


@pytest.fixture
def crowd(make_event, organiser, register, make_person):
    start = (timezone.now() - timedelta(days=3)).replace(second=0, microsecond=0)
    event = make_event(title=LONG_TITLE, slug="long", start=start, end=start + timedelta(days=2))
    event.organisers.add(organiser)
    for first, last, affiliation in NAMES:
        register(
            event,
            person=make_person(
                first_name=first, last_name=eighty(first, last), affiliation=affiliation
            ),
        )
    return event


def eighty(first: str, last: str) -> str:
    """The family name, repeated or cut so that the full name has 80 characters."""
    if len(last) < 10:
        return last  # the short name of the lot
    wanted = 80 - len(first) - 1
    family = (last + " " + last)[:wanted]
    return family if not family.endswith(" ") else family[:-1] + "x"


@pytest.mark.parametrize("layout", PrintDesign.Layout.values)
def test_long_titles_and_names_in_every_script_fit_every_badge_size(layout, crowd):
    assert len(LONG_TITLE) == 200
    names = [row.user.display_name for row in crowd.registrations.select_related("user")]
    assert sorted(len(name) for name in names) == [12, 80, 80, 80, 80]
    sheet = SHEETS[layout]
    PrintDesign.objects.create(
        event=crowd, layout=layout, back_side=sheet.two_sided, back_text="Wi-Fi: eduroam. " * 30
    )
    pdf, count = render_printout(PRINTOUTS["badges"], crowd)
    assert count == len(NAMES)
    assert badge_problems(pdf, sheet, back_side=sheet.two_sided, count=count) == []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = document.pages[0].extract_text()
    assert "Ada Lovelace" in text and "CERN" in text


def test_the_check_finds_an_overlap_when_text_is_not_fitted(crowd, monkeypatch):
    """The control: with fitting switched off (largest size, no cut), names run into the
    elements below them and the check says so."""
    monkeypatch.setattr(
        fit,
        "fit",
        lambda text, *, width_mm, height_mm, sizes, bold=False: fit.Fitted(text, sizes[0], 1),
    )
    monkeypatch.setattr("escape_events.organisers.printouts.badges.fit", fit.fit)
    PrintDesign.objects.create(event=crowd, layout=PrintDesign.Layout.A4_EIGHT)
    pdf, count = render_printout(PRINTOUTS["badges"], crowd)
    problems = badge_problems(pdf, SHEETS["a4-8"], back_side=False, count=count)
    assert any("overlaps" in problem or "leaves" in problem for problem in problems)


def test_certificates_keep_long_names_and_titles_in_their_place(crowd):
    for registration in crowd.registrations.all():
        AttendanceDay.objects.create(
            registration=registration, day=crowd.local_start.date(), source="check_in"
        )
    pdf, count = render_printout(PRINTOUTS["certificates"], crowd)
    assert count == len(NAMES)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            groups = {}
            for char in page.chars:
                if char["text"].strip():
                    box = (char["x0"], char["top"], char["x1"], char["bottom"])
                    assert inside(box, (10 * MM, 10 * MM, 287 * MM, 200 * MM)), char["text"]
                    groups.setdefault((colour(char), round(char["size"], 1)), []).append(box)
            boxes = list(map(union, groups.values())) + [
                (image["x0"], image["top"], image["x1"], image["bottom"]) for image in page.images
            ]
            # The name (largest dark text) and the title (largest blue text) are apart from all.
            name = max((k for k in groups if k[0] == "1d2733"), key=lambda k: k[1])
            title = max((k for k in groups if k[0] == "0b5c8a"), key=lambda k: k[1])
            for key in (name, title):
                mine = union(groups[key])
                assert not [box for box in boxes if box != mine and overlap(box, mine)], key
