"""Badge sizes and where each element sits on a badge, in millimetres.

Every element has a fixed box computed here (the template only places them), so elements never
share space: the colour band across the top, the logo and the event title beside the QR code,
the name below them, then affiliation and answers. Missing elements give their room to others.
"""

from dataclasses import dataclass

from ..models import PrintDesign

Layout = PrintDesign.Layout


@dataclass(frozen=True)
class Sheet:
    """A badge size and how badges sit on a page."""

    layout: str
    page_width: float  # mm
    page_height: float
    width: float  # badge, mm
    height: float
    columns: int = 1
    rows: int = 1
    top: float = 0.0  # page margin to the first badge, mm
    left: float = 0.0
    column_gap: float = 0.0
    row_gap: float = 0.0
    cut_lines: bool = False
    pad: float = 4.0
    two_sided: bool = True  # a back side can be printed (not on labels)

    @property
    def page(self) -> str:
        return f"{self.page_width}mm {self.page_height}mm"

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, index: int) -> tuple[float, float]:
        """The top-left corner of the `index`th badge of a page (front side)."""
        row, column = divmod(index, self.columns)
        return (
            self.left + column * (self.width + self.column_gap),
            self.top + row * (self.height + self.row_gap),
        )

    def back_origin(self, index: int) -> tuple[float, float]:
        """The same badge's place on the back of the sheet (turned over the long edge, so the
        columns swap)."""
        row, column = divmod(index, self.columns)
        return self.origin(row * self.columns + (self.columns - 1 - column))


SHEETS = {
    Layout.A4_EIGHT: Sheet(
        Layout.A4_EIGHT, 210, 297, 93, 62, columns=2, rows=4, top=24.5, left=12, cut_lines=True
    ),
    Layout.A6: Sheet(Layout.A6, 105, 148, 105, 148, pad=7),
    Layout.CARD: Sheet(Layout.CARD, 85.6, 54, 85.6, 54, pad=3.5),
    # Avery L7163: 2 x 7 labels of 99.1 x 38.1 mm, 15.15 mm from the top, 4.65 mm from the left.
    Layout.LABELS: Sheet(
        Layout.LABELS, 210, 297, 99.1, 38.1, columns=2, rows=7, top=15.15, left=4.65,
        column_gap=2.5, pad=2.5, two_sided=False,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def style(self) -> str:
        return (
            f"left:{self.x:.2f}mm;top:{self.y:.2f}mm;"
            f"width:{self.width:.2f}mm;height:{self.height:.2f}mm"
        )


def badge_boxes(
    sheet: Sheet, *, logo: bool, qr: bool, affiliation: bool, answers: int
) -> dict[str, Box]:
    """The boxes of one badge's front, relative to its top-left corner."""
    w, h, pad = sheet.width, sheet.height, sheet.pad
    gap = pad / 2
    band = max(4.0, h * 0.09)
    boxes = {"band": Box(0, 0, w, band)}
    top = band + gap
    side = min(h * 0.34, w * 0.3) if qr else 0.0
    if qr:
        boxes["qr"] = Box(w - pad - side, top, side, side)
    inner = w - 2 * pad - (side + gap if qr else 0)
    head_bottom = top + max(side, h * 0.28)
    y = top
    if logo:
        logo_height = min(h * 0.12, (head_bottom - top) * 0.4)
        boxes["logo"] = Box(pad, y, inner * 0.6, logo_height)
        y += logo_height + gap / 2
    when_height = max(2.6, h * 0.05)
    boxes["title"] = Box(pad, y, inner, head_bottom - y - when_height - gap / 2)
    boxes["when"] = Box(pad, head_bottom - when_height, inner, when_height)
    bottom = h - pad
    if answers:
        height = min(answers, 3) * max(2.8, h * 0.055)
        boxes["answers"] = Box(pad, bottom - height, w - 2 * pad, height)
        bottom -= height + gap / 2
    if affiliation:
        height = max(3.2, h * 0.11)
        boxes["affiliation"] = Box(pad, bottom - height, w - 2 * pad, height)
        bottom -= height + gap / 2
    name_top = head_bottom + gap
    boxes["name"] = Box(pad, name_top, w - 2 * pad, bottom - name_top)
    return boxes


def back_boxes(sheet: Sheet) -> dict[str, Box]:
    """The back side: the event, then the organiser's text."""
    w, h, pad = sheet.width, sheet.height, sheet.pad
    band = max(4.0, h * 0.09)
    title_height = h * 0.22
    top = band + pad / 2
    text_top = top + title_height + pad / 2
    return {
        "band": Box(0, 0, w, band),
        "title": Box(pad, top, w - 2 * pad, title_height),
        "back_text": Box(pad, text_top, w - 2 * pad, h - text_top - pad),
    }
