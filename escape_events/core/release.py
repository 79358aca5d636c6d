"""Which release of the code is running, for the cache's key prefix.

Cached HTML is keyed on what it shows, not on the code that rendered it: a deploy that changes a
template or a tag would otherwise serve what the code before it rendered until the entries expire.
With the release id in every key, a new release starts with an empty cache of its own.
"""

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

# What renders pages: the code, the templates and the languages' catalogues.
RENDERING_FILES = (
    "escape_events/**/*.py",
    "escape_events/locale/*/LC_MESSAGES/*.po",
    "templates/**/*.html",
    "templates/**/*.txt",
)


def release_id(base_dir: Path, *, given: str = "") -> str:
    """`given` (RELEASE_ID from the environment, e.g. the commit a deploy builds) when set, else
    the package version and a short digest of the code and templates under `base_dir`."""
    if given:
        return given
    digest = hashlib.sha256()
    for pattern in RENDERING_FILES:
        for path in sorted(base_dir.glob(pattern)):
            digest.update(path.relative_to(base_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{_package_version()}-{digest.hexdigest()[:12]}"


def _package_version() -> str:
    try:
        return version("escape-events")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0"
