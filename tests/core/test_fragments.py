"""Shared fragments: rendered once per key in a process, each use with its requester's own CSRF
token, and only from plain values when a template asks for one."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.template import Context, Template, engines
from django.test import RequestFactory, override_settings
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from escape_events.core import fragments

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TEMPLATES = {
    "counted.html": "<p>{{ counter }} {{ text }}</p>",
    "form.html": '<form method="post">{% csrf_token %}<button>Go</button></form>',
    "plain.html": "<p>{{ text }}</p>",
}


@pytest.fixture(autouse=True)
def test_templates():
    engine = {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [("django.template.loaders.locmem.Loader", TEMPLATES)],
                )
            ],
            "builtins": ["escape_events.core.templatetags.shared_fragments"],
        },
    }
    with override_settings(TEMPLATES=[engine]):
        yield


class Counter:
    """Counts how often a template shows it: once per rendering."""

    def __init__(self):
        self.renderings = 0

    def __str__(self):
        self.renderings += 1
        return "counted"


def _request():
    return RequestFactory().get("/")


def _token(request):
    """The token as a page's context holds it: asked for when first shown."""
    return SimpleLazyObject(lambda: get_token(request))


def test_a_key_is_rendered_once_and_its_html_reused():
    counter = Counter()
    context = {"counter": counter, "text": "same"}
    first = fragments.render("counted.html", context, _token(_request()), shared_key="a")
    again = fragments.render("counted.html", context, _token(_request()), shared_key="a")
    assert first == again == "<p>counted same</p>"
    assert counter.renderings == 1
    other = fragments.render(
        "counted.html", {**context, "text": "b"}, _token(_request()), shared_key="b"
    )
    assert other == "<p>counted b</p>" and counter.renderings == 2


def test_a_fragment_without_key_is_rendered_every_time():
    counter = Counter()
    for _ in range(3):
        fragments.render("counted.html", {"counter": counter}, _token(_request()), shared_key=None)
    assert counter.renderings == 3


def test_each_requester_gets_their_own_csrf_token_in_a_kept_form():
    requests = [_request(), _request()]
    pages = [
        fragments.render("form.html", {}, _token(request), shared_key="form")
        for request in requests
    ]
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    for request, token in zip(requests, tokens, strict=True):
        # get_token left the request's secret for the middleware to set as the cookie.
        assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    for page in pages:
        assert "csrf-slot" not in page


def test_a_fragment_without_a_form_asks_for_no_token():
    request = _request()
    fragments.render("plain.html", {"text": "hello"}, _token(request), shared_key="plain")
    assert "CSRF_COOKIE" not in request.META


def test_a_reloaded_template_starts_afresh():
    """Templates edited under runserver reset the loaders: the new template renders anew."""
    counter = Counter()
    fragments.render("counted.html", {"counter": counter}, _token(_request()), shared_key="reload")
    for loader in engines["django"].engine.template_loaders:
        loader.reset()
    fragments.render("counted.html", {"counter": counter}, _token(_request()), shared_key="reload")
    assert counter.renderings == 2


def _tag(values: str, **context) -> str:
    template = Template('{% shared_fragment "plain.html" ' + values + " %}", engine=None)
    return template.render(Context({"csrf_token": _token(_request()), **context}))


def test_the_tag_takes_plain_values_only():
    with pytest.raises(TypeError, match="text is not a plain value"):
        _tag("text=thing", thing=object())


def test_the_tag_keeps_text_and_safe_text_apart():
    """The same characters, escaped or not: two renderings."""
    assert _tag("text=value", value="<b>") == "<p>&lt;b&gt;</p>"
    assert _tag("text=value", value=mark_safe("<b>")) == "<p><b></p>"
    assert _tag("text=value", value="<b>") == "<p>&lt;b&gt;</p>"
