"""The error pages speak the reader's language: `lang` and texts follow the active language,
plurals are whole sentences, and the pages rendered without a request (500, 503) too."""

from django.template import loader
from django.test import RequestFactory
from django.utils import translation

from escape_events.core.limits import too_many


def test_the_500_and_503_pages_are_marked_with_the_active_language():
    with translation.override("de"):
        assert '<html lang="de">' in loader.get_template("500.html").render()
        assert '<html lang="de">' in loader.get_template("503.html").render()
    assert '<html lang="en-gb">' in loader.get_template("500.html").render()


def test_the_429_page_says_the_wait_in_a_whole_sentence(db):
    request = RequestFactory().get("/")
    one = too_many(request, (1, 1), what="uploads").content.decode()
    assert "Too many uploads from you in a short time." in one
    assert "Please try again in 1 second." in one or "Please try again in 2 seconds." in one
    many = too_many(request, (1, 60), what="something else").content.decode()
    assert "Too many requests from you in a short time." in many
    assert " seconds." in many


# Reads the French catalogue (compiled at merge, `make messages`).


def test_the_500_page_in_french():
    with translation.override("fr"):
        page = loader.get_template("500.html").render()
    assert "Un problème est survenu de notre côté" in page
