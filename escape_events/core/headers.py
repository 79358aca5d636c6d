"""Text that ends up in a mail header (a subject, a calendar name): one line, no control codes.

Where a person types such text, forms and services refuse control characters (`single_line`);
mail built from stored text (an event's title) passes it through `header_text`, which turns
anything that could break or spoof a header into a space. A header cannot hold a line break:
Python's mail library refuses CR, LF and everything else `str.splitlines` breaks on (vertical
tab, form feed, U+001C-U+001E, NEL U+0085, U+2028, U+2029), so such a message would never leave.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Bidirectional overrides and isolates reorder what a reader sees: a spoofing trick.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control codes (C0, DEL, C1), line and paragraph separators, lone surrogates.
CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})


def is_control(character: str) -> bool:
    return unicodedata.category(character) in CONTROL_CATEGORIES or character in BIDI_CONTROLS


def single_line(value: str) -> None:
    """Validator: one line of text, without tabs or control characters."""
    found = sorted({character for character in value if is_control(character)})
    if found:
        codes = ", ".join(f"U+{ord(character):04X}" for character in found)
        raise ValidationError(
            # Translators: %(codes)s lists Unicode code points, e.g. "U+0009, U+000A".
            _("Keep this on one line, without tabs or control characters (found %(codes)s)."),
            code="control_characters",
            params={"codes": codes},
        )


def header_text(value: str) -> str:
    """The text as one clean header line: controls become spaces, runs of spaces one."""
    return " ".join("".join(" " if is_control(ch) else ch for ch in value).split())
