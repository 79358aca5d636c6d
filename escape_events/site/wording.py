"""Labels inside a sentence, in the reader's language (lists: `events.when.list_text`)."""


def in_sentence(label) -> str:
    """A label ("On-site", "Vor Ort") as it reads inside a sentence: only its first letter lowered,
    so a German noun further on keeps its capital ("vor Ort")."""
    text = str(label)
    return text[:1].lower() + text[1:]
