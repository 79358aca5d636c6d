"""Text that fits its box on a badge or certificate, chosen before layout and deterministic.

WeasyPrint cannot shrink text to fit, so we pick the font size here: the largest of a box's
steps at which the text, wrapped greedily with widths that are never narrower than the printed
glyphs (DejaVu Sans, Noto Sans CJK), takes no more lines than the box holds. Text too long even
at the smallest step is cut with an ellipsis, so nothing ever runs into the next element.
"""

import unicodedata
from dataclasses import dataclass

PT_PER_MM = 72 / 25.4
LINE_HEIGHT = 1.2  # em, as the print CSS sets it


@dataclass(frozen=True)
class Fitted:
    text: str
    size: float  # points
    lines: int


def _em(char: str, bold: bool) -> float:
    """An upper bound of the advance of `char`, in em."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char.isspace():
        return 0.35
    if unicodedata.combining(char):
        return 0.0
    wide = char.isupper() or char in "mwMW@%&—"
    return (0.92 if wide else 0.72) if bold else (0.84 if wide else 0.64)


def _lines(text: str, size: float, width_pt: float, bold: bool) -> int:
    """Lines a greedy wrap takes: breaks at spaces, anywhere inside a word too long for a line,
    and between any two CJK characters (as the CSS's overflow-wrap: anywhere does)."""
    lines, used = 1, 0.0
    for word in _words(text):
        advance = sum(_em(char, bold) for char in word) * size
        space = _em(" ", bold) * size if used and not _cjk(word[0]) else 0.0
        if used + space + advance <= width_pt:
            used += space + advance
            continue
        if used:
            lines, used = lines + 1, 0.0
        for char in word:  # a word longer than the line breaks anywhere
            step = _em(char, bold) * size
            if used + step > width_pt and used:
                lines, used = lines + 1, 0.0
            used += step
    return lines


def _cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _words(text: str) -> list[str]:
    """Words, each CJK character a word of its own (they wrap anywhere)."""
    words = []
    for word in text.split():
        run = ""
        for char in word:
            if _cjk(char):
                if run:
                    words.append(run)
                    run = ""
                words.append(char)
            else:
                run += char
        if run:
            words.append(run)
    return words


def fit(
    text: str, *, width_mm: float, height_mm: float, sizes: tuple[float, ...], bold=False
) -> Fitted:
    """The largest of `sizes` (points, largest first) at which `text` fits the box; at the
    smallest, the longest start of it that fits, ending in "…"."""
    text = " ".join(text.split())
    width, height = width_mm * PT_PER_MM, height_mm * PT_PER_MM
    for size in sizes:
        most = max(1, int(height // (size * LINE_HEIGHT)))
        needed = _lines(text, size, width, bold)
        if needed <= most:
            return Fitted(text, size, needed)
    size = sizes[-1]
    most = max(1, int(height // (size * LINE_HEIGHT)))
    low, high = 0, len(text)
    while low < high:  # the longest cut that fits
        middle = (low + high + 1) // 2
        if _lines(text[:middle].rstrip() + "…", size, width, bold) <= most:
            low = middle
        else:
            high = middle - 1
    return Fitted(text[:low].rstrip() + "…", size, most)
