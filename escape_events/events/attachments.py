"""Which uploads we accept and how each type is served back (never as active content)."""

import unicodedata
from pathlib import PurePath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from escape_events.core.headers import is_control

# extension -> (content type we serve, whether a browser may show it inline)
ALLOWED_TYPES: dict[str, tuple[str, bool]] = {
    "pdf": ("application/pdf", True),
    "txt": ("text/plain; charset=utf-8", True),
    "md": ("text/plain; charset=utf-8", True),
    "png": ("image/png", True),
    "jpg": ("image/jpeg", True),
    "jpeg": ("image/jpeg", True),
    "csv": ("text/csv; charset=utf-8", False),
    "ipynb": ("application/x-ipynb+json", False),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", False),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
    "odp": ("application/vnd.oasis.opendocument.presentation", False),
    "odt": ("application/vnd.oasis.opendocument.text", False),
    "zip": ("application/zip", False),
}

# Leading bytes a file of that type must start with, so a renamed HTML page is refused.
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "pptx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odp": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04",),
}


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


# The stored name lives under "attachments/2026/12/" or "agenda/2026/12/" in a 100-character
# FileField: the name itself keeps room for both and for the storage's "_abc1234" on a clash.
MAX_NAME_LENGTH = 70


def clean_file_name(name: str) -> str:
    """The one file-name rule of uploads (event files and agenda materials): the last part of
    any path a browser sent, NFC, no control or direction characters, a name before the
    extension, at most MAX_NAME_LENGTH characters (cut before the extension)."""
    name = unicodedata.normalize("NFC", PureWindowsPath(name or "").name).strip()
    if any(is_control(character) for character in name):
        raise ValidationError(
            gettext("The file name holds control or text-direction characters: rename the file.")
        )
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if not stem.strip(" ."):
        raise ValidationError(
            gettext("The file needs a name before its extension, e.g. slides.pdf.")
        )
    suffix = f".{extension}" if dot else ""
    return stem[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix


def validate_upload(uploaded) -> str:
    """Check name, size, extension and leading bytes; return the content type to serve it with.

    The upload's name becomes the clean one (clean_file_name), so both kinds of upload store and
    title it alike."""
    uploaded.name = clean_file_name(uploaded.name)
    extension = extension_of(uploaded.name)
    if extension not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise ValidationError(
            gettext("Files of type “.%(extension)s” are not accepted. Allowed: %(allowed)s.")
            % {"extension": extension, "allowed": allowed}
        )
    if uploaded.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            gettext("The file is %(size)s; the limit is %(limit)s.")
            % {
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            }
        )
    if uploaded.size == 0:
        raise ValidationError(gettext("The file is empty."))
    head = uploaded.read(16)
    uploaded.seek(0)
    if extension in MAGIC and not head.startswith(MAGIC[extension]):
        raise ValidationError(
            gettext("The file's content does not look like a .%(extension)s file.")
            % {"extension": extension}
        )
    if extension in {"txt", "md", "csv"} and b"\x00" in head:
        raise ValidationError(gettext("A text file must not contain binary data."))
    return ALLOWED_TYPES[extension][0]


def served_inline(name: str) -> bool:
    return ALLOWED_TYPES.get(extension_of(name), ("", False))[1]


def file_response(stored, *, content_type: str) -> FileResponse:
    """Serve an uploaded file so that it can never run as a page of ours: sandboxed, no sniffing,
    and only the types a browser shows safely open inline."""
    name = stored.name.rsplit("/", 1)[-1]
    try:
        opened = stored.open("rb")
    except FileNotFoundError:
        raise Http404(gettext("The stored file is missing.")) from None
    response = FileResponse(
        opened, as_attachment=not served_inline(name), filename=name, content_type=content_type
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
