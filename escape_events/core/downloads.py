"""Downloads that hold personal data (participant exports, attendance, printouts, my data)."""

from django.utils.http import content_disposition_header


def personal_download(response, *, filename: str = "", inline: bool = False):
    """Saved by the person who asked, kept by no cache on the way (`private, no-store`), and
    never sniffed into another type by the browser."""
    if filename:
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
