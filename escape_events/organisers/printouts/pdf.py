"""HTML to PDF with WeasyPrint, in chunks so that a long list reports its progress."""

import base64
from collections.abc import Callable, Iterable

from django.conf import settings


class PrintingUnavailable(Exception):
    """The PDF engine cannot run on this machine; the message says what to install."""


def data_uri(png: bytes, kind: str = "image/png") -> str:
    return f"data:{kind};base64,{base64.b64encode(png).decode()}"


def html_to_pdf(chunks: Iterable[str], *, laid_out: Callable[[int], None] | None = None) -> bytes:
    """One PDF of the pages of every HTML chunk; `laid_out(n)` after the nth chunk is laid out
    (layout is nearly all the time a PDF takes)."""
    try:
        from weasyprint import HTML

        from .fetcher import SiteOnlyFetcher
    except OSError as error:  # the Python package is there, Pango is not
        raise PrintingUnavailable(
            "PDF printouts need Pango on the server "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)."
        ) from error
    fetcher = SiteOnlyFetcher()
    documents = []
    for number, html in enumerate(chunks, start=1):
        documents.append(
            HTML(string=html, base_url=settings.SITE_URL, url_fetcher=fetcher).render()
        )
        if laid_out:
            laid_out(number)
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
