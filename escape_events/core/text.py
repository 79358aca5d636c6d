"""Markdown written by organisers: HTML that is safe to show to everyone, or plain text."""

import functools
import re
import threading

import markdown
import nh3
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.html_properties import Display
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_element import HtmlElement
from inscriptis.model.tag import CustomHtmlTagHandlerMapping

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip


_converters = threading.local()


def _markdown() -> markdown.Markdown:
    """This thread's converter: building one loads its extensions, which cost several times
    more than converting a description, so it is made once and reset between texts."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(extensions=["extra", "sane_lists"])
    return converter.reset()


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, then cleaned by nh3 so organiser text can never inject script."""
    html = _markdown().convert(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308  # safe: nh3 has sanitised it to the allowed tags


def render_plain_text(template_name: str, context: dict) -> str:
    """A plain-text template (a text mail) as a plain `str`, never a `SafeString`.

    `render_to_string` marks its result safe; a text mail holds organisers' words unescaped, so a
    page showing one (the reminder preview) must escape it; a plain `str` is, by construction.
    """
    return str.__str__(render_to_string(template_name, context))


# A link whose text is its own address (<https://…> in Markdown) needs the address only once.
_SELF_LINK = re.compile(r'<a href="(?:mailto:)?([^"]*)"[^>]*>\1</a>')


def _link_start(state, attrs) -> None:
    state.link_target = attrs.get("href", "")


def _link_end(state) -> None:
    """A link keeps its address in plain text: 'SWAN (https://swan.cern.ch)'."""
    target = state.link_target.removeprefix("mailto:")
    if target:
        state.tags[-1].write(f" ({target})")
    state.link_target = ""


_PLAIN = ParserConfig(
    # <code> inherits its parent's white space, so a code block keeps its line breaks.
    css={**CSS_PROFILES["relaxed"], "code": HtmlElement(display=Display.inline, whitespace=None)},
    custom_html_tag_handler_mapping=CustomHtmlTagHandlerMapping(
        start_tag_mapping={"a": _link_start}, end_tag_mapping={"a": _link_end}
    ),
)


@functools.lru_cache(maxsize=20_000)
def markdown_to_text(text: str) -> str:
    """Markdown as plain text for calendars: no `**`, lists as bullets, links with their address.

    The same safe HTML as the pages, laid out as text by inscriptis (paragraphs, lists, tables).
    A pure function of the text, so the latest results are kept (more than a feed holds: an LRU
    smaller than the feed it serves keeps nothing): rebuilding a feed after one event changed
    converts one description, not thousands.
    """
    if not (text or "").strip():
        return ""
    html = _SELF_LINK.sub(r"\1", str(render_markdown(text)))
    plain = get_text(html, _PLAIN)
    lines = [line.rstrip() for line in plain.strip("\n").splitlines()]
    return "\n".join(lines).strip()


def fill_description_texts(model) -> None:
    """Give the stored rows of `model` the plain text of their Markdown description (for the
    migrations that added `description_text`)."""
    rows = list(model.objects.exclude(description="").only("pk", "description"))
    for row in rows:
        row.description_text = markdown_to_text(row.description)
    model.objects.bulk_update(rows, ["description_text"], batch_size=500)
