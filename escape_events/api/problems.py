"""Errors as RFC 9457 problem details, with the messages the pages show.

`title` and `detail` are in the caller's language (Accept-Language, through LocaleMiddleware);
the keys, `type`, `status` and `code` stay as they are, for scripts to test.
"""

from http import HTTPStatus

from django.utils.translation import gettext, pgettext_lazy
from ninja import Schema

PROBLEM_TYPE = "application/problem+json"

# The statuses the API answers with; any other keeps the English phrase of RFC 9110.
TITLES = {
    400: pgettext_lazy("HTTP status", "Bad Request"),
    401: pgettext_lazy("HTTP status", "Unauthorized"),
    403: pgettext_lazy("HTTP status", "Forbidden"),
    404: pgettext_lazy("HTTP status", "Not Found"),
    405: pgettext_lazy("HTTP status", "Method Not Allowed"),
    409: pgettext_lazy("HTTP status", "Conflict"),
    412: pgettext_lazy("HTTP status", "Precondition Failed"),
    413: pgettext_lazy("HTTP status", "Content Too Large"),
    415: pgettext_lazy("HTTP status", "Unsupported Media Type"),
    422: pgettext_lazy("HTTP status", "Unprocessable Content"),
    429: pgettext_lazy("HTTP status", "Too Many Requests"),
    500: pgettext_lazy("HTTP status", "Internal Server Error"),
    503: pgettext_lazy("HTTP status", "Service Unavailable"),
}


class Problem(Schema):
    """RFC 9457 problem details; `code` says which rule refused, `errors` which field is wrong."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str = ""
    errors: list[dict] = []


def title_of(status: int) -> str:
    return str(TITLES.get(status) or HTTPStatus(status).phrase)


def problem(status: int, detail: str, *, code: str = "", errors: list | None = None) -> dict:
    return {
        "type": "about:blank",
        "title": title_of(status),
        "status": status,
        "detail": str(detail),
        "code": code,
        "errors": errors or [],
    }


def invalid_detail() -> str:
    return gettext("A parameter or the body is not valid.")
