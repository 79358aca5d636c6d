"""Errors as RFC 9457 problem details, with the messages the pages show."""

from http import HTTPStatus

from ninja import Schema

PROBLEM_TYPE = "application/problem+json"


class Problem(Schema):
    """RFC 9457 problem details; `code` says which rule refused, `errors` which field is wrong."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str = ""
    errors: list[dict] = []


def problem(status: int, detail: str, *, code: str = "", errors: list | None = None) -> dict:
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or [],
    }
