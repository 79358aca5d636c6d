import secrets

from django.db import migrations
from django.utils import timezone


def start_versions(apps, schema_editor):
    """The site and shared rows, with fresh tokens (never fixed ones, which a cache could still
    hold from an earlier database): until they exist nothing is kept under a version."""
    ContentVersion = apps.get_model("core", "ContentVersion")
    ContentVersion.objects.using(schema_editor.connection.alias).bulk_create(
        [
            ContentVersion(scope=scope, token=secrets.token_hex(16), changed_at=timezone.now())
            for scope in ("site", "shared")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(start_versions, migrations.RunPython.noop),
    ]
