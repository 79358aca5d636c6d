"""What the cached parts of the public pages are keyed on.

A part is cached under the version of what it shows, so an edit is visible at once and nothing
needs deleting; the release id in the cache's KEY_PREFIX (settings) keeps a deploy from showing
what the code before it rendered.
"""

from escape_events.core import content_version
from escape_events.events.models import Event

# A part of an event nobody visits makes room for others.
TIMEOUT = 60 * 60


def event_page_version(slug: str) -> str | None:
    """The version of what the page of the event at `slug` shows (its own rows and those it
    shares), None meaning "do not cache" (see content_version.read).

    Read it before the event: an edit committed in between then leaves a newer page under an
    older key, never an older page under a newer key."""
    version = content_version.read(event_ids=Event.objects.filter(slug=slug))
    return version.token if version else None


def event_page_cache(slug: str) -> dict:
    """What the page template's `{% cache %}` blocks are given: the version they vary on, and
    their timeout (0 when there is no version: rendered, never kept)."""
    version = event_page_version(slug)
    return {"version": version, "timeout": TIMEOUT if version is not None else 0}
