"""Labels and lists inside a sentence, in the reader's language."""

from babel.lists import format_list
from django.utils.translation import get_language, to_locale


def in_sentence(label) -> str:
    """A label ("On-site", "Vor Ort") as it reads inside a sentence: only its first letter lowered,
    so a German noun further on keeps its capital ("vor Ort")."""
    text = str(label)
    return text[:1].lower() + text[1:]


def spoken_list(items) -> str:
    """Names joined as a sentence says them in the active language ("A, B and C", "A, B et C")."""
    return format_list([str(item) for item in items], locale=to_locale(get_language() or "en"))
