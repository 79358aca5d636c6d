"""What the cached parts of the public pages are keyed on.

A part is cached under the version of what it shows, so an edit is visible at once and nothing
needs deleting; the release id in the cache's KEY_PREFIX (settings) keeps a deploy from showing
what the code before it rendered.
"""

from escape_events.core import content_version
from escape_events.events.models import Event

# A part of an event nobody visits makes room for others.
TIMEOUT = 60 * 60


def event_page_version(event: Event) -> str | None:
    """The version of what the page of `event` shows (its own rows and those it shares), None
    meaning "do not cache" (see content_version.read). `event` comes from
    site.selectors.event_for_page, which reads the version in the event's own statement."""
    return content_version.of_event(event)


def event_page_cache(event: Event) -> dict:
    """What the page template's `{% cache %}` blocks are given: the version they vary on, and
    their timeout (0 when there is no version: rendered, never kept)."""
    version = event_page_version(event)
    return {"version": version, "timeout": TIMEOUT if version is not None else 0}
