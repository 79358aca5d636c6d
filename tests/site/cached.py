"""What the event page's `{% cache %}` blocks keep, read back as the template tag keys it."""

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.utils.translation import get_language

from escape_events.core import content_version
from escape_events.timetable.access import ANONYMOUS

# The page's cached blocks: the top (header and main column), then the bottom ("Add to
# calendar", the files of an event of its own, or the record below both columns of a meeting),
# which also varies on the address the test client asks at; both end with the kind of reader
# the materials are listed for (timetable.access.Reader.key).
FRAGMENTS = {"event_page_top": [], "event_page_bottom": ["http", "testserver"]}


def cached_parts(event, reader=ANONYMOUS) -> dict[str, str]:
    """The page's cached blocks for the version now, by name (those in the cache only). The
    version is read apart from the page, so a page that keyed its blocks on another fails."""
    version = content_version.for_event(event.pk)
    keys = {
        name: make_template_fragment_key(
            name, [event.pk, version, get_language(), *more, reader.key]
        )
        for name, more in FRAGMENTS.items()
    }
    found = cache.get_many(list(keys.values()))
    return {name: found[key] for name, key in keys.items() if key in found}


def forget_parts(event, reader=ANONYMOUS) -> None:
    """Drop the page's cached blocks alone (what else is cached stays), for a cold load."""
    version = content_version.for_event(event.pk)
    cache.delete_many(
        [
            make_template_fragment_key(name, [event.pk, version, get_language(), *more, reader.key])
            for name, more in FRAGMENTS.items()
        ]
    )
