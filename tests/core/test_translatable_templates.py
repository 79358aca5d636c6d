"""Every text a reader sees in a template is translatable: a text node, or an attribute a reader
sees or hears (title, alt, placeholder, aria-label, an input button's value), outside
{% translate %} / {% blocktranslate %} fails the test. Words that stay the same in every language
(names such as "ICS" or "ORCID") are listed in literal_words.txt, one per line; a name written
in markup (the site's brand) sits in an element marked translate="no", as HTML itself says.

Mail texts (.txt) are read as plain text: every word in them counts.
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
LITERAL_WORDS = frozenset(
    line.strip()
    for line in (Path(__file__).with_name("literal_words.txt")).read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
# Stands for whatever Django puts there: a variable, a tag, a translated text.
HOLE = "\x00"
WORD = re.compile(r"[^\W\d_]+")
SEEN_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
    "summary",
}
BUTTON_TYPES = {"submit", "button", "reset"}
NOT_READ = {"script", "style"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
OPENING = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
SKIPPED = {"comment": "endcomment", **OPENING}


def skeleton(source: str) -> str:
    """The template's own text with every Django construct replaced by a hole; the text inside
    translation blocks and comments is a hole too."""
    parts, closing = [], None
    for token in Lexer(source).tokenize():
        command = token.contents.split()[0] if token.contents.split() else ""
        if closing:
            if token.token_type == TokenType.BLOCK and command == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK and command in SKIPPED:
            closing = SKIPPED[command]
        parts.append(HOLE)
    return "".join(parts)


def untranslated_words(text: str) -> list[str]:
    text = html.unescape(text.replace(HOLE, " "))
    return [word for word in WORD.findall(text) if word not in LITERAL_WORDS]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self.not_read = 0
        # Open elements whose content is a name, marked translate="no" (HTML's own attribute).
        self.kept_as_is: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in NOT_READ:
            self.not_read += 1
        attributes = dict(attrs)
        if tag not in VOID and (self.kept_as_is or attributes.get("translate") == "no"):
            self.kept_as_is.append(tag)
        for name, value in attrs:
            seen = name in SEEN_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and (attributes.get("type") or "").lower() in BUTTON_TYPES
            )
            if seen and value and untranslated_words(value):
                self.found.append(f'<{tag} {name}="{value.strip()}">')

    def handle_endtag(self, tag):
        if tag in NOT_READ and self.not_read:
            self.not_read -= 1
        if tag in self.kept_as_is:
            while self.kept_as_is.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.not_read and not self.kept_as_is and untranslated_words(data):
            self.found.append(" ".join(data.split()))

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")


def untranslated(path: Path) -> list[str]:
    text = skeleton(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        return [" ".join(line.split()) for line in text.splitlines() if untranslated_words(line)]
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.found


def template_files():
    roots = [TEMPLATES, *sorted((ROOT / "escape_events").glob("*/templates"))]
    return sorted(
        path for root in roots for path in root.rglob("*") if path.suffix in {".html", ".txt"}
    )


@pytest.mark.parametrize("path", template_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_text_of_a_template_is_translatable(path):
    found = untranslated(path)
    assert not found, f"{path.relative_to(ROOT)}: text outside a translation tag: {found}"


def test_the_check_finds_text_outside_translation_tags(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "{% load i18n %}<h1>{% translate 'Agenda' %}</h1><p>Register now</p>"
        '<img alt="Poster" src="x.png"><input type="submit" value="{{ label }}">'
        "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}{# Not read #}"
        "<script>const never = 'read';</script><p>ICS</p>"
        '<a translate="no" href="/">escape<span>_events</span></a><p>Not kept</p>'
    )
    assert untranslated(page) == ["Register now", '<img alt="Poster">', "Not kept"]
    mail = tmp_path / "mail.txt"
    mail.write_text("{% load i18n %}{% translate 'Dear' %} {{ name }},\nSee you soon\n")
    assert untranslated(mail) == ["See you soon"]
