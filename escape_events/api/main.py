"""The JSON API: one NinjaAPI with public, attendee and organiser routers.

django-ninja writes the OpenAPI 3.1 schema from the type hints of the operations; this module adds
what every operation shares: problem-details errors, ETags on reads, rate limits, and the
schema entries for them.
"""

import hashlib
import logging
import re

from django.apps import apps
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from escape_events.registrations.services import RegistrationRefused

from .problems import PROBLEM_TYPE, Problem, invalid_detail, problem
from .routers import attendee, organiser, public
from .throttling import THROTTLES
from .writes import KEY_HEADER, KEY_PATTERN

logger = logging.getLogger(__name__)
INVALID = "A parameter or the body is not valid."  # the schema's words (English)
OWN_RULES = {"duplicate_event"}  # PydanticCustomError types raised by .schemas

DESCRIPTION = """
The events, series and registrations of escape_events, for scripts: the same rules and the
same messages as the pages.

**Sign in** with a personal API token (`Authorization: Bearer ee_…`, made on your account page,
shown once) or, from a browser, with your session (writes then need the `X-CSRFToken` header).
A token has scopes: `registrations` (your own registrations), `organiser:read` and
`organiser:write` (the events you organise, or one of them).

**Errors** are RFC 9457 problem details (`application/problem+json`); `detail` is the message the
page shows, `code` names the rule (e.g. `full`, `closed`, `restricted`).
**Reads** carry an `ETag`: send it back in `If-None-Match` and an unchanged answer is a `304`.
**Writes** accept an `Idempotency-Key` header: a retry with the same key (within a day) gets the
first answer again instead of acting twice. Every write is logged.
"""


class LocalSwagger(Swagger):
    """Swagger UI from django-ninja's own static files (no CDN: works offline and under a
    `default-src 'self'` CSP), in a page with a language and a heading for screen readers;
    "Try it out" with the session sends the CSRF token."""

    def render_page(self, request, api, **kwargs):
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": settings, "api": api}
        return render(request, "api/docs.html", context)


class EscapeAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if response.status_code >= 400:
            response["Content-Type"] = PROBLEM_TYPE
            return response
        if getattr(request, "api_replayed", False):
            response["Idempotent-Replayed"] = "true"
        patch_vary_headers(response, ["Authorization", "Cookie"])
        response["Cache-Control"] = "private, no-cache"
        if request.method == "GET" and response.status_code == 200:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            unchanged = get_conditional_response(request, etag=etag, response=response)
            if unchanged is not None:
                return unchanged
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                _document_shared_answers(method, operation)
        return schema


def _problem(description: str) -> dict:
    return {
        "description": description,
        "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _document_shared_answers(method: str, operation: dict) -> None:
    """Answers every operation may give, and the problem media type on every error."""
    responses = {str(code): answer for code, answer in operation["responses"].items()}
    operation["responses"] = responses
    for code, answer in responses.items():
        if int(code) >= 400 and "content" in answer:
            answer["content"] = {PROBLEM_TYPE: answer["content"].popitem()[1]}
    responses.setdefault("429", _problem("Too many requests; see the Retry-After header."))
    if operation.get("parameters") or operation.get("requestBody"):
        responses.setdefault("422", _problem(INVALID))
    if operation.get("security"):
        responses.setdefault("401", _problem("No, or an unknown, expired or revoked, token."))
        responses.setdefault("403", _problem("The token lacks the scope, or the CSRF check."))
    if method == "get":
        responses.setdefault("304", {"description": "Unchanged since the ETag you sent."})
    if method == "post":
        operation.setdefault("parameters", []).append(
            {
                "in": "header",
                "name": KEY_HEADER,
                "required": False,
                "description": "Any unique string; a retry with it gets the first answer again.",
                "schema": {"type": "string", "pattern": KEY_PATTERN},
            }
        )
        responses.setdefault("400", _problem("A refusal, or a malformed Idempotency-Key."))
        responses.setdefault("409", _problem("The same Idempotency-Key is still being answered."))


api = EscapeAPI(
    title="escape_events API",
    version="1",
    description=DESCRIPTION,
    openapi_url="/schema",
    docs_url="/docs",
    # Deep links would put a link inside each operation's toggle button (nested controls).
    docs=LocalSwagger(settings={"deepLinking": False}),
    urls_namespace="api",
    throttle=THROTTLES,
)
api.add_router("", public.router)
api.add_router("", attendee.router)
api.add_router("/organise", organiser.router)


@api.exception_handler(RegistrationRefused)
def refused(request, error):
    return api.create_response(
        request, problem(error.status, error.message, code=error.code), status=error.status
    )


# Django's get_object_or_404 says "No Event matches the given query." in English.
DJANGO_NOT_FOUND = re.compile(r"^No (\w+) matches the given query\.$")


def _not_found_detail(error: Http404) -> str:
    """Our own 404 messages are translated where raised; Django's generic one is said again in
    the caller's language, naming the model by its verbose name."""
    detail = str(error)
    generic = DJANGO_NOT_FOUND.match(detail)
    if generic:
        models = [m for m in apps.get_models() if m._meta.object_name == generic[1]]
        what = str(models[0]._meta.verbose_name) if models else generic[1]
        # Translators: an API error; %(what)s is the kind of thing asked for, e.g. "event".
        return gettext("No %(what)s matches the given query.") % {"what": what}
    return detail or gettext("Nothing here.")


@api.exception_handler(Http404)
def not_found(request, error):
    detail = _not_found_detail(error)
    return api.create_response(request, problem(404, detail, code="not_found"), status=404)


@api.exception_handler(HttpError)
def http_error(request, error):
    detail = str(error)
    if isinstance(error, AuthenticationError) and detail == "Unauthorized":
        detail = gettext("Sign in, or send an API token: Authorization: Bearer <token>.")
    elif isinstance(error, Throttled):
        detail = gettext("Too many requests; try again in a moment (see the Retry-After header).")
    errors = getattr(error, "errors", None)
    response = api.create_response(
        request, problem(error.status_code, detail, errors=errors), status=error.status_code
    )
    if isinstance(error, AuthenticationError):
        response["WWW-Authenticate"] = 'Bearer realm="escape_events"'
    return response


@api.exception_handler(ValidationError)
def invalid(request, error):
    """A rule of the API's own (a partner named twice) says what is wrong in `detail` and `code`."""
    own = next((item for item in error.errors if item.get("type") in OWN_RULES), None)
    detail, code = (own["msg"], own["type"]) if own else (invalid_detail(), "invalid")
    return api.create_response(
        request, problem(422, detail, code=code, errors=error.errors), status=422
    )


@api.exception_handler(Exception)
def server_error(request, error):
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(
        request, problem(500, gettext("Something went wrong on our side.")), status=500
    )
