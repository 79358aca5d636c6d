"""Every language is complete: `make messages`, run now on a scratch copy of the project, finds no
text missing from a catalogue and leaves no entry fuzzy, and msgfmt accepts every catalogue
(placeholders and plural forms kept)."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = Path("escape_events/locale")
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="GNU gettext is not installed (apt-get install gettext)"
)


def catalogue(root: Path, language: str) -> Path:
    return root / LOCALE / language / "LC_MESSAGES" / "django.po"


def entries(po: polib.POFile) -> dict:
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): (
            entry.msgstr,
            tuple(entry.msgstr_plural.values()),
            "fuzzy" in entry.flags,
        )
        for entry in po
        if not entry.obsolete
    }


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The project's sources and catalogues copied, and `make messages` run on the copy."""
    scratch = tmp_path_factory.mktemp("catalogues")
    shutil.copytree(
        ROOT / "escape_events",
        scratch / "escape_events",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
    )
    shutil.copytree(ROOT / "templates", scratch / "templates")
    for name in ("manage.py", "Makefile"):
        shutil.copy(ROOT / name, scratch)
    subprocess.run(
        ["make", "--silent", "messages", f"VENV={ROOT / '.venv'}", "RUN_STAMP="],
        cwd=scratch,
        check=True,
        capture_output=True,
    )
    return scratch


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_is_complete_and_up_to_date(extracted, language):
    ours = polib.pofile(str(catalogue(ROOT, language)))
    fresh = polib.pofile(str(catalogue(extracted, language)))
    missing = [entry.msgid for entry in fresh.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh.fuzzy_entries()]
    assert not missing, f"{language}: {len(missing)} texts without a translation: {missing[:20]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy entries: {fuzzy[:20]}"
    assert entries(ours) == entries(fresh), f"{language}: run `make messages` and commit"


@pytest.mark.parametrize("language", TRANSLATED)
def test_msgfmt_accepts_the_catalogue(language):
    path = catalogue(ROOT, language)
    result = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(path))
    assert po.percent_translated() == 100
    plurals = [entry for entry in po if entry.msgid_plural]
    assert all(all(entry.msgstr_plural.values()) for entry in plurals)
