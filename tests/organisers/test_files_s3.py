"""Uploads on an S3-compatible bucket (django-storages), as app servers share them in production:
tested against moto's S3 server on this machine."""

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from escape_events.events.models import Attachment
from tests.outbox.conftest import free_port

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
BUCKET = "escape-events-media"


@pytest.fixture
def s3_bucket(settings, monkeypatch):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "escape-test",
        "AWS_SECRET_ACCESS_KEY": "escape-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
                "location": "media",
            },
        },
    }
    yield s3
    server.stop()


def objects(s3):
    listing = s3.list_objects_v2(Bucket=BUCKET)
    return {item["Key"]: item["Size"] for item in listing.get("Contents", [])}


def test_uploads_land_in_the_bucket_and_are_served_and_deleted_from_there(
    s3_bucket, client, organiser, hands_on, settings, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    upload = SimpleUploadedFile("intro.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("organisers:files", args=[hands_on.slug]),
        {"title": "Intro slides", "kind": "slides", "file": upload},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(event=hands_on)
    ((key, size),) = objects(s3_bucket).items()
    assert key.startswith("media/attachments/") and key.endswith(".pdf") and size == len(PDF)
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))  # nothing on this server's disk

    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisers:file_delete", args=[hands_on.slug, attachment.pk])
        )
    assert response.status_code == 302
    assert objects(s3_bucket) == {}
