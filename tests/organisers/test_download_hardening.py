"""Downloads of personal data are kept by no cache; printouts load nothing from outside."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from escape_events.events.models import Event
from escape_events.registrations.models import Registration

weasyprint = pytest.importorskip("weasyprint")

HOSTILE = '<img src="http://169.254.169.254/latest/meta-data/"> <img src="file:///etc/passwd">'


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_participant_exports_are_private_and_never_stored(
    client, organiser, hands_on, register, file_format
):
    register(hands_on)
    client.force_login(organiser)
    response = client.post(
        reverse("organisers:participant_export", args=[hands_on.slug]),
        {"format": file_format, "columns": ["name", "email"]},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    response.close()


@pytest.mark.parametrize("kind", ["sign-in-sheet", "badges", "certificates"])
def test_printouts_and_the_attendance_list_are_private_and_never_stored(
    client, organiser, hands_on, kind
):
    if kind == "certificates":  # given only once the event is over
        over = hands_on.end - hands_on.start + timedelta(days=1)
        Event.objects.filter(pk=hands_on.pk).update(
            start=timezone.now() - over, end=timezone.now() - timedelta(days=1)
        )
    client.force_login(organiser)
    response = client.get(reverse("organisers:printout", args=[hands_on.slug, kind]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    attendance = client.get(reverse("organisers:attendance_export", args=[hands_on.slug]))
    assert attendance["Cache-Control"] == "private, no-store"


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint's own fetcher (the network, the disk) was asked for."""
    from weasyprint.urls import URLFetcher

    asked = []
    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    return asked


def test_printouts_with_hostile_organiser_text_fetch_only_data_urls(
    client, organiser, hands_on, register, fetched
):
    hands_on.title = f"Title {HOSTILE}"[:200]
    hands_on.summary = HOSTILE
    hands_on.save()
    registration = register(hands_on, status=Registration.Status.CONFIRMED)
    registration.user.first_name = HOSTILE[:150]
    registration.user.save()
    client.force_login(organiser)
    for kind in ("sign-in-sheet", "badges"):
        response = client.get(reverse("organisers:printout", args=[hands_on.slug, kind]))
        assert response.status_code == 200
    assert fetched and all(url.startswith("data:") for url in fetched)  # the QR codes


def test_the_fetcher_refuses_the_network_and_the_disk_and_serves_data_and_static(settings):
    from escape_events.organisers.printouts.fetcher import SiteOnlyFetcher

    fetcher = SiteOnlyFetcher()
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "https://evil.example/x.png",
        "file:///etc/passwd",
        "ftp://evil.example/x",
        f"{settings.SITE_URL}/admin/",  # the site itself, but not a static file
        f"{settings.SITE_URL}{settings.STATIC_URL}../../settings.py",
    ):
        with pytest.raises(ValueError, match="a printout loads only"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    css = fetcher.fetch(f"{settings.SITE_URL}{settings.STATIC_URL}css/site.css")
    assert b"{" in css.read() and css.content_type == "text/css"


def test_weasyprint_renders_around_a_refused_resource(fetched):
    from weasyprint import HTML

    from escape_events.organisers.printouts.fetcher import SiteOnlyFetcher

    pdf = HTML(string=f"<p>Hello</p>{HOSTILE}", url_fetcher=SiteOnlyFetcher()).write_pdf()
    assert "Hello" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert fetched == []  # refused before any fetch
