"""The lines of a registration change: kept as the site's words in its default language, said in
the reader's language when shown or mailed (what organisers or the person wrote stays as it is).
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from .models import Registration


def item(field: str, before: str, after: str, *, private: bool = False) -> dict:
    """One line of a change; `private` ones (organisers' note, tags) the person never sees. Kept
    as text in the site's language (labels such as a mode's are translatable)."""
    with translation.override(settings.LANGUAGE_CODE):
        entry = {"field": str(field), "before": str(before), "after": str(after)}
    if private:
        entry["private"] = True
    return entry


# Kept in a change as these English words; `change_in_words` says them in the reader's language.
LINE_LABELS = {
    Registration.Mode.ONSITE: gettext_noop("On-site waiting list"),
    Registration.Mode.REMOTE: gettext_noop("Remote waiting list"),
}
# The words of a change that are the site's own, as kept (English), and how the reader reads
# them; the others are organisers' questions, and what people answered or wrote.
SITE_WORDS = {
    "Attendance": pgettext_lazy("a registration's way of attending", "Attendance"),
    "Waiting list": _("Waiting list"),
    "Tags": _("Tags"),
    "Organisers' note": _("Organisers' note"),
    **{str(label): _(label) for label in LINE_LABELS.values()},
    "On-site": Registration.Mode.ONSITE.label,
    "Remote": Registration.Mode.REMOTE.label,
    "First name": _("First name"),
    "Family name": _("Family name"),
    "Affiliation": _("Affiliation"),
}


def line_label(mode: str) -> str:
    return LINE_LABELS[mode] if mode else ""


def change_in_words(entry: dict) -> dict:
    """One line of a change in the active language: the site's own words translated, what the
    organisers or the person wrote as it is."""

    def say(text: str) -> str:
        return str(SITE_WORDS.get(text, text))

    return {**entry, "field": say(entry["field"]), "before": say(entry["before"]),
            "after": say(entry["after"])}  # fmt: skip
