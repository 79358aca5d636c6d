"""Organiser Markdown: one converter per thread is reused, so nothing may carry over between
texts (footnotes, abbreviations, reference links of one description leak into none other)."""

from escape_events.core.text import markdown_to_text, render_markdown


def test_a_reused_converter_carries_nothing_from_one_text_to_the_next():
    first = render_markdown(
        "SWAN[^1] runs on CERNBox, see [docs].\n\n"
        "[^1]: Service for Web based ANalysis\n"
        "[docs]: https://swan.web.cern.ch\n"
        "*[CERN]: European Organization for Nuclear Research"
    )
    assert "Service for Web based ANalysis" in first and "swan.web.cern.ch" in first
    second = render_markdown("Meet at CERN, see [docs].")
    assert "footnote" not in second and "Service for Web" not in second
    assert "<abbr" not in second
    assert "swan.web.cern.ch" not in second  # the reference of the first text is gone
    assert render_markdown("Meet at CERN, see [docs].") == second


def test_plain_text_of_the_same_markdown_is_the_same_every_time():
    text = "**Bring a laptop**\n\n- SWAN account\n- [Rucio](https://rucio.cern.ch)"
    expected = "Bring a laptop\n\n  * SWAN account\n  * Rucio (https://rucio.cern.ch)"
    assert markdown_to_text(text) == expected
    assert markdown_to_text(text) == markdown_to_text.__wrapped__(text) == expected  # kept one
