"""What a printout may load while WeasyPrint lays it out: `data:` URLs (the badges' QR codes) and
the site's own static files, read from disk. Nothing else: no address on the network (an
organiser's text must not make the server fetch from inside the network), no `file:` path.

Imported on first use, with WeasyPrint itself (it needs Pango from the system).
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse


class SiteOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        static = urljoin(settings.SITE_URL.rstrip("/") + "/", settings.STATIC_URL)
        if url.startswith(static):
            name = unquote(urlsplit(url[len(static) :]).path)
            found = finders.find(name) if name and ".." not in Path(name).parts else None
            if found:
                content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                body = Path(found).read_bytes()
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
        raise ValueError(f"a printout loads only data: URLs and the site's static files, not {url}")
