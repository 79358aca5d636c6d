"""Long lists are made in the background with progress shown, and the PDF is kept until the data
change; the design form refuses what would print badly or is not an image."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from escape_events.organisers.models import PrintDesign, PrintJob
from escape_events.organisers.printouts import jobs


@pytest.fixture
def small_limit(monkeypatch):
    """Lists longer than two people go to the background (the real limit is larger)."""
    monkeypatch.setattr(jobs, "IN_REQUEST_MAX", 2)
    monkeypatch.setattr("escape_events.organisers.views.printouts.IN_REQUEST_MAX", 2)


def test_a_long_list_is_made_in_the_background_with_progress_and_kept_until_it_changes(
    client, organiser, hands_on, register, small_limit, monkeypatch
):
    for _ in range(3):
        register(hands_on)
    client.force_login(organiser)
    direct = reverse("organisers:printout", args=[hands_on.slug, "badges"])
    response = client.get(direct, follow=True)
    assert "Make the PDF in the background" in response.content.decode()
    made = client.post(reverse("organisers:printout_make", args=[hands_on.slug, "badges"]))
    job = PrintJob.objects.get()
    assert made["Location"] == reverse("organisers:printout_job", args=[hands_on.slug, job.pk])
    page = client.get(made["Location"]).content.decode()
    assert "0 of 3" in page and "data-refresh" in page and "<progress" in page
    # A second click while it waits makes no second job.
    client.post(reverse("organisers:printout_make", args=[hands_on.slug, "badges"]))
    assert PrintJob.objects.count() == 1

    seen = []
    original = jobs.render_printout

    def watched(*args, progress, **kwargs):
        def step(done):
            progress(done)
            seen.append(PrintJob.objects.get(pk=job.pk).done)

        return original(*args, progress=step, **kwargs)

    monkeypatch.setattr(jobs, "render_printout", watched)
    call_command("make_printouts", batch=True)
    job.refresh_from_db()
    assert job.status == PrintJob.Status.DONE and job.done == job.total == 3
    assert seen and seen[-1] == 3
    page = client.get(reverse("organisers:printout_job", args=[hands_on.slug, job.pk]))
    assert "Ready: 3 people" in page.content.decode()
    assert "data-refresh" not in page.content.decode()

    # Kept: the direct address now serves the PDF made, without making it again.
    monkeypatch.setattr(
        "escape_events.organisers.views.printouts.render_printout",
        lambda *args, **kwargs: pytest.fail("made again"),
    )
    kept = client.get(direct)
    assert kept.status_code == 200 and b"".join(kept.streaming_content).startswith(b"%PDF")
    assert kept["Cache-Control"] == "private, no-store"

    # A change in the list makes the kept PDF stale: a new job, and the old file goes.
    old_file = job.file.name
    register(hands_on)
    assert client.get(direct).status_code == 302
    client.post(reverse("organisers:printout_make", args=[hands_on.slug, "badges"]))
    call_command("make_printouts", batch=True)
    newest = PrintJob.objects.get()
    assert newest.pk != job.pk and newest.total == 4
    assert not job.file.storage.exists(old_file)


def test_a_failed_job_says_why_and_can_be_tried_again(
    client, organiser, hands_on, register, small_limit, monkeypatch
):
    for _ in range(3):
        register(hands_on)
    client.force_login(organiser)
    client.post(reverse("organisers:printout_make", args=[hands_on.slug, "badges"]))

    def broken(*args, **kwargs):
        raise RuntimeError("the font cache is unreadable")

    monkeypatch.setattr(jobs, "render_printout", broken)
    jobs.make_next()
    job = PrintJob.objects.get()
    assert job.status == PrintJob.Status.FAILED
    page = client.get(reverse("organisers:printout_job", args=[hands_on.slug, job.pk]))
    assert (
        "the font cache is unreadable" in page.content.decode()
        and "Try again" in page.content.decode()
    )
    retry = client.post(reverse("organisers:printout_make", args=[hands_on.slug, "badges"]))
    assert PrintJob.objects.count() == 2 and retry.status_code == 302


def image_upload(name="logo.png", size=(300, 100), kind="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b5c8a").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue())


def design_post(client, event, **fields):
    data = {
        "layout": "a6", "colour_organiser": "#7a2e8c", "colour_speaker": "#b34700",
        "colour_onsite": "#0b5c8a", "colour_remote": "#2e7d32", "show_affiliation": "on",
        "show_qr": "on", "back_text": "", "signer": "", "signer_role": "",
    }  # fmt: skip
    data.update(fields)
    return client.post(reverse("organisers:print_design", args=[event.slug]), data)


def test_the_design_is_saved_with_a_checked_logo(client, organiser, hands_on):
    client.force_login(organiser)
    response = design_post(
        client, hands_on, logo=image_upload(), questions=[hands_on.questions.first().pk]
    )
    assert response.status_code == 302
    design = PrintDesign.objects.get(event=hands_on)
    assert design.layout == "a6" and design.logo.name.endswith(".png")
    assert list(design.questions.all()) == [hands_on.questions.first()]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (
            {"logo": SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\nnot really")},
            "not a readable",
        ),
        ({"logo": SimpleUploadedFile("logo.gif", b"GIF89a....")}, "PNG or JPEG"),
        ({"logo": image_upload(size=(5000, 40))}, "at most 4000"),
        ({"logo": image_upload(size=(20, 20))}, "at least 32"),
        ({"logo": image_upload("logo.jpg", kind="PNG")}, "does not look like a .jpg"),
        ({"colour_onsite": "#zz;}<a"}, "six hex digits"),
        ({"layout": "l7163", "back_side": "on"}, "Labels have no back side"),
        ({"layout": "a0"}, "Select a valid choice"),
    ],
)
def test_the_design_form_refuses_bad_input_with_a_message(
    client, organiser, hands_on, fields, says
):
    client.force_login(organiser)
    response = design_post(client, hands_on, **fields)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not PrintDesign.objects.exists()


def test_certificates_made_in_the_background_are_kept_too(
    client, organiser, hands_on, register, small_limit, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from escape_events.events.models import Event
    from escape_events.registrations.models import AttendanceDay

    shift = hands_on.end - timezone.now() + timedelta(hours=1)
    Event.objects.filter(pk=hands_on.pk).update(
        start=hands_on.start - shift, end=hands_on.end - shift
    )
    hands_on.refresh_from_db()
    for _ in range(3):
        AttendanceDay.objects.create(
            registration=register(hands_on), day=hands_on.local_start.date(), source="check_in"
        )
    client.force_login(organiser)
    client.post(reverse("organisers:printout_make", args=[hands_on.slug, "certificates"]))
    jobs.make_next()
    assert PrintJob.objects.get().status == PrintJob.Status.DONE
    monkeypatch.setattr(
        "escape_events.organisers.views.printouts.render_printout",
        lambda *args, **kwargs: pytest.fail("made again"),
    )
    kept = client.get(reverse("organisers:printout", args=[hands_on.slug, "certificates"]))
    assert kept.status_code == 200


def test_a_job_left_by_a_dead_worker_is_taken_over_once_its_lease_ends(
    organiser, hands_on, register
):
    from datetime import timedelta

    from django.utils import timezone

    register(hands_on)
    job = jobs.request_job(printout=jobs.PRINTOUTS["badges"], event=hands_on, by=organiser)
    PrintJob.objects.filter(pk=job.pk).update(
        status=PrintJob.Status.RUNNING, leased_until=timezone.now() + timedelta(minutes=5)
    )
    assert jobs.make_next() is None  # its worker may still be at it
    PrintJob.objects.filter(pk=job.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    taken = jobs.make_next()
    assert taken.pk == job.pk and taken.status == PrintJob.Status.DONE


def test_a_background_request_reads_the_list_in_a_fixed_number_of_queries(
    organiser, hands_on, register, django_assert_max_num_queries
):
    for _ in range(30):
        register(hands_on)
    with django_assert_max_num_queries(12):
        jobs.request_job(printout=jobs.PRINTOUTS["badges"], event=hands_on, by=organiser)
