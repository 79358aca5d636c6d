"""Every cache key starts with the release: after a deploy, nothing the code before it cached
(HTML of templates since changed) is read."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.cache.utils import make_template_fragment_key

from escape_events.core.release import release_id


def test_a_given_release_id_is_used_as_it_is():
    assert release_id(settings.BASE_DIR, given="abc123") == "abc123"


def test_the_release_id_follows_the_code_and_templates(tmp_path):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ event.title }}</p>")
    before = release_id(tmp_path)
    assert release_id(tmp_path) == before
    page.write_text("<p>{{ event.title }} and more</p>")
    assert release_id(tmp_path) != before


def test_the_release_id_follows_the_translations(tmp_path):
    """A corrected translation is a new release: cached French pages are not served on."""
    folder = tmp_path / "escape_events" / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue = folder / "django.po"
    catalogue.write_text('msgid "Register"\nmsgstr "S\'inscrire"\n')
    before = release_id(tmp_path)
    catalogue.write_text('msgid "Register"\nmsgstr "Inscription"\n')
    assert release_id(tmp_path) != before


def test_the_cache_prefix_holds_the_release_id():
    assert settings.RELEASE_ID in settings.CACHES["default"]["KEY_PREFIX"]


KEYS = [make_template_fragment_key("event_page_top", [1, "version", "en-gb"]), "privacy-notice"]
SHOW_KEYS = (
    "import django; django.setup(); from django.core.cache import cache; "
    f"print(*(cache.make_key(key) for key in {KEYS!r}), sep='\\n')"
)


def _keys(release: str) -> list[str]:
    """The keys as the settings make them in a process started with RELEASE_ID=`release`."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "escape_events.settings"}
    environment["RELEASE_ID"] = release
    ran = subprocess.run(
        [sys.executable, "-c", SHOW_KEYS],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return ran.stdout.split()


def test_changing_the_release_id_changes_every_key():
    one, two = _keys("release-one"), _keys("release-two")
    assert len(one) == len(two) == len(KEYS)
    for key, first, second in zip(KEYS, one, two, strict=True):
        assert first != second
        assert key in first and "release-one" in first and "release-two" in second
