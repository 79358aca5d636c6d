"""The site's languages (settings.LANGUAGES) as the switcher and the account page offer them."""

from django.conf import settings


def site_language(code: str | None) -> str:
    """`code` if it is one of the site's languages (any case), else ""."""
    codes = {language.lower(): language for language, _name in settings.LANGUAGES}
    return codes.get((code or "").strip().lower(), "")
