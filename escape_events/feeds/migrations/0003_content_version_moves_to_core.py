from django.db import migrations


def drop_feed_version_triggers(apps, schema_editor):
    """The triggers that replaced this table's token: without them gone first, every write to
    an event would fail once the table is dropped (core's triggers replace them after migrate)."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS feeds_version_bump() CASCADE")
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'feeds_version_%'"
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0002_content_version"),
    ]

    operations = [
        migrations.RunPython(drop_feed_version_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="ContentVersion",
        ),
    ]
